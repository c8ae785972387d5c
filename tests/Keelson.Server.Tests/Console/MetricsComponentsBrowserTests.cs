using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Keelson.Server.Tests.Console;

/// <summary>
/// The Metrics page's per-component section in real headless Chromium against a real <c>keelson serve</c> with a tenant
/// deployed to the embedded sandbox: one line and one row per workload, as <c>GET …/monitoring/components</c> answers.
/// </summary>
public sealed class MetricsComponentsBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Tenant = "globex";

    [Fact]
    public async Task Each_workload_of_a_deployed_tenant_gets_its_own_line_and_row()
    {
        await browser.DeployAsync(Tenant, new JsonObject { ["chatbot"] = 10, ["stt"] = 5 });
        var page = await browser.OpenAsync(await browser.NewPageAsync(), $"demo/tenants/{Tenant}/metrics");
        var rows = page.GetByTestId("component-table").Locator("tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();

        // The same components as the API names, each with a line on the chart.
        var answer = await AdminGetAsync($"/api/v1/tenants/{Tenant}/monitoring/components?metric=pods_running&hours=1");
        Assert.Equal("sandbox", answer["source"]!.GetValue<string>());
        var names = answer["components"]!.AsArray().Select(c => c!["component"]!.GetValue<string>()).ToList();
        Assert.True(names.Count >= 2, string.Join(", ", names));
        Assert.Equal(names, await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.component)"));
        var chart = page.GetByTestId("chart-components");
        await Expect(chart).ToHaveAttributeAsync("data-traces", names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(chart.Locator(".scatterlayer .trace")).ToHaveCountAsync(names.Count);

        // Choosing pods_running: every workload has ready pods.
        await page.GetByTestId("component-metric").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "pods_running", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("component-table").Locator("thead")).ToContainTextAsync("pods_running");
        var pods = (await rows.Locator("td.num").AllInnerTextsAsync()).Where((_, i) => i % 2 == 0).Select(double.Parse).ToList();
        Assert.Equal(names.Count, pods.Count);
        Assert.All(pods, p => Assert.True(p >= 1, $"{p} pods"));
        // (That the components add up to the tenant at each instant is SandboxMonitoringTests' check, on the API.)

        await ConsoleBrowser.ScreenshotAsync(page, "metrics-components", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "metrics by component");
        var phone = await browser.OpenAsync(await browser.NewPageAsync(390, 844, ColorScheme.Dark), $"demo/tenants/{Tenant}/metrics");
        await Expect(phone.GetByTestId("component-table").Locator("tbody tr")).ToHaveCountAsync(names.Count);
        await ConsoleBrowser.AssertAccessibleAsync(phone, "metrics by component on a phone, dark");
    }

    private async Task<JsonObject> AdminGetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        using var response = await browser.Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
