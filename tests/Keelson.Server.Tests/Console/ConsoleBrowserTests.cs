using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Keelson.Server.Tests.Console;

/// <summary>
/// The web console in real headless Chromium against a real <c>keelson serve</c>: what a user clicks, checked against
/// what the API answers for the same request, with axe-core on every page and screenshots in docs/images.
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task A_tenant_created_from_service_counts_shows_the_plan_the_API_gives_and_it_changes_as_counts_change()
    {
        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants/new");
        await Expect(page.GetByTestId("mode-badge")).ToContainTextAsync("Demo");
        await page.Locator("[data-testid=tenant-id] input").FillAsync("globex");
        await page.Locator("[data-testid=tenant-name] input").FillAsync("Globex Corp");
        await page.Locator("[data-testid=count-chatbot] input").FillAsync("20");
        await page.Locator("[data-testid=count-callbot] input").FillAsync("10");
        var small = await PlanOfAsync(new JsonObject { ["chatbot"] = 20, ["callbot"] = 10 });
        await Expect(page.GetByTestId("plan-replicas")).ToHaveTextAsync(Replicas(small));
        await Expect(page.GetByTestId("plan-cost")).ToHaveTextAsync(Usd(small));
        await ConsoleBrowser.ScreenshotAsync(page, "create-small");

        // More callbot sessions: more replicas, GPU nodes, a higher cost; the page follows without a click.
        await page.Locator("[data-testid=count-callbot] input").FillAsync("200");
        var large = await PlanOfAsync(new JsonObject { ["chatbot"] = 20, ["callbot"] = 200 });
        Assert.True(Total(large, "services", "replicas") > Total(small, "services", "replicas"));
        await Expect(page.GetByTestId("plan-replicas")).ToHaveTextAsync(Replicas(large));
        await Expect(page.GetByTestId("plan-cost")).ToHaveTextAsync(Usd(large));
        await Expect(page.GetByTestId("plan-nodes")).ToHaveTextAsync(Total(large, "nodes", "nodes").ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("plan-pools")).ToContainTextAsync($"lower bound {large["nodes"]![0]!["lower_bound"]}");
        var gpus = large["services"]!.AsArray().Where(s => s!["gpu"]!.GetValue<int>() > 0).ToList();
        Assert.NotEmpty(gpus);
        await Expect(page.GetByTestId("plan-gpus")).ToContainTextAsync($"× {gpus[0]!["device"]}");
        await ConsoleBrowser.ScreenshotAsync(page, "create-plan", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "new tenant");

        // On a loaded machine the circuit can take a while; if the page answers with a problem instead, say what it showed.
        var create = page.GetByTestId("create-tenant");
        await ConsoleBrowser.ClickWhenEnabledAsync(create);
        try
        {
            // Polls the document's own location: Blazor navigates with history.pushState, and WaitForURLAsync once missed
            // it (2026-12-07: timed out while the page already showed the tenant).
            await page.WaitForFunctionAsync("() => location.pathname.endsWith('/demo/tenants/globex')", null, new() { Timeout = 90_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Creating did not open the tenant's page ({page.Url}); the page shows: {await page.Locator("main").InnerTextAsync()}");
        }

        await Expect(page.GetByTestId("tenant-status")).ToHaveTextAsync("pending");
        var stored = await browser.Server.Http.GetFromJsonAsync<JsonObject>("/api/v1/tenants/globex");
        Assert.Equal((200, "Globex Corp"), (stored!["service_config"]!["callbot"]!.GetValue<int>(), stored["name"]!.GetValue<string>()));
        await ConsoleBrowser.AssertAccessibleAsync(page, "tenant overview");

        // The list finds it, and names its status, preset and mode.
        await browser.OpenAsync(page, "demo/tenants");
        await page.Locator("[data-testid=tenant-search] input").FillAsync("globex");
        var row = page.Locator("[data-testid=tenant-grid] tr", new PageLocatorOptions { HasText = "Globex Corp" });
        await Expect(row).ToContainTextAsync("pending");
        await Expect(row).ToContainTextAsync(stored["preset"]!.GetValue<string>());
        await Expect(row).ToContainTextAsync("demo");
        await ConsoleBrowser.ScreenshotAsync(page, "tenants");
        await ConsoleBrowser.AssertAccessibleAsync(page, "tenants");
    }

    [Fact]
    public async Task A_tenant_created_from_a_stack_document_shows_the_API_s_findings_at_their_lines_then_the_plan_and_is_created()
    {
        var good = await File.ReadAllTextAsync(Keelson.Testing.Repo.File("examples", "restaurant.yaml"));
        var bad = good.Replace("availability: 99.9%", "availability: lots", StringComparison.Ordinal);
        var badLine = bad.Split('\n').ToList().FindIndex(l => l.Contains("availability: lots", StringComparison.Ordinal)) + 1;

        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants/new");
        await page.GetByRole(AriaRole.Radio, new() { Name = "a stack document" }).ClickAsync();
        // Opened from a file, as a user would pick one.
        var file = Path.Combine(browser.Downloads, "restaurant-bad.yaml");
        await File.WriteAllTextAsync(file, bad);
        await page.Locator("[data-testid=stack-file]").SetInputFilesAsync(file);

        // The API's finding is shown under the line it names, with its field path; nothing is planned.
        var finding = page.Locator($"[data-testid=stack-errors] .finding[data-line='{badLine}']");
        await Expect(finding).ToContainTextAsync("sla.availability");
        await Expect(page.Locator("[data-testid=stack-errors] .line.bad")).ToContainTextAsync("availability: lots");
        await Expect(page.GetByTestId("plan-replicas")).ToHaveCountAsync(0);
        await ConsoleBrowser.ScreenshotAsync(page, "create-stack-errors", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "new tenant from a stack with errors");

        // Corrected in the editor: the findings go and the plan is the API's plan of the same document.
        await page.Locator("[data-testid=stack-yaml] textarea").FillAsync(good);
        using var planned = await browser.Server.Http.PostAsync("/api/v1/tenants/calculate-resources", new StringContent(good, System.Text.Encoding.UTF8, "application/yaml"));
        planned.EnsureSuccessStatusCode();
        var plan = JsonNode.Parse(await planned.Content.ReadAsStringAsync())!.AsObject();
        await Expect(page.GetByTestId("plan-replicas")).ToHaveTextAsync(Replicas(plan));
        await Expect(page.GetByTestId("plan-cost")).ToHaveTextAsync(Usd(plan));
        await Expect(page.GetByTestId("stack-errors")).ToHaveCountAsync(0);

        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("create-tenant"));
        await page.WaitForFunctionAsync("() => location.pathname.endsWith('/demo/tenants/restaurant-system')", null, new() { Timeout = 90_000 });
        var stored = await browser.Server.Http.GetFromJsonAsync<JsonObject>("/api/v1/tenants/restaurant-system");
        Assert.Equal("Restaurant management", stored!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_manifests_page_shows_the_rendered_objects_as_a_tree_with_their_YAML_and_downloads_what_the_API_serves()
    {
        await CreateAsync("initech", new JsonObject { ["chatbot"] = 30 });
        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants/initech/manifests");
        await Expect(page.GetByTestId("validation-summary")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d+ objects;\s+valid: 0 errors, \d+ warnings"));
        var tree = page.GetByTestId("manifest-tree");
        await Expect(tree).ToContainTextAsync("initech (");
        await Expect(tree).ToContainTextAsync("Deployment (");

        // Namespace → kind → object: the chatbot Deployment's YAML.
        await tree.Locator("fluent-tree-item[data-object='Deployment/chatbot']").ClickAsync();
        await Expect(page.GetByTestId("selected-object")).ToHaveTextAsync("Deployment chatbot");
        await Expect(page.GetByTestId("object-yaml")).ToContainTextAsync("kind: Deployment");
        await Expect(page.GetByTestId("object-yaml")).ToContainTextAsync("namespace: initech");
        await ConsoleBrowser.ScreenshotAsync(page, "manifests");
        await ConsoleBrowser.AssertAccessibleAsync(page, "manifests");

        // The YAML download is byte for byte the API's; the Helm chart is its tar.gz.
        var yaml = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-yaml").ClickAsync());
        Assert.Equal("initech.yaml", yaml.SuggestedFilename);
        var saved = Path.Combine(browser.Downloads, "initech.yaml");
        await yaml.SaveAsAsync(saved);
        Assert.Equal(await browser.Server.Http.GetStringAsync("/api/v1/tenants/initech/manifest?format=yaml&include_monitoring=true"), await File.ReadAllTextAsync(saved));
        var helm = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-helm").ClickAsync());
        Assert.EndsWith(".tgz", helm.SuggestedFilename.Replace(".tar.gz", ".tgz", StringComparison.Ordinal), StringComparison.Ordinal);
        var chart = Path.Combine(browser.Downloads, helm.SuggestedFilename);
        await helm.SaveAsAsync(chart);
        var bytes = await File.ReadAllBytesAsync(chart);
        Assert.Equal((0x1f, 0x8b), (bytes[0], bytes[1]));

        // Any pasted manifest is validated, findings with their line and fix.
        await browser.OpenAsync(page, "demo/validate");
        await page.Locator("[data-testid=manifest-input] textarea").FillAsync("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:latest
            """);
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("validate"));
        await Expect(page.GetByTestId("validate-result")).ToContainTextAsync("warnings");
        await Expect(page.GetByTestId("validate-findings")).ToContainTextAsync("latest tag");
        await ConsoleBrowser.ScreenshotAsync(page, "validate", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "validate");
    }

    [Fact]
    public async Task A_deployment_started_in_the_console_is_watched_step_by_step_until_it_succeeds_in_the_sandbox()
    {
        await CreateAsync("hooli", new JsonObject { ["chatbot"] = 10 });
        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants/hooli/deploy");
        await Expect(page.GetByText("No deployments yet")).ToBeVisibleAsync();
        await page.GetByTestId("deploy").ClickAsync();
        await Expect(page.GetByTestId("deployment-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("pending|running"));
        // Progress lines arrive over the WebSocket while it runs.
        await Expect(page.GetByTestId("deployment-events")).ToContainTextAsync("[workloads]", new() { Timeout = 120_000 });
        await ConsoleBrowser.ScreenshotAsync(page, "deploy-running", fullPage: true);
        await Expect(page.GetByTestId("deployment-status")).ToHaveTextAsync("succeeded", new() { Timeout = 240_000 });
        var steps = page.GetByTestId("deployment-steps").Locator("tbody tr");
        await Expect(steps).ToHaveCountAsync(10);
        await Expect(page.GetByTestId("deployment-steps").Locator("tbody tr", new LocatorLocatorOptions { HasText = "succeeded" })).ToHaveCountAsync(10);
        await Expect(page.GetByTestId("deployment-history")).ToContainTextAsync("succeeded");

        // What the page says is what the API says.
        var history = await browser.Server.Http.GetFromJsonAsync<JsonObject>("/api/v1/tenants/hooli/deployments");
        Assert.Equal("succeeded", history!["deployments"]![0]!["status"]!.GetValue<string>());
        var first = history["deployments"]![0]!["deployment_id"]!.GetValue<string>();

        // The first revision added every object it delivered, one folded entry each.
        var added = (await browser.Server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/deployments/{first}/diff"))!;
        Assert.True(added["summary"]!["added"]!.GetValue<int>() > 0);
        await Expect(page.GetByTestId("diff-summary")).ToContainTextAsync($"Against nothing deployed before: {added["summary"]!["added"]} added, 0 removed, 0 changed");
        await Expect(page.GetByTestId("diff-object")).ToHaveCountAsync(added["objects"]!.AsArray().Count);
        var chatbot = page.Locator("[data-testid=diff-object][data-object='Deployment/chatbot']");
        await chatbot.Locator("summary").ClickAsync();
        await Expect(chatbot.Locator("pre span.added").First).ToContainTextAsync("+ apiVersion: apps/v1");
        await ConsoleBrowser.ScreenshotAsync(page, "deploy", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "deploy");

        // A second revision with four times the chatbot sessions, started through the API: the page opens on it and
        // shows what it changes against the first while it runs (a diff is of what each revision delivers).
        await AdminSendAsync(HttpMethod.Patch, "/api/v1/tenants/hooli", new JsonObject { ["service_requirements"] = new JsonObject { ["chatbot"] = 40 } }, "application/merge-patch+json");
        var second = (await AdminSendAsync(HttpMethod.Post, "/api/v1/tenants/hooli/deploy", new JsonObject()))["deployment_id"]!.GetValue<string>();
        var changed = (await browser.Server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/deployments/{second}/diff"))!;
        Assert.True(changed["summary"]!["changed"]!.GetValue<int>() > 0);
        await browser.OpenAsync(page, "demo/tenants/hooli/deploy");
        await Expect(page.GetByTestId("diff-summary")).ToContainTextAsync(
            $"Against revision 1 (deploy): {changed["summary"]!["added"]} added, {changed["summary"]!["removed"]} removed, {changed["summary"]!["changed"]} changed, {changed["summary"]!["unchanged"]} unchanged");
        await Expect(page.GetByTestId("diff-object")).ToHaveCountAsync(changed["objects"]!.AsArray().Count);
        await Expect(page.Locator("[data-testid=diff-object][data-object='Deployment/chatbot'] .status")).ToHaveTextAsync("changed");

        // Revision 1 shown against revision 2: the baseline is chosen on the page and the API's answer is shown.
        await page.GetByTestId("deployment-history").Locator("tbody tr").Last.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "What revision 1 changed" })).ToBeVisibleAsync();
        await page.GetByTestId("diff-against").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "revision 2", Exact = false }).ClickAsync();
        var back = (await browser.Server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/deployments/{first}/diff?against={second}"))!;
        await Expect(page.GetByTestId("diff-summary")).ToContainTextAsync(
            $"Against revision 2 (deploy): {back["summary"]!["added"]} added, {back["summary"]!["removed"]} removed, {back["summary"]!["changed"]} changed");
        await ConsoleBrowser.AssertAccessibleAsync(page, "deploy against another revision");
    }

    private async Task<JsonObject> AdminSendAsync(HttpMethod method, string path, JsonObject body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, contentType) };
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        using var response = await browser.Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task A_tenant_scoped_key_sees_only_its_tenant_and_production_asks_for_a_key()
    {
        await CreateAsync(ConsoleBrowser.ScopedTenant, new JsonObject { ["chatbot"] = 5 });
        await CreateAsync("scoped-b", new JsonObject { ["chatbot"] = 5 });
        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/settings");
        await page.Locator("[data-testid=api-key] input").FillAsync(ConsoleBrowser.TenantKey);
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-key"));
        await Expect(page.GetByTestId("key-state")).ToHaveTextAsync("API key set");
        // The key is not shown again anywhere on the page.
        Assert.DoesNotContain(ConsoleBrowser.TenantKey, await page.ContentAsync(), StringComparison.Ordinal);
        await ConsoleBrowser.AssertAccessibleAsync(page, "settings");

        await page.GetByRole(AriaRole.Link, new() { Name = "Tenants", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("total-count")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("tenant-grid")).ToContainTextAsync(ConsoleBrowser.ScopedTenant);
        await Expect(page.GetByTestId("tenant-grid")).Not.ToContainTextAsync("scoped-b");
        await ConsoleBrowser.ScreenshotAsync(page, "tenant-key");

        await page.EvaluateAsync("() => Blazor.navigateTo('/demo/tenants/scoped-b')");
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("may not access that tenant");
        var other = await page.GetByTestId("problem").TextContentAsync();
        Assert.Contains("403", await ProblemStatusAsync("/api/v1/tenants/scoped-b", ConsoleBrowser.TenantKey), StringComparison.Ordinal);
        Assert.DoesNotContain("Globex", other ?? "", StringComparison.Ordinal);

        // Production is another URL; without a key, a fresh tab gets the API's 401 and is told where to put a key.
        var fresh = await browser.OpenAsync(await browser.NewPageAsync(), "production/tenants");
        await Expect(fresh.GetByTestId("mode-badge")).ToContainTextAsync("Production");
        await Expect(fresh.GetByTestId("problem")).ToContainTextAsync("key");
        await ConsoleBrowser.ScreenshotAsync(fresh, "production-no-key");
        await ConsoleBrowser.AssertAccessibleAsync(fresh, "production without a key");
    }

    [Fact]
    public async Task The_console_fits_a_390_pixel_phone_and_has_a_dark_theme()
    {
        await CreateAsync("umbrella", new JsonObject { ["chatbot"] = 5 });
        var phone = await browser.OpenAsync(await browser.NewPageAsync(390, 844), "demo/tenants");
        await Expect(phone.GetByTestId("tenant-grid")).ToContainTextAsync("umbrella");
        Assert.True(await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the page scrolls sideways at 390 px");
        await ConsoleBrowser.ScreenshotAsync(phone, "phone-tenants");
        await ConsoleBrowser.AssertAccessibleAsync(phone, "tenants on a phone");
        await browser.OpenAsync(phone, "demo/tenants/new");
        await phone.Locator("[data-testid=count-chatbot] input").FillAsync("50");
        await Expect(phone.GetByTestId("plan-replicas")).Not.ToBeEmptyAsync();
        Assert.True(await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the create page scrolls sideways at 390 px");
        await ConsoleBrowser.ScreenshotAsync(phone, "phone-create", fullPage: true);

        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants");
        var light = await BodyLuminanceAsync(page);
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(page.GetByTestId("theme-toggle")).ToHaveTextAsync("Light theme");
        await page.WaitForFunctionAsync("() => getComputedStyle(document.body).backgroundColor !== 'rgb(250, 250, 250)'");
        var dark = await BodyLuminanceAsync(page);
        Assert.True(light > 0.8 && dark < 0.2, $"body luminance light {light}, dark {dark}");
        await ConsoleBrowser.ScreenshotAsync(page, "dark");
        await ConsoleBrowser.AssertAccessibleAsync(page, "tenants in the dark theme");
    }

    [Fact]
    public async Task Samples_pushed_to_the_API_are_charted_and_a_new_one_moves_the_chart_live()
    {
        await CreateAsync("soylent", new JsonObject { ["chatbot"] = 5 });
        await PushAsync("soylent", DateTimeOffset.UtcNow.AddMinutes(-3), new JsonObject { ["cpu_usage"] = 40.0, ["latency_ms"] = 120.0 });
        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants/soylent/metrics");
        var cpu = page.GetByTestId("chart-cpu_usage");
        await Expect(cpu).ToHaveAttributeAsync("data-points", "1");
        await Expect(page.GetByTestId("chart-latency_ms")).ToHaveAttributeAsync("data-points", "1");
        await Expect(page.GetByTestId("metrics-live")).ToContainTextAsync("Live");
        // Plotly drew the series: one trace, one marker per point.
        await Expect(cpu.Locator(".scatterlayer .trace")).ToHaveCountAsync(1);
        await Expect(cpu.Locator(".scatterlayer .point")).ToHaveCountAsync(1);

        // A sample pushed now arrives over /ws/monitoring and is drawn without a reload.
        await PushAsync("soylent", DateTimeOffset.UtcNow, new JsonObject { ["cpu_usage"] = 75.0 });
        await Expect(cpu).ToHaveAttributeAsync("data-points", "2");
        await Expect(cpu.Locator(".scatterlayer .point")).ToHaveCountAsync(2);
        await Expect(cpu).ToContainTextAsync("last 75");
        await ConsoleBrowser.ScreenshotAsync(page, "metrics");
        await ConsoleBrowser.AssertAccessibleAsync(page, "metrics");
    }

    [Fact]
    public async Task An_alert_rule_created_in_the_console_fires_on_a_pushed_spike_and_is_silenced_from_the_console()
    {
        await CreateAsync("vandelay", new JsonObject { ["chatbot"] = 5 });
        using (var settings = await browser.Server.Http.PutAsJsonAsync("/api/v1/tenants/vandelay/alert-settings", new JsonObject { ["evaluation_interval"] = "1s" }))
        {
            settings.EnsureSuccessStatusCode();
        }

        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants/vandelay/alerts");
        await page.Locator("[data-testid=rule-name] input").FillAsync("high_cpu");
        await page.Locator("[data-testid=rule-condition] input").FillAsync("cpu_usage >> 80");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("create-rule"));
        // The API's 422 for the condition is shown under it; nothing is created.
        await Expect(page.GetByTestId("rule-problem")).ToBeVisibleAsync();
        await Expect(page.Locator(".rule-form .field-error")).Not.ToHaveCountAsync(0);
        Assert.Equal(0, (await browser.Server.Http.GetFromJsonAsync<JsonObject>("/api/v1/tenants/vandelay/alerts"))!["total"]!.GetValue<int>());

        await page.Locator("[data-testid=rule-condition] input").FillAsync("cpu_usage > 80");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("create-rule"));
        await Expect(page.GetByTestId("alert-rules")).ToContainTextAsync("high_cpu");
        await Expect(page.GetByTestId("no-active")).ToBeVisibleAsync();

        // A spike pushed to the API makes the rule fire; the page shows it without a reload.
        await PushAsync("vandelay", DateTimeOffset.UtcNow, new JsonObject { ["cpu_usage"] = 95.0 });
        var firing = page.GetByTestId("active-alerts").Locator("tr", new() { HasText = "high_cpu" });
        await Expect(firing).ToContainTextAsync("firing", new() { Timeout = 30_000 });
        await Expect(firing).ToContainTextAsync("95");
        await ConsoleBrowser.ScreenshotAsync(page, "alerts-firing", fullPage: true);

        await page.GetByTestId("silence-high_cpu").ClickAsync();
        await Expect(page.GetByTestId("silences")).ToContainTextAsync("alertname=\"high_cpu\"");
        await Expect(firing).ToContainTextAsync("silenced");
        var silences = await browser.Server.Http.GetStringAsync("/api/v1/silences");
        Assert.Contains("high_cpu", silences, StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "alerts", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "alerts");
    }

    private async Task PushAsync(string tenant, DateTimeOffset at, JsonObject metrics)
    {
        using var response = await browser.Server.Http.PostAsJsonAsync($"/api/v1/tenants/{tenant}/monitoring",
            new JsonObject { ["timestamp"] = at.ToString("O", CultureInfo.InvariantCulture), ["metrics"] = metrics });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<double> BodyLuminanceAsync(IPage page) => await page.EvaluateAsync<double>("""
        () => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number); return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; }
        """);

    private async Task<JsonObject> PlanOfAsync(JsonObject services)
    {
        using var response = await browser.Server.Http.PostAsJsonAsync("/api/v1/tenants/calculate-resources", new JsonObject { ["tenant_id"] = "globex", ["name"] = "Globex Corp", ["service_requirements"] = services });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task CreateAsync(string tenant, JsonObject services)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/") { Content = JsonContent.Create(new JsonObject { ["tenant_id"] = tenant, ["service_requirements"] = services }) };
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        using var response = await browser.Server.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> ProblemStatusAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", key);
        using var response = await browser.Server.Http.SendAsync(request);
        return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    }

    private static int Total(JsonObject plan, string list, string field) => plan[list]!.AsArray().Sum(item => item![field]!.GetValue<int>());

    private static string Replicas(JsonObject plan) => Total(plan, "services", "replicas").ToString(CultureInfo.InvariantCulture);

    private static string Usd(JsonObject plan) => plan["estimated_cost"]!["monthly_usd"]!.GetValue<double>().ToString("$#,0", CultureInfo.InvariantCulture);
}
