using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Keelson.Server.Tests.Console;

/// <summary>
/// The tenant's Simulate page and the cluster page's namespace filter in Chromium against a real <c>keelson serve</c>:
/// the figures and charts are the simulations API's answer for the same load, the pods grid is the pods API's.
/// </summary>
public sealed class SimulateBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Tenant = "acme-sim";

    [Fact]
    public async Task A_day_simulated_from_the_page_charts_the_figures_the_API_answers_and_a_bad_load_shows_its_line()
    {
        await CreateAsync(Tenant, new JsonObject { ["callbot"] = 40, ["chatbot"] = 60 });
        var page = await browser.OpenAsync(await browser.NewPageAsync(), $"demo/tenants/{Tenant}/simulate");
        await Expect(page.GetByTestId("no-simulation")).ToContainTextAsync("A load file says how busy the stack is");
        await Expect(page.GetByTestId("load-example")).ToContainTextAsync("kind: Load");
        await ConsoleBrowser.AssertAccessibleAsync(page, "simulate before a run");

        // The example, a day at 5-minute steps.
        await page.GetByTestId("simulate-example").ClickAsync();
        await Expect(page.Locator("[data-testid=load-input] textarea")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("kind: Load"));
        var load = await page.Locator("[data-testid=load-input] textarea").InputValueAsync();
        await page.GetByTestId("simulate-step").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "5m", Exact = true }).ClickAsync();
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("simulate-run"));

        var api = await SimulateAsync(new JsonObject { ["load"] = load, ["duration"] = "24h", ["step"] = "5m" });
        await Expect(page.GetByTestId("sim-peak-nodes")).ToHaveTextAsync(api["peak_nodes"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("sim-cost")).ToHaveTextAsync(api["cost_usd"]!.GetValue<double>().ToString("$#,##0.00", CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("sim-pending")).ToHaveTextAsync(api["pending_pod_minutes"]!.GetValue<double>().ToString("0.#", CultureInfo.InvariantCulture));

        // What Plotly drew: the stacked pools' top at its highest is the peak; the cost's last point is the period's cost;
        // each service's trace is the API's replicas, step by step.
        var timeline = api["timeline"]!.AsArray();
        await Expect(page.Locator("#chart-sim-nodes .scatterlayer .trace")).ToHaveCountAsync(api["pools"]!.AsArray().Count);
        var drawnPeak = await page.EvaluateAsync<double>("() => { const d = document.getElementById('chart-sim-nodes').data; return Math.max(...d[0].y.map((_, i) => d.reduce((s, t) => s + t.y[i], 0))); }");
        Assert.Equal(api["peak_nodes"]!.GetValue<int>(), drawnPeak);
        var drawnCost = await page.EvaluateAsync<double>("() => { const d = document.getElementById('chart-sim-cost').data; return d[1].y[d[1].y.length - 1]; }");
        Assert.Equal(timeline[^1]!["cumulative_cost_usd"]!.GetValue<double>(), drawnCost, 9);
        var service = api["components"]![0]!["name"]!.GetValue<string>();
        var drawnReplicas = await page.EvaluateAsync<JsonElement>($"() => document.getElementById('chart-sim-replicas').data.find(t => t.name === '{service}').y");
        Assert.Equal(timeline.Select(s => s!["replicas"]![service]!.GetValue<int>()), drawnReplicas.EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(288, timeline.Count);
        await Expect(page.GetByTestId("sim-components")).ToContainTextAsync(service);

        await ConsoleBrowser.ScreenshotAsync(page, "simulate", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "simulate with a result");

        // A load file with a time of day that does not exist: the API's line under the field.
        await page.Locator("[data-testid=load-input] textarea").FillAsync("kind: Load\ncurve:\n  \"25:00\": 1\n");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("simulate-run"));
        await Expect(page.Locator(".sim-error .field-error").First).ToContainTextAsync("line 3, column");
        await Expect(page.GetByTestId("simulate-invalid")).ToHaveTextAsync("The load file is not valid");
        await ConsoleBrowser.AssertAccessibleAsync(page, "simulate with a bad load file");

        // Dark theme and a 390-pixel phone.
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(page.GetByTestId("theme-toggle")).ToHaveTextAsync("Light theme");
        await page.WaitForFunctionAsync("() => getComputedStyle(document.body).backgroundColor !== 'rgb(250, 250, 250)'");
        await ConsoleBrowser.AssertAccessibleAsync(page, "simulate in the dark theme");
        var phone = await browser.OpenAsync(await browser.NewPageAsync(390, 844), $"demo/tenants/{Tenant}/simulate");
        await Expect(phone.GetByTestId("load-example")).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the simulate page scrolls sideways at 390 px");
        await ConsoleBrowser.AssertAccessibleAsync(phone, "simulate on a phone");

        // Production tenants are not simulated: the page says so instead of a form.
        var production = await browser.OpenAsync(await browser.NewPageAsync(), $"production/tenants/{Tenant}/simulate");
        await Expect(production.GetByTestId("simulate-production")).ToContainTextAsync("production tenants are not simulated");
    }

    [Fact]
    public async Task The_namespace_filter_narrows_the_pods_grid_to_what_the_API_lists_for_that_namespace()
    {
        const string Deployed = "globex-sim";
        const string Other = "side-jobs";
        await CreateAsync(Deployed, new JsonObject { ["chatbot"] = 20 });
        await browser.DeployAsync(Deployed, null);
        await AddPodAsync(Other, "side-job-1");
        var api = await WaitAsync(async () =>
        {
            var pods = (await browser.Server.Http.GetFromJsonAsync<JsonObject>("/api/v1/clusters/aws-gpu/pods?limit=1000"))!;
            return pods["namespaces"]!.AsArray().Any(n => n!.GetValue<string>() == Other) ? pods : null;
        });
        var all = api["total_count"]!.GetValue<int>();
        var inTenant = (await browser.Server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/clusters/aws-gpu/pods?namespace={Deployed}"))!["total_count"]!.GetValue<int>();
        Assert.Equal(api["pods"]!.AsArray().Count(p => p!["namespace"]!.GetValue<string>() == Deployed), inTenant);
        Assert.InRange(inTenant, 1, all - 1);

        var page = await browser.OpenAsync(await browser.NewPageAsync(), "demo/cluster/aws-gpu");
        await Expect(page.GetByTestId("pod-shown")).ToContainTextAsync($"{all} of {all} pods");
        await Expect(page.GetByTestId("simulate-links").GetByRole(AriaRole.Link, new() { Name = $"simulate a day for {Deployed}" })).ToHaveAttributeAsync("href", $"demo/tenants/{Deployed}/simulate");

        await page.GetByTestId("pod-namespace").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = Deployed, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("pod-shown")).ToContainTextAsync($"{inTenant} of {all} pods");
        await Expect(page.GetByTestId("pod-grid")).Not.ToContainTextAsync("side-job-1");

        await page.GetByTestId("pod-namespace").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = Other, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("pod-shown")).ToContainTextAsync($"1 of {all} pods");
        await Expect(page.GetByTestId("pod-grid")).ToContainTextAsync("side-job-1");
        await ConsoleBrowser.AssertAccessibleAsync(page, "cluster filtered by namespace");

        await page.GetByTestId("pod-namespace").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Any namespace", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("pod-shown")).ToContainTextAsync($"{all} of {all} pods");
    }

    private async Task<JsonObject> SimulateAsync(JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tenants/{Tenant}/simulations") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        using var response = await browser.Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task CreateAsync(string tenant, JsonObject services)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/")
        {
            Content = JsonContent.Create(new JsonObject { ["tenant_id"] = tenant, ["service_requirements"] = services }),
        };
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        using var response = await browser.Server.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    // A small pod in a namespace of its own, through the sandbox's Kubernetes API as kubectl would create it.
    private async Task AddPodAsync(string ns, string name)
    {
        var kubeconfig = await File.ReadAllTextAsync(Path.Combine(browser.DataDirectory, "sandbox", "aws-gpu.kubeconfig"));
        var server = kubeconfig.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("server:", StringComparison.Ordinal))["server:".Length..].Trim();
        using var sandbox = new HttpClient { BaseAddress = new Uri(server.TrimEnd('/') + "/") };
        using (var created = await sandbox.PostAsJsonAsync(new Uri("api/v1/namespaces", UriKind.Relative), new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }))
        {
            Assert.True(created.IsSuccessStatusCode, $"{created.StatusCode}");
        }

        var pod = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox:1.36", ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "10m", ["memory"] = "16Mi" } } }) },
        };
        using var added = await sandbox.PostAsJsonAsync(new Uri($"api/v1/namespaces/{ns}/pods", UriKind.Relative), pod);
        Assert.True(added.IsSuccessStatusCode, $"{added.StatusCode}");
    }

    private static async Task<JsonObject> WaitAsync(Func<Task<JsonObject?>> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            if (await done() is { } result)
            {
                return result;
            }

            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(250);
        }
    }
}
