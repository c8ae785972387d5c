using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace Keelson.Server.Tests.Console;

/// <summary>The tenant page's SLA panel in Chromium: the figures the monitoring API gives for pushed samples, against the tenant's target.</summary>
public sealed class TenantSlaBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task The_tenant_page_shows_availability_latency_and_error_budget_left_against_the_tenant_s_target()
    {
        await CreateAsync("sla-co", new JsonObject { ["availability"] = "99.9%", ["response_time"] = "200ms" });
        var now = DateTimeOffset.UtcNow;
        await PushAsync("sla-co", now.AddMinutes(-10), new JsonObject { ["availability"] = 99.95, ["response_time"] = 150 });
        await PushAsync("sla-co", now.AddMinutes(-5), new JsonObject { ["availability"] = 99.97, ["response_time"] = 250 });

        // What the monitoring API summarises for the same window, once the batched writer has stored both samples.
        JsonObject api;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            api = (await browser.Server.Http.GetFromJsonAsync<JsonObject>("/api/v1/tenants/sla-co/monitoring?metric=availability&metric=response_time&hours=24"))!;
            if (api["series"]!.AsArray().Count == 2 && api["series"]!.AsArray().All(s => s!["summary"]!["count"]!.GetValue<int>() == 2))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, api.ToJsonString());
            await Task.Delay(200);
        }

        var summaries = api["series"]!.AsArray().ToDictionary(s => s!["metric_name"]!.GetValue<string>(), s => s!["summary"]!);
        Assert.Equal(99.96, summaries["availability"]["avg"]!.GetValue<double>(), 6);
        var p95 = summaries["response_time"]["p95"]!.GetValue<double>();

        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants/sla-co");
        await Expect(page.GetByTestId("sla-availability")).ToHaveTextAsync("99.96%");
        await Expect(page.GetByTestId("sla-panel")).ToContainTextAsync("target 99.9% (met)");
        await Expect(page.GetByTestId("sla-latency")).ToHaveTextAsync($"{p95.ToString("0.#", CultureInfo.InvariantCulture)} ms");
        await Expect(page.GetByTestId("sla-panel")).ToContainTextAsync($"target 200 ms {(p95 <= 200 ? "(met)" : "(missed)")}");

        // 0.04 of the 0.1 points the target allows were spent: 60% of the budget is left.
        await Expect(page.GetByTestId("sla-budget")).ToHaveTextAsync("60%");
        await Expect(page.GetByTestId("sla-availability-from")).ToHaveTextAsync("from the pushed availability");
        await ConsoleBrowser.ScreenshotAsync(page, "tenant-sla", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "tenant with its SLA panel");

        // A bad hour three days ago is outside the last 24 hours but inside the last 7 days, as the API's own summary says.
        await PushAsync("sla-co", now.AddDays(-3), new JsonObject { ["availability"] = 90.0 });
        double week;
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var summary = (await browser.Server.Http.GetFromJsonAsync<JsonObject>("/api/v1/tenants/sla-co/monitoring?metric=availability&hours=168"))!["series"]![0]!["summary"]!;
            if (summary["count"]!.GetValue<int>() == 3)
            {
                week = summary["avg"]!.GetValue<double>();
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, summary.ToJsonString());
            await Task.Delay(200);
        }

        await page.GetByTestId("sla-window").ClickAsync();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Option, new() { Name = "7 days", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = "SLA, last 7 days" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sla-availability")).ToHaveTextAsync($"{week.ToString("0.###", CultureInfo.InvariantCulture)}%");
        await Expect(page.GetByTestId("sla-panel")).ToContainTextAsync("target 99.9% (missed)");
        await Expect(page.GetByTestId("sla-budget")).ToHaveTextAsync("0%");

        // A tenant with nothing measured yet is told where the figures come from.
        await CreateAsync("sla-quiet", new JsonObject { ["availability"] = "99.5%" });
        var quiet = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants/sla-quiet");
        await Expect(quiet.GetByTestId("sla-no-data")).ToContainTextAsync("POST /api/v1/tenants/sla-quiet/monitoring");
        await Expect(quiet.GetByTestId("sla-availability")).ToHaveTextAsync("no data");
    }

    private async Task CreateAsync(string tenant, JsonObject sla)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/")
        {
            Content = JsonContent.Create(new JsonObject { ["tenant_id"] = tenant, ["service_requirements"] = new JsonObject { ["chatbot"] = 5 }, ["sla_target"] = sla }),
        };
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        using var response = await browser.Server.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task PushAsync(string tenant, DateTimeOffset at, JsonObject metrics)
    {
        using var response = await browser.Server.Http.PostAsJsonAsync($"/api/v1/tenants/{tenant}/monitoring",
            new JsonObject { ["timestamp"] = at.ToString("O", CultureInfo.InvariantCulture), ["metrics"] = metrics });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
