using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Keelson.Server.Tests.Console;

/// <summary>
/// The console's Cluster page in real headless Chromium against a real <c>keelson serve</c> with a tenant deployed to the
/// embedded sandbox: what it shows is checked against <c>GET /api/v1/clusters/{name}</c>, with axe-core on each state.
/// </summary>
public sealed class ClusterPageBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Tenant = "initech";
    private const string Stuck = "initech-too-big";

    [Fact]
    public async Task The_cluster_page_shows_the_deployed_tenant_s_pods_and_a_pending_pod_s_reason_and_a_tenant_key_only_its_own()
    {
        // Before any deployment there is no demo cluster: the page says how to get one.
        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/cluster");
        await Expect(page.GetByTestId("no-clusters")).ToContainTextAsync("deploy it");
        await ConsoleBrowser.AssertAccessibleAsync(page, "cluster without a cluster");
        await ConsoleBrowser.ScreenshotAsync(page, "cluster-empty");

        await browser.DeployAsync(Tenant, new JsonObject { ["chatbot"] = 10 });
        await AddUnschedulablePodAsync();
        var api = (await browser.Server.Http.GetFromJsonAsync<JsonObject>("/api/v1/clusters/aws-gpu"))!;
        var apiPending = api["pending"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == Stuck)!;
        var tenantPods = api["pods"]!.AsArray().Count(p => p!["tenant"]?.GetValue<string>() == Tenant);
        Assert.True(tenantPods > 0);

        await page.GetByTestId("cluster-check-again").ClickAsync();
        await Expect(page.GetByTestId("node-count")).ToHaveTextAsync(api["totals"]!["nodes"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("node-groups").Locator("section")).ToHaveCountAsync(api["groups"]!.AsArray().Count);
        await Expect(page.GetByTestId("pod-grid")).ToContainTextAsync(Tenant);

        // The pending pod with the scheduler's own message, as the API gives it.
        var row = page.GetByTestId("pending-pods").Locator("tbody tr", new() { HasText = Stuck });
        await Expect(row).ToContainTextAsync("Unschedulable");
        await Expect(row.GetByTestId("pending-message")).ToHaveTextAsync(apiPending["message"]!.GetValue<string>());
        Assert.Contains("Insufficient cpu", apiPending["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // Filtering by tenant leaves that tenant's pods: as many as the API lists.
        await page.Locator("[data-testid=pod-search] input").FillAsync(Tenant);
        await Expect(page.GetByTestId("pod-shown")).ToContainTextAsync($"{tenantPods} of ");
        await page.Locator("[data-testid=pod-search] input").FillAsync("");
        await ConsoleBrowser.ScreenshotAsync(page, "cluster", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "cluster");

        // The node's pod count is a button that shows its pods, by keyboard.
        var firstNode = api["nodes"]!.AsArray().First(n => n!["pod_count"]!.GetValue<int>() > 0)!;
        var button = page.GetByRole(AriaRole.Button, new() { Name = $" pods on {firstNode["name"]!.GetValue<string>()}: show them" });
        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("pod-shown")).ToContainTextAsync($"{api["pods"]!.AsArray().Count(p => p!["node"]!.GetValue<string>() == firstNode["name"]!.GetValue<string>())} of ");

        // The node filter shows as a button that clears it; the phase filter is the API's ?phase=.
        var allPods = api["pods"]!.AsArray().Count;
        await page.GetByTestId("pod-node").ClickAsync();
        await Expect(page.GetByTestId("pod-shown")).ToContainTextAsync($"{allPods} of {allPods} pods");
        await page.GetByTestId("pod-phase").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Running", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("pod-shown")).ToContainTextAsync($"{api["pods"]!.AsArray().Count(p => p!["phase"]!.GetValue<string>() == "Running")} of {allPods} pods");

        // The dark theme passes axe too (contrast of the bars' labels and the pending badge).
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(page.GetByTestId("theme-toggle")).ToHaveTextAsync("Light theme");
        await page.WaitForFunctionAsync("() => getComputedStyle(document.body).backgroundColor !== 'rgb(250, 250, 250)'");
        await ConsoleBrowser.AssertAccessibleAsync(page, "cluster in the dark theme");

        // A 390-pixel phone: no sideways scrolling.
        var phone = await browser.OpenAsync(await browser.NewPageAsync(390, 844), "demo/cluster");
        await Expect(phone.GetByTestId("pod-grid")).ToContainTextAsync(Tenant);
        Assert.True(await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the cluster page scrolls sideways at 390 px");
        await ConsoleBrowser.ScreenshotAsync(phone, "cluster-phone");
        await ConsoleBrowser.AssertAccessibleAsync(phone, "cluster on a phone");

        // A tenant-scoped key: every node, none of another tenant's pods.
        var scoped = await browser.OpenAsync(await browser.NewPageAsync(), "demo/settings");
        await scoped.Locator("[data-testid=api-key] input").FillAsync(ConsoleBrowser.TenantKey);
        await ConsoleBrowser.ClickWhenEnabledAsync(scoped.GetByTestId("save-key"));
        await Expect(scoped.GetByTestId("key-state")).ToHaveTextAsync("API key set");
        var cluster = api["name"]!.GetValue<string>();
        var version = (await browser.Server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/clusters/{cluster}/version"))!["git_version"]!.GetValue<string>();
        await Expect(scoped.GetByTestId($"cluster-version-{cluster}")).ToHaveTextAsync(version);
        Assert.StartsWith("v1.", version, StringComparison.Ordinal);
        await scoped.GetByRole(AriaRole.Link, new() { Name = "Cluster", Exact = true }).ClickAsync();
        await Expect(scoped.GetByTestId("node-count")).ToHaveTextAsync(api["totals"]!["nodes"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture));
        await Expect(scoped.GetByTestId("cluster-observed")).ToContainTextAsync("only its tenant's pods");
        await Expect(scoped.GetByTestId("no-pods")).ToBeVisibleAsync();
        await Expect(scoped.GetByTestId("no-pending")).ToBeVisibleAsync();
        Assert.DoesNotContain(Tenant, await scoped.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleBrowser.AssertAccessibleAsync(scoped, "cluster with a tenant key");
    }

    // A pod no node of the profile can hold, through the sandbox's Kubernetes API as kubectl would create it.
    private async Task AddUnschedulablePodAsync()
    {
        var kubeconfig = await File.ReadAllTextAsync(Path.Combine(browser.DataDirectory, "sandbox", "aws-gpu.kubeconfig"));
        var server = kubeconfig.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("server:", StringComparison.Ordinal))["server:".Length..].Trim();
        using var sandbox = new HttpClient { BaseAddress = new Uri(server.TrimEnd('/') + "/") };
        var pod = JsonNode.Parse("""
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "STUCK", "namespace": "TENANT"},
             "spec": {"containers": [{"name": "main", "image": "busybox:1.36", "resources": {"requests": {"cpu": "900", "memory": "1Gi"}}}]}}
            """.Replace("STUCK", Stuck, StringComparison.Ordinal).Replace("TENANT", Tenant, StringComparison.Ordinal));
        using var created = await sandbox.PostAsJsonAsync(new Uri($"api/v1/namespaces/{Tenant}/pods", UriKind.Relative), pod);
        Assert.True(created.IsSuccessStatusCode, $"{created.StatusCode}");
        await WaitAsync(TimeSpan.FromSeconds(60), async () =>
        {
            var answer = (await browser.Server.Http.GetFromJsonAsync<JsonObject>("/api/v1/clusters/aws-gpu"))!;
            return answer["pending"]!.AsArray().Any(p => p!["name"]!.GetValue<string>() == Stuck && p["reason"]!.GetValue<string>() == "Unschedulable");
        });
    }

    private static async Task WaitAsync(TimeSpan timeout, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not done within {timeout}");
            await Task.Delay(250);
        }
    }
}
