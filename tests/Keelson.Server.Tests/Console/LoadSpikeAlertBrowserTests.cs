using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Keelson.Server.Tests.Console;

/// <summary>
/// An alert rule created in the console fires from a load spike started on the Metrics page against a tenant deployed
/// to the embedded sandbox — no pushed value — and is silenced from the console; real <c>keelson serve</c>, real Chromium.
/// </summary>
public sealed class LoadSpikeAlertBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Tenant = "initech";

    [Fact]
    public async Task An_alert_rule_fires_from_a_sandbox_load_spike_and_is_silenced_from_the_console()
    {
        await browser.DeployAsync(Tenant, new JsonObject { ["chatbot"] = 10 });
        using (var settings = await SendAsync(HttpMethod.Put, $"/api/v1/tenants/{Tenant}/alert-settings", new JsonObject { ["evaluation_interval"] = "1s" }))
        {
            Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        }

        // A level between the tenant's normal CPU and a full request per pod, which twenty times its demand keeps
        // the pods at (capped at their limits) even once the HPAs reach their max.
        var normal = await CpuPercentAsync();
        var level = Math.Round((normal + 100) / 2);
        Assert.InRange(normal, 1, 90);

        var page = await browser.OpenAsync(await browser.NewPageAsync(), $"demo/tenants/{Tenant}/alerts");
        await page.Locator("[data-testid=rule-name] input").FillAsync("spike_cpu");
        await page.Locator("[data-testid=rule-condition] input").FillAsync(string.Create(CultureInfo.InvariantCulture, $"cpu_usage_percent > {level}"));
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("create-rule"));
        await Expect(page.GetByTestId("alert-rules")).ToContainTextAsync("spike_cpu");
        await Expect(page.GetByTestId("no-active")).ToBeVisibleAsync();

        // The spike, from the Metrics page.
        await browser.OpenAsync(page, $"demo/tenants/{Tenant}/metrics");
        var spike = page.GetByTestId("load-spike");
        await Expect(spike.GetByTestId("spike-status")).ToContainTextAsync("No spike on.");
        await spike.Locator("[data-testid=spike-factor] input").FillAsync("21");
        await ConsoleBrowser.ClickWhenEnabledAsync(spike.GetByTestId("spike-start"));
        await Expect(spike.GetByTestId("problem")).ToContainTextAsync("factor must be a number above 1 and at most 20");
        await spike.Locator("[data-testid=spike-factor] input").FillAsync("20");
        await spike.Locator("[data-testid=spike-duration] input").FillAsync("2h");
        await ConsoleBrowser.ClickWhenEnabledAsync(spike.GetByTestId("spike-start"));
        await Expect(spike.GetByTestId("spike-status")).ToContainTextAsync("×20 on");
        Assert.Equal(20, (await GetAsync($"/api/v1/tenants/{Tenant}/load-spikes"))["factor"]!.GetValue<double>());

        // The rule fires from the sandbox's numbers; the bell counts it.
        await browser.OpenAsync(page, $"demo/tenants/{Tenant}/alerts");
        var firing = page.GetByTestId("active-alerts").Locator("tr", new() { HasText = "spike_cpu" });
        await Expect(firing).ToContainTextAsync("firing", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("bell-count")).Not.ToHaveTextAsync("0");
        await ConsoleBrowser.ScreenshotAsync(page, "alert-from-spike", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "alerts firing from a load spike");

        await page.GetByTestId("silence-spike_cpu").ClickAsync();
        await Expect(page.GetByTestId("silences")).ToContainTextAsync("alertname=\"spike_cpu\"");
        Assert.Contains("spike_cpu", await browser.Server.Http.GetStringAsync("/api/v1/silences"), StringComparison.Ordinal);

        // Ending the spike from the Metrics page; the API has none on afterwards.
        await browser.OpenAsync(page, $"demo/tenants/{Tenant}/metrics");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("spike-end"));
        await Expect(page.GetByTestId("spike-status")).ToContainTextAsync("No spike on.");
        using (var none = await SendAsync(HttpMethod.Get, $"/api/v1/tenants/{Tenant}/load-spikes", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        await ConsoleBrowser.AssertAccessibleAsync(page, "metrics with the load spike control");
        var phone = await browser.OpenAsync(await browser.NewPageAsync(390, 844, ColorScheme.Dark), $"demo/tenants/{Tenant}/metrics");
        await Expect(phone.GetByTestId("spike-start")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(phone, "load-spike-phone-dark");
        await ConsoleBrowser.AssertAccessibleAsync(phone, "load spike control on a phone, dark");
    }

    // The tenant's cpu_usage_percent now, once the sandbox reports it: a query reaching now takes a fresh sample.
    private async Task<double> CpuPercentAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            // Pods that just turned ready may still read their startup CPU in the first samples: wait a little first.
            await Task.Delay(2000);
            var answer = await GetAsync($"/api/v1/tenants/{Tenant}/monitoring?metric_type=cpu&hours=1");
            if (answer["series"]!.AsArray().FirstOrDefault(s => s!["metric_name"]!.GetValue<string>() == "cpu_usage_percent") is { } cpu)
            {
                return cpu["summary"]!["last"]!.GetValue<double>();
            }

            Assert.True(DateTime.UtcNow < deadline, answer.ToJsonString());
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        return await browser.Server.Http.SendAsync(request);
    }

    private async Task<JsonObject> GetAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
