using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Alerts;
using Keelson.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Keelson.Server.Tests.Console;

/// <summary>
/// The console's live streams in real headless Chromium against a real <c>keelson serve</c>: the Cluster page, the
/// Metrics page's components and the notification centre change when the server's state does, with no reload or click.
/// </summary>
public sealed class LiveStreamsBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Deployed = "livecorp";

    [Fact]
    public async Task The_cluster_page_shows_pods_kubectl_adds_without_a_reload_or_a_click()
    {
        await DeployAsync();
        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/cluster/aws-gpu");
        await Expect(page.GetByTestId("cluster-live")).ToContainTextAsync("Live:");
        var before = (await browser.Server.Http.GetFromJsonAsync<JsonObject>("/api/v1/clusters/aws-gpu?include_pods=false"))!["totals"]!["pod_count"]!.GetValue<int>();
        await Expect(page.GetByTestId("pod-count")).ToHaveTextAsync(before.ToString(CultureInfo.InvariantCulture));

        var kubeconfig = Path.Combine(browser.DataDirectory, "sandbox", "aws-gpu.kubeconfig");
        var replicas = int.Parse(await ExternalProcess.RunAsync("kubectl", ["--kubeconfig", kubeconfig, "get", "deployment", "chatbot", "-n", Deployed, "-o", "jsonpath={.spec.replicas}"], TimeSpan.FromSeconds(30)), CultureInfo.InvariantCulture);
        await ExternalProcess.RunAsync("kubectl", ["--kubeconfig", kubeconfig, "scale", "deployment", "chatbot", "-n", Deployed, $"--replicas={replicas + 3}"], TimeSpan.FromSeconds(30));

        // Nothing is clicked: the pushed view raises the count, and the grid's own count with it.
        await page.WaitForFunctionAsync("before => Number(document.querySelector('[data-testid=pod-count]').textContent) > before", before, new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("pod-shown")).Not.ToContainTextAsync($"of {before} pods");
        await ConsoleBrowser.AssertAccessibleAsync(page, "the live cluster page");
    }

    [Fact]
    public async Task A_component_chart_gains_a_point_at_the_next_sampling_instant()
    {
        await DeployAsync();
        var page = await browser.OpenAsync(await browser.NewPageAsync(), $"demo/tenants/{Deployed}/metrics");
        var chart = page.GetByTestId("chart-components");
        await Expect(chart).ToBeVisibleAsync();
        await Expect(page.GetByTestId("components-live")).ToContainTextAsync("Live:");
        var points = int.Parse((await chart.GetAttributeAsync("data-points"))!, CultureInfo.InvariantCulture);

        // The sandbox is sampled every 15 s; the next instant adds a point to each component's line.
        await page.WaitForFunctionAsync("before => Number(document.querySelector('[data-testid=chart-components]').dataset.points) > before", points, new() { Timeout = 60_000 });
        await ConsoleBrowser.AssertAccessibleAsync(page, "metrics with live components");
    }

    [Fact]
    public async Task A_firing_alert_appears_in_the_open_notification_centre()
    {
        const string Tenant = "livealert";
        await using var sink = await WebhookSink.StartAsync();
        await SendAsync(HttpMethod.Post, "/api/v1/tenants/", new JsonObject { ["tenant_id"] = Tenant, ["service_requirements"] = new JsonObject { ["chatbot"] = 5 } });
        await SendAsync(HttpMethod.Put, $"/api/v1/tenants/{Tenant}/alert-settings", new JsonObject { ["evaluation_interval"] = "1s" });
        await SendAsync(HttpMethod.Post, $"/api/v1/tenants/{Tenant}/alerts", new JsonObject
        {
            ["alert_name"] = "live_cpu", ["condition"] = "cpu_usage > 80", ["duration"] = "0s",
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "webhook", ["url"] = new Uri(sink.Url, "hook").AbsoluteUri }),
        });

        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants");
        await page.GetByTestId("bell").ClickAsync();
        var centre = page.GetByTestId("notification-centre");
        await Expect(centre.GetByTestId("centre-live")).ToContainTextAsync("Live:");
        await Expect(centre).Not.ToContainTextAsync("live_cpu");

        await SendAsync(HttpMethod.Post, $"/api/v1/tenants/{Tenant}/monitoring",
            new JsonObject { ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["metrics"] = new JsonObject { ["cpu_usage"] = 95 } });
        await Expect(centre.GetByTestId("centre-firing")).ToContainTextAsync($"live_cpu · {Tenant}");
        await ConsoleBrowser.ScreenshotAsync(page, "notification-centre-live");
        await ConsoleBrowser.AssertAccessibleAsync(page, "the notification centre, live");
    }

    private async Task SendAsync(HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        using var response = await browser.Server.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    // One deployment for the class: the first test that needs it deploys, the others find it done.
    private async Task DeployAsync()
    {
        using (var exists = await browser.Server.Http.GetAsync(new Uri($"/api/v1/tenants/{Deployed}/deployments", UriKind.Relative)))
        {
            if (exists.IsSuccessStatusCode && (await exists.Content.ReadAsStringAsync()).Contains("succeeded", StringComparison.Ordinal))
            {
                return;
            }
        }

        await browser.DeployAsync(Deployed, new JsonObject { ["chatbot"] = 10 });
    }
}
