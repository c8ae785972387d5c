using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keelson.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Keelson.Server.Tests.Console;

/// <summary>
/// The console against a saved sandbox of 1,000 nodes and 10,000 running pods (written into the data directory before
/// the server starts, which serves every saved sandbox again), so the cluster view is measured at the size the issue names.
/// </summary>
public sealed class LargeClusterBrowser : ConsoleBrowser
{
    /// <summary>The saved sandbox's name (its profile's).</summary>
    public const string Cluster = "large";

    /// <summary>Nodes in it.</summary>
    public const int Nodes = 1_000;

    /// <summary>Running pods in it, spread evenly over the nodes.</summary>
    public const int Pods = 10_000;

    /// <inheritdoc/>
    protected override Task SeedAsync(string dataDirectory) => LargeSandbox.WriteAsync(dataDirectory, Cluster, Nodes, Pods);
}

/// <summary>How long the Cluster page takes with 1,000 nodes and 10,000 pods; the figures go to docs/performance.md.</summary>
public sealed class ClusterPagePerformanceTests(LargeClusterBrowser browser, ITestOutputHelper output) : IClassFixture<LargeClusterBrowser>
{
    [Fact]
    public async Task The_cluster_page_with_1000_nodes_and_10000_pods_renders_virtualised()
    {
        // Warm: the first read pays for JIT and the sandbox's first metrics pass, as a server that has run for a while has.
        var api = Stopwatch.StartNew();
        // The first read waits for the watches to list 1,000 nodes and 10,000 pods: on two cores shared with other work
        // that passed the shared client's 30 s (2026-12-07, with two CPU hogs beside the run), so it gets longer.
        using var patient = new HttpClient { BaseAddress = browser.Server.Url, Timeout = TimeSpan.FromMinutes(3) };
        var view = (await patient.GetFromJsonAsync<JsonObject>($"/api/v1/clusters/{LargeClusterBrowser.Cluster}"))!;
        var first = api.Elapsed;
        Assert.Equal(LargeClusterBrowser.Nodes, view["totals"]!["nodes"]!.GetValue<int>());
        Assert.Equal(LargeClusterBrowser.Pods, view["pods"]!.AsArray().Count);
        api.Restart();
        await browser.Server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/clusters/{LargeClusterBrowser.Cluster}");
        var warm = api.Elapsed;

        // What the console asks for: the view without pods, then a page of them.
        api.Restart();
        var slim = (await browser.Server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/clusters/{LargeClusterBrowser.Cluster}?include_pods=false"))!;
        var withoutPods = api.Elapsed;
        Assert.Empty(slim["pods"]!.AsArray());
        Assert.Equal(LargeClusterBrowser.Pods, slim["totals"]!["pod_count"]!.GetValue<int>());
        api.Restart();
        var last = (await browser.Server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/clusters/{LargeClusterBrowser.Cluster}/pods?offset={LargeClusterBrowser.Pods - 100}&limit=100"))!;
        var pageOfPods = api.Elapsed;
        Assert.Equal(100, last["pods"]!.AsArray().Count);
        Assert.Equal("worker-09999", last["pods"]!.AsArray()[^1]!["name"]!.GetValue<string>());
        Assert.Equal(LargeClusterBrowser.Pods, last["total_count"]!.GetValue<int>());

        // Where the API's time goes: the sandbox's own Kubernetes API answering the lists the view reads.
        var kubeconfig = await File.ReadAllTextAsync(Path.Combine(browser.DataDirectory, "sandbox", LargeClusterBrowser.Cluster + ".kubeconfig"));
        var server = kubeconfig.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("server:", StringComparison.Ordinal))["server:".Length..].Trim();
        using var sandbox = new HttpClient { BaseAddress = new Uri(server.TrimEnd('/') + "/") };
        var facade = new List<string>();
        foreach (var path in new[] { "api/v1/nodes", "api/v1/pods", "api/v1/events", "apis/metrics.k8s.io/v1beta1/nodes", "apis/metrics.k8s.io/v1beta1/pods" })
        {
            var clock = Stopwatch.StartNew();
            var bytes = (await sandbox.GetByteArrayAsync(new Uri(path, UriKind.Relative))).Length;
            facade.Add(string.Create(CultureInfo.InvariantCulture, $"{path} {clock.Elapsed.TotalMilliseconds:F0} ms ({bytes / 1024} KiB)"));
        }

        var page = await browser.NewPageAsync();
        await browser.OpenAsync(page, $"demo/cluster/{LargeClusterBrowser.Cluster}");
        var timings = new List<TimeSpan>();
        for (var run = 0; run < 3; run++)
        {
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(browser.Url($"demo/cluster/{LargeClusterBrowser.Cluster}"));
            await Expect(page.GetByTestId("pod-shown")).ToContainTextAsync($"{LargeClusterBrowser.Pods} of {LargeClusterBrowser.Pods} pods", new() { Timeout = 120_000 });
            await Expect(page.GetByTestId("pod-grid")).ToContainTextAsync("worker-");
            timings.Add(clock.Elapsed);
        }

        // Virtualised: a few dozen rows in the DOM, not 10,000 (nor 1,000 nodes).
        var podRows = await page.GetByTestId("pod-grid").Locator("tr").CountAsync();
        var nodeRows = await page.GetByTestId("node-grid").Locator("tr").CountAsync();
        Assert.InRange(podRows, 2, 200);
        Assert.InRange(nodeRows, 2, 200);

        // Paged: the page brings the first rows only; scrolling to the end asks GET /clusters/{name}/pods for the last ones
        // (the view's order is node, then name: worker-09999 is the last pod of the last node).
        var grid = page.GetByTestId("pod-grid");
        Assert.DoesNotContain("worker-09999", await grid.InnerTextAsync(), StringComparison.Ordinal);
        // Drag to the end as a user does, again if the first drag falls short: the grid's spacers are sized from an estimated
        // row height until rows are drawn and measured, so the first jump can land a few hundred rows early (CI, 2026-12-07).
        var reached = false;
        for (var drag = 0; drag < 6 && !reached; drag++)
        {
            await grid.Locator("xpath=..").EvaluateAsync("box => box.scrollTop = box.scrollHeight");
            for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(5) && !reached; await Task.Delay(100))
            {
                reached = (await grid.InnerTextAsync()).Contains("worker-09999", StringComparison.Ordinal);
            }
        }

        Assert.True(reached, "the last pod never showed after six drags to the end of the grid");
        Assert.InRange(await grid.Locator("tr").CountAsync(), 2, 200);

        // The search box filters on the server: ten names contain worker-0999.
        await page.Locator("[data-testid=pod-search] input").FillAsync("worker-0999");
        await Expect(page.GetByTestId("pod-shown")).ToContainTextAsync($"10 of {LargeClusterBrowser.Pods} pods");
        await Expect(grid).ToContainTextAsync("worker-09990");

        var figures = string.Create(CultureInfo.InvariantCulture,
            $"API first {first.TotalMilliseconds:F0} ms, warm {warm.TotalMilliseconds:F0} ms, include_pods=false {withoutPods.TotalMilliseconds:F0} ms, last page of pods {pageOfPods.TotalMilliseconds:F0} ms; page load to rows {string.Join(", ", timings.Select(t => $"{t.TotalMilliseconds:F0}"))} ms; DOM rows: pods {podRows}, nodes {nodeRows}; sandbox API: {string.Join("; ", facade)}");
        output.WriteLine(figures);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "cluster-page-figures.txt"), figures);
        await ConsoleBrowser.ScreenshotAsync(page, "cluster-large");

        // Generous: a loaded 2-core machine shared with other builds must not fail this; the measured figures are in docs/performance.md.
        Assert.True(timings.Min() < TimeSpan.FromSeconds(20), figures);
    }
}
