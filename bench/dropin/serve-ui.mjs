// Serves a production build of the ECP-AI developer UI the way its Docker set-up does with the CRA dev server: the
// static files on one port (index.html for any unknown path, as a single-page app needs) and the page's relative
// /api/... and /health calls forwarded to the backend. No dependencies beyond Node itself.
//   node serve-ui.mjs BUILD_DIR PORT BACKEND_URL
import { createServer, request } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const [buildDir, port = "3000", backend = "http://localhost:8001"] = process.argv.slice(2);
if (!buildDir) {
  console.error("usage: node serve-ui.mjs BUILD_DIR [PORT] [BACKEND_URL]");
  process.exit(2);
}
const target = new URL(backend);
const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".txt": "text/plain", ".map": "application/json",
};

function forward(req, res) {
  // The CRA proxy keeps the browser's headers (X-Demo-Mode, Content-Type) and rewrites only the host.
  const headers = { ...req.headers, host: target.host };
  const upstream = request({ hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers }, answer => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", error => {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`proxy: ${error.message}`);
  });
  req.pipe(upstream);
}

async function serveFile(req, res) {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  let file = join(buildDir, path);
  try {
    if (!(await stat(file)).isFile()) file = join(buildDir, "index.html");
  } catch {
    file = join(buildDir, "index.html");
  }
  const body = await readFile(file);
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
  res.end(body);
}

createServer((req, res) => {
  if (req.url.startsWith("/api/") || req.url === "/health" || req.url === "/ready") {
    forward(req, res);
  } else {
    serveFile(req, res).catch(error => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  }
}).listen(Number(port), "localhost", () => console.log(`serving ${buildDir} on http://localhost:${port}, /api -> ${backend}`));
