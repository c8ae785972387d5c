using System.Globalization;
using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>The real <c>kubectl top</c> and <c>kubectl get hpa</c> against the facade's metrics.k8s.io API, over the restaurant stack.</summary>
public sealed class KubectlTopTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>, IAsyncLifetime
{
    private Kubectl Kubectl => cluster.Kubectl;

    public async Task InitializeAsync()
    {
        await Kubectl.OkAsync("apply", "-f", cluster.ManifestPath);
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(3));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Top_pods_shows_every_container_within_its_pods_limits()
    {
        var output = await Kubectl.OkAsync("top", "pods", "-A", "--containers");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAMESPACE", "POD", "NAME", "CPU(cores)", "MEMORY(bytes)"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var rows = lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(RestaurantCluster.Namespace, r[0]));

        var pods = JsonNode.Parse(await Kubectl.OkAsync("get", "pods", "-n", RestaurantCluster.Namespace, "--field-selector=status.phase=Running", "-o", "json"))!["items"]!.AsArray();
        Assert.Equal(pods.Count, rows.Select(r => r[1]).Distinct().Count());
        foreach (var row in rows)
        {
            var container = pods.Single(p => (string)p!["metadata"]!["name"]! == row[1])!["spec"]!["containers"]!.AsArray().Single(c => (string)c!["name"]! == row[2])!;
            var cpu = Millicores(row[3]);
            Assert.True(cpu > 0, string.Join(' ', row));
            if (container["resources"]?["limits"]?["cpu"] is { } limit)
            {
                Assert.True(cpu <= Millicores((string)limit!), $"{string.Join(' ', row)} above limit {limit}");
            }

            Assert.EndsWith("Mi", row[4], StringComparison.Ordinal);
            Assert.True(int.Parse(row[4][..^2], CultureInfo.InvariantCulture) > 0, string.Join(' ', row));
        }
    }

    [Fact]
    public async Task Top_nodes_adds_the_system_daemons_to_the_sum_of_the_nodes_pods()
    {
        var output = await Kubectl.OkAsync("top", "nodes");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var nodes = lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(r => r[0], r => Millicores(r[1]));
        Assert.NotEmpty(nodes);

        var podCpu = (await Kubectl.OkAsync("top", "pods", "-A", "--no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(r => r[1], r => Millicores(r[2]));
        var placement = (await Kubectl.OkAsync("get", "pods", "-A", "--field-selector=status.phase=Running", "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{\"\\n\"}{end}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        foreach (var (node, cpu) in nodes)
        {
            var mine = placement.Where(p => p[1] == node).Select(p => podCpu[p[0]]).ToList();
            var expected = 100 + mine.Sum();

            // kubectl rounds each pod to a whole millicore, so allow one per pod.
            Assert.InRange(cpu, expected - mine.Count - 1, expected + mine.Count + 1);
        }
    }

    [Fact]
    public async Task Hpas_report_their_current_cpu_instead_of_unknown()
    {
        // kubectl describe formats status.currentMetrics client-side, as `get hpa` TARGETS does from the server's table.
        var names = (await Kubectl.OkAsync("get", "hpa", "-n", RestaurantCluster.Namespace, "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            var described = await Kubectl.OkAsync("describe", name, "-n", RestaurantCluster.Namespace);
            Assert.DoesNotContain("<unknown>", described, StringComparison.Ordinal);
            Assert.Matches(@"resource cpu on pods\s+\(as a percentage of request\):\s+\d+% \(\d+m\) / \d+%", described);
            Assert.Contains("ValidMetricFound", described, StringComparison.Ordinal);
        }
    }

    private static double Millicores(string quantity) => quantity.EndsWith('m')
        ? double.Parse(quantity[..^1], CultureInfo.InvariantCulture)
        : double.Parse(quantity, CultureInfo.InvariantCulture) * 1000;
}
