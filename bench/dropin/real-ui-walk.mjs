// Drives the ECP-AI developer UI's live screens in Chromium (Playwright) against `keelson serve`, the way a user tries
// Keelson as that UI's backend, and prints one PASS/FAIL line per screen. A screen fails when any call it makes to the
// API answers 4xx/5xx or fails, when the page logs an error about such a call, or when what the screen should show
// from Keelson's answers is not there. Screenshots go to SHOT_DIR as ecp-ui-<screen>.png.
//   node real-ui-walk.mjs PLAYWRIGHT_PACKAGE_DIR UI_URL API_URL SHOT_DIR
// The walk needs a tenant with pushed metrics and a firing alert; real-ui.sh prepares them through the public API.
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [playwrightDir, uiUrl, apiUrl, shotDir] = process.argv.slice(2);
if (!shotDir) {
  console.error("usage: node real-ui-walk.mjs PLAYWRIGHT_PACKAGE_DIR UI_URL API_URL SHOT_DIR");
  process.exit(2);
}
const { chromium } = createRequire(import.meta.url)(playwrightDir);
mkdirSync(shotDir, { recursive: true });
const tenant = process.env.WALK_TENANT ?? "ui-walk";

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, locale: "ko-KR" });
const page = await context.newPage();
page.on("dialog", dialog => {
  current.dialogs.push(dialog.message());
  dialog.accept().catch(() => {});
});

// What happened on the page while the current screen ran.
let current = fresh();
function fresh() {
  return { calls: [], failed: [], console: [], dialogs: [], sockets: [], frames: 0 };
}
const isApi = url => url.includes("/api/") || url.startsWith(apiUrl);
page.on("response", response => {
  const url = response.url();
  if (isApi(url)) current.calls.push({ method: response.request().method(), url: url.replace(uiUrl, "").replace(apiUrl, ""), status: response.status() });
});
page.on("requestfailed", request => {
  if (isApi(request.url())) current.failed.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
});
page.on("console", message => {
  if (message.type() === "error") current.console.push(`${message.text()} (${message.location()?.url ?? ""})`);
});
// Errors the UI causes on its own, whatever the backend: named on the screen's line, not counted as Keelson's.
const outside = [
  [/fonts\.(googleapis|gstatic)\.com/, "Google Fonts unreachable from this machine"],
  [/service-worker\.js|unsupported MIME type/, "index.html registers /service-worker.js, which the UI's build does not contain"],
];
page.on("pageerror", error => current.console.push(`page error: ${error.message}`));
page.on("websocket", socket => {
  const entry = { url: socket.url(), closed: false, error: null };
  current.sockets.push(entry);
  socket.on("framereceived", () => current.frames++);
  socket.on("socketerror", error => { entry.error = String(error); });
  socket.on("close", () => { entry.closed = true; });
});

const results = [];
async function screen(name, slug, body) {
  current = fresh();
  const problems = [];
  try {
    await body(problems);
  } catch (error) {
    problems.push(String(error.message ?? error).split("\n")[0]);
  }
  await page.waitForTimeout(500);
  for (const call of current.calls) {
    if (call.status >= 400 && !(call.expected ?? false)) problems.push(`${call.method} ${call.url} answered ${call.status}`);
  }
  problems.push(...current.failed.map(f => `request failed: ${f}`));
  // Errors the page logs about Keelson's answers; React's development warnings do not exist in a production build.
  const notes = new Set();
  for (const text of current.console) {
    const known = outside.find(([pattern]) => pattern.test(text));
    if (known) notes.add(known[1]);
    else problems.push(`console: ${text.slice(0, 240)}`);
  }
  await page.screenshot({ path: join(shotDir, `ecp-ui-${slug}.png`) }).catch(() => {});
  const unique = [...new Set(problems)];
  results.push({ name, ok: unique.length === 0 });
  const calls = [...new Set(current.calls.map(c => `${c.method} ${c.url.split("?")[0]} ${c.status}`))];
  console.log(`${unique.length === 0 ? "PASS" : "FAIL"} ${name}${unique.length ? ": " + unique.join("; ") : ""}${notes.size ? ` (outside Keelson: ${[...notes].join("; ")})` : ""}`);
  if (process.env.WALK_VERBOSE) console.log(`     calls: ${calls.join(", ")}`);
}

const tab = name => page.getByRole("tab", { name });
// A wait that a failed step leaves behind must not end the walk as an unhandled rejection; awaiting it still throws.
const waitFor = predicate => {
  const waiting = page.waitForResponse(predicate, { timeout: 20000 });
  waiting.catch(() => {});
  return waiting;
};
const waitCall = (pattern, method = "GET") => waitFor(r => pattern.test(r.url()) && r.request().method() === method);
const expectText = async (problems, text, what) => {
  if (!(await page.getByText(text).first().isVisible().catch(() => false))) problems.push(`${what}: "${text}" not shown`);
};

// 1. Tenant list: the App's relative call and TenantDataService's call to :8001 with X-Demo-Mode: false.
await screen("tenant list", "tenant-list", async problems => {
  const relative = waitCall(/\/api\/v1\/tenants\/$/);
  await page.goto(uiUrl, { waitUntil: "networkidle" });
  const body = await (await relative).json();
  if (!Array.isArray(body.tenants) || !body.tenants.some(t => t.tenant_id === "ui-seed")) problems.push("GET /api/v1/tenants/ does not list the seeded tenant ui-seed");
});

// 2. Tenant creation: id check (free, then taken with suggestions), service counts with zeros, the wizard.
await screen("tenant creation: id check", "tenant-id-check", async problems => {
  await tab(/테넌시 생성/).click();
  const idField = page.getByLabel("테넌시 ID");
  const taken = waitCall(/check-duplicate\/ui-seed$/);
  await idField.fill("ui-seed");
  const takenBody = await (await taken).json();
  if (takenBody.available !== false || !(takenBody.suggestions?.length > 0)) problems.push(`check-duplicate of a taken id: ${JSON.stringify(takenBody)}`);
  await page.waitForTimeout(300);
  await expectText(problems, takenBody.suggestions?.[0] ?? "?", "suggestion chip");
  const free = waitCall(new RegExp(`check-duplicate/${tenant}$`));
  await idField.fill(tenant);
  if ((await (await free).json()).available !== true) problems.push(`check-duplicate of ${tenant} is not available`);
  await page.waitForTimeout(300);
  await expectText(problems, "사용 가능한 ID", "id helper text");
});

await screen("hardware calculator", "hardware", async problems => {
  // chatbot 20, everything else 0 ("not used"): the original's ge=0.
  const numbers = page.locator("input[type=number]");
  const hardware = waitCall(/calculate-detailed-hardware/, "POST");
  await numbers.nth(1).fill("20");
  const body = await (await hardware).json();
  if (!body.hardware_specification || !Array.isArray(body.aws_instances)) problems.push("calculate-detailed-hardware lacks hardware_specification or aws_instances");
  await page.getByText(/권장 하드웨어 구성/).first().click();
  await page.waitForTimeout(1500);
  const cost = page.getByText(/₩[1-9]/).first();
  if (!(await cost.isVisible().catch(() => false))) problems.push("no cost in ₩ shown");
  else await cost.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shotDir, "ecp-ui-hardware-costs.png") });
});

await screen("deployment wizard: hardware, manifests, package download", "wizard", async problems => {
  const detailed = waitCall(/calculate-detailed-hardware/, "POST");
  await page.getByRole("button", { name: /배포 마법사 시작/ }).click();
  const hardware = await (await detailed).json();
  if (!Array.isArray(hardware.service_details) || hardware.service_details.length === 0) problems.push("no service_details for the wizard");
  const next = page.getByRole("button", { name: "다음" });
  await next.click();
  await next.click();
  const generated = waitCall(/generate-manifests/, "POST");
  await next.click();
  const manifests = await (await generated).json();
  if (!(manifests.manifest_count > 0)) problems.push("generate-manifests gave no manifests");
  await page.waitForTimeout(500);
  await expectText(problems, `총 ${manifests.manifest_count}개 파일`, "manifest count");
  const download = page.waitForEvent("download", { timeout: 20000 }).catch(() => null);
  await page.getByRole("button", { name: /패키지 다운로드/ }).click();
  const file = await download;
  if (!file) problems.push("no package downloaded");
  else if (!/\.zip$/.test(file.suggestedFilename())) problems.push(`download named ${file.suggestedFilename()}`);
});

await screen("deployment wizard: deploy (create with auto_deploy)", "wizard-deploy", async problems => {
  const created = waitCall(/\/api\/v1\/tenants\/$/, "POST");
  await page.getByRole("button", { name: "배포 실행" }).click();
  const answer = await created;
  const body = await answer.json();
  if (answer.status() !== 201 || body.success !== true || body.tenant_id !== tenant || !body.preset) problems.push(`create answered ${answer.status()} ${JSON.stringify(body).slice(0, 200)}`);
  if (!body.deployment_id) problems.push("auto_deploy started no deployment");
  await page.getByRole("button", { name: /배포 완료 확인/ }).click({ timeout: 30000 });
  await page.waitForTimeout(500);
  await expectText(problems, `'${tenant}' 생성 완료`, "snackbar");
});

// 3. Integrated dashboard (overview statistics and tenant cards) and the tenant detail dialog.
await screen("overview statistics and tenant cards", "dashboard", async problems => {
  const overview = waitCall(/\/api\/v1\/overview$/);
  await tab(/통합 대시보드/).click();
  const body = await (await overview).json();
  if (!(body.overview?.total_tenants >= 2) || !Array.isArray(body.overview?.tenants_by_preset)) problems.push(`overview: ${JSON.stringify(body.overview)}`);
  await page.waitForTimeout(1500);
  await expectText(problems, tenant, "tenant card");
});

await screen("tenant detail", "tenant-detail", async problems => {
  const detail = waitCall(/\/api\/v1\/tenants\/ui-seed$/);
  await page.getByText("ui-seed", { exact: false }).first().click();
  const body = await (await detail).json();
  if (body.tenant_id !== "ui-seed" || !body.service_config) problems.push(`detail: ${JSON.stringify(body).slice(0, 200)}`);
  await page.waitForTimeout(800);
  await page.getByRole("button", { name: "닫기" }).click();
});

async function action(label, path, problems) {
  const card = page.locator(".MuiCard-root", { hasText: "ui-seed" }).first();
  await card.locator("button").last().click();
  const call = waitCall(new RegExp(`/ui-seed/${path}$`), "POST");
  await page.getByRole("menuitem", { name: label, exact: true }).click();
  const confirm = page.getByRole("button", { name: /^(확인|중지|재시작|삭제)$/ });
  if (await confirm.isVisible({ timeout: 1000 }).catch(() => false)) await confirm.click();
  const answer = await call;
  if (answer.status() >= 400) problems.push(`${path} answered ${answer.status()}`);
  return answer.json();
}

await screen("start / stop / restart", "lifecycle", async problems => {
  // Each action is a durable deployment; the cards reload 3 s after it, and the menu enables what the status allows.
  const settle = async status => {
    for (let i = 0; i < 30; i++) {
      await page.waitForTimeout(1000);
      if (await page.locator(".MuiCard-root", { hasText: "ui-seed" }).first().getByText(status).count()) return;
    }
    problems.push(`ui-seed's card never showed ${status}`);
  };
  const stop = await action("중지", "stop", problems);
  if (!stop.deployment_id) problems.push(`stop: ${JSON.stringify(stop)}`);
  await settle("stopped");
  await page.screenshot({ path: join(shotDir, "ecp-ui-lifecycle-stopped.png") });
  const start = await action("시작", "start", problems);
  if (!start.deployment_id) problems.push(`start: ${JSON.stringify(start)}`);
  await settle("running");
  const restart = await action("재시작", "restart", problems);
  if (!restart.deployment_id) problems.push(`restart: ${JSON.stringify(restart)}`);
});

// 4. Advanced monitoring: its five tabs, the WebSocket, thresholds.
await screen("advanced monitoring: realtime, tenants, SLA, WebSocket", "monitoring", async problems => {
  const realtime = waitCall(/advanced\/realtime$/);
  const tenants = waitCall(/advanced\/tenants$/);
  const sla = waitCall(/advanced\/sla$/);
  await tab(/고급 모니터링/).click();
  const points = (await (await realtime).json()).metrics ?? [];
  if (!points.some(p => typeof p.cpu_usage === "number")) problems.push("realtime has no measured cpu_usage");
  const rows = (await (await tenants).json()).tenants ?? [];
  if (!rows.some(r => r.name && typeof r.availability === "number")) problems.push("tenant comparison has no measured tenant");
  const slaPoints = (await (await sla).json()).metrics ?? [];
  if (!Array.isArray(slaPoints)) problems.push("sla has no metrics[]");
  await page.waitForTimeout(6000);
  const socket = current.sockets.find(s => s.url.includes("/ws/realtime"));
  if (!socket) problems.push("no WebSocket to /ws/realtime");
  else if (socket.error || current.frames === 0) problems.push(`WebSocket: ${socket.error ?? "no monitoring_update received"}`);
  await tab("테넌시 비교").click();
  await page.waitForTimeout(800);
  await expectText(problems, "ui-seed", "tenant comparison row");
  await page.screenshot({ path: join(shotDir, "ecp-ui-monitoring-tenants.png") });
  await tab("SLA 트렌드").click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(shotDir, "ecp-ui-monitoring-sla.png") });
  await tab("실시간 리소스").click();
  await page.waitForTimeout(800);
});

await screen("alerts list with infinite scroll", "alerts", async problems => {
  const first = waitCall(/\/api\/v1\/alerts\/\?page=1/);
  await tab("알람 & 알림").click();
  const body = await first.catch(() => null);
  const page1 = body ? await body.json() : null;
  if (!page1 || !Array.isArray(page1.alerts) || typeof page1.has_more !== "boolean" || typeof page1.total_count !== "number") problems.push(`alerts page: ${JSON.stringify(page1)?.slice(0, 200)}`);
  else if (page1.alerts.length === 0) problems.push("no alerts listed (the seeded rule should be firing)");
  await page.waitForTimeout(800);
  // real-ui.sh fires more alerts than one page holds, so the list must scroll to page 2.
  if (!page1?.has_more) problems.push(`has_more is false with total_count ${page1?.total_count}`);
  else {
    const second = waitCall(/\/api\/v1\/alerts\/\?page=2/);
    await page.locator(".MuiAlert-root").first().locator("xpath=..").evaluate(list => { list.scrollTop = list.scrollHeight; });
    const page2 = await second.catch(() => null);
    if (!page2) problems.push("scrolling did not load page 2");
    else if (((await page2.json()).alerts ?? []).length !== page1.total_count - page1.alerts.length) problems.push("page 2 does not hold the rest");
  }
});

await screen("thresholds: load, apply preset, save", "thresholds", async problems => {
  await tab("임계값 설정").click();
  await page.waitForTimeout(800);
  const apply = waitCall(/presets\/premium\/apply$/, "POST");
  const premium = page.getByText(/premium|프리미엄/i).first();
  await premium.click();
  const applyButton = page.getByRole("button", { name: /적용/ }).first();
  if (await applyButton.isVisible({ timeout: 1000 }).catch(() => false)) await applyButton.click();
  const applied = await apply.catch(() => null);
  if (!applied) problems.push("apply preset made no call");
  else if (!(await applied.json()).thresholds) problems.push("apply preset answer lacks thresholds");
  await page.waitForTimeout(800);
  const save = waitFor(r => /\/api\/v1\/thresholds\/[^/]*$/.test(r.url()) && ["PUT", "POST"].includes(r.request().method()));
  await page.getByRole("button", { name: /저장/ }).first().click();
  const saved = await save.catch(() => null);
  if (!saved) problems.push("save made no call");
  else if (!saved.ok()) problems.push(`save answered ${saved.status()}`);
});

// 5. CI/CD: the image lifecycle tab (list, stats, register) and the registry & security policy tab (test, save).
await screen("CI/CD images: list, stats, register", "cicd-images", async problems => {
  const listed = waitCall(/cicd\/list$/);
  const stats = waitCall(/cicd\/stats\/overview$/);
  await tab(/CI\/CD 관리/).click();
  if (!Array.isArray((await (await listed).json()).images)) problems.push("cicd/list has no images[]");
  if (typeof (await (await stats).json()).stats?.total_images !== "number") problems.push("stats/overview has no stats.total_images");
  await page.getByRole("button", { name: /이미지 등록/ }).click();
  await page.getByLabel("서비스명 (영문)").fill("walk-bot");
  await page.getByLabel("표시명 (한글)").fill("워크 봇");
  await page.getByLabel("이미지명").fill("ecp-ai/walk-bot");
  await page.getByLabel("이미지 태그").fill("1.0.0");
  await page.getByLabel("저장소 경로").fill("ecp-ai");
  const registered = waitCall(/cicd\/register$/, "POST");
  const reloaded = waitCall(/cicd\/list$/);
  await page.getByRole("button", { name: "등록", exact: true }).click();
  const answer = await registered;
  if (answer.status() !== 201) problems.push(`register answered ${answer.status()}: ${(await answer.text()).slice(0, 200)}`);
  const images = (await (await reloaded).json()).images ?? [];
  if (!images.some(i => i.service_name === "walk-bot")) problems.push("the registered image is not listed");
  await page.waitForTimeout(800);
  await expectText(problems, "walk-bot", "image row");
});

await screen("CI/CD registry & security policy: system status, test connection, save", "cicd-settings", async problems => {
  const status = waitCall(/cicd\/system-status$/);
  await tab(/레지스트리 & 보안정책/).click();
  await status.catch(() => null);
  await page.waitForTimeout(800);
  await page.getByLabel("레지스트리 URL").first().fill("harbor.example.com/ecp-ai");
  const tested = waitCall(/test-registry-connection$/, "POST");
  await page.getByRole("button", { name: /연결 테스트/ }).click();
  const test = await (await tested).json();
  if (test.success !== false || test.checked !== false) problems.push(`test-registry-connection: ${JSON.stringify(test)}`);
  const saved = waitCall(/global-settings\/main_registry$/, "PUT");
  await page.getByRole("button", { name: /저장하기/ }).first().click();
  const answer = await saved;
  if (!answer.ok()) problems.push(`saving main_registry answered ${answer.status()}`);
  await page.waitForTimeout(800);
});

// 6. The settings tab's simulator card.
await screen("settings: simulator health", "settings", async problems => {
  const health = waitCall(/\/api\/v1\/simulator\/health$/);
  await tab(/^[^가-힣A-Za-z]*설정$/).first().click();
  await tab(/시뮬레이터/).click();
  const body = await (await health).json();
  if (!["healthy", "unhealthy"].includes(body.status) || !body.message) problems.push(`simulator/health: ${JSON.stringify(body)}`);
  await page.waitForTimeout(800);
});

await browser.close();
const failed = results.filter(r => !r.ok).length;
console.log(`${results.length - failed}/${results.length} screens passed`);
process.exit(failed === 0 ? 0 : 1);
