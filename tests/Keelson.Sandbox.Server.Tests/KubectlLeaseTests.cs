using System.Globalization;
using System.Text.RegularExpressions;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// <c>coordination.k8s.io/v1</c> Leases through the real kubectl: the nodes' heartbeats in <c>kube-node-lease</c>,
/// renewed on the sandbox clock, and leases of one's own created, read, patched, watched and deleted.
/// </summary>
public sealed class KubectlLeaseTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task Get_leases_in_all_namespaces_shows_one_lease_per_node_held_by_it()
    {
        var nodes = (await Kubectl.OkAsync("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(nodes);

        var lines = (await Kubectl.OkAsync("get", "leases", "-A")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAMESPACE\s+NAME\s+HOLDER\s+AGE$", lines[0]);
        foreach (var node in nodes)
        {
            Assert.Contains(lines, l => Regex.IsMatch(l, $@"^kube-node-lease\s+{Regex.Escape(node)}\s+{Regex.Escape(node)}\s+\S+$"));
        }

        Assert.Contains("kube-node-lease", await Kubectl.OkAsync("get", "ns", "-o", "name"));
    }

    [Fact]
    public async Task A_node_lease_is_renewed_as_the_sandbox_clock_moves()
    {
        var node = (await Kubectl.OkAsync("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        var lease = await Kubectl.OkAsync("get", "lease", node, "-n", "kube-node-lease", "-o", "yaml");
        Assert.Contains("kind: Node", lease);
        Assert.Contains("leaseDurationSeconds: 40", lease);
        var before = await RenewTimeAsync(node);

        cluster.Server.Server.Advance(TimeSpan.FromSeconds(30));

        var after = await RenewTimeAsync(node);
        Assert.True(after - before >= TimeSpan.FromSeconds(20) && after - before <= TimeSpan.FromSeconds(40), $"renewed at {before:O}, then {after:O}");
    }

    [Fact]
    public async Task Node_conditions_carry_the_kubelets_heartbeat_refreshed_every_five_minutes()
    {
        var node = (await Kubectl.OkAsync("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        var (beat, transition) = await ReadyTimesAsync(node);
        var now = cluster.Server.Server.Inspect(c => c.Engine.Clock.GetUtcNow());
        Assert.InRange(beat, now.AddMinutes(-5), now);

        // The kubelet posts its unchanged status every nodeStatusReportFrequency (5 min): the heartbeat moves, the transition not.
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(6));
        var (later, laterTransition) = await ReadyTimesAsync(node);
        Assert.True(later - beat >= TimeSpan.FromMinutes(5) && later - beat <= TimeSpan.FromMinutes(6), $"heartbeat {beat:O}, then {later:O}");
        Assert.Equal(transition, laterTransition);
        Assert.Contains("KubeletReady", await Kubectl.OkAsync("describe", "node", node));
    }

    [Fact]
    public async Task A_lease_is_created_read_patched_watched_and_deleted()
    {
        const string Ns = "leader-election";
        await Kubectl.OkAsync("create", "namespace", Ns);
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, "lease.yaml");
        await File.WriteAllTextAsync(path, """
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata:
              name: controller
            spec:
              holderIdentity: replica-a
              leaseDurationSeconds: 15
              renewTime: "2026-01-05T10:00:00.000000Z"
            """);
        Assert.Contains("lease.coordination.k8s.io/controller created", await Kubectl.OkAsync("create", "-f", path, "-n", Ns));
        Assert.Equal("replica-a", await Kubectl.OkAsync("get", "lease", "controller", "-n", Ns, "-o", "jsonpath={.spec.holderIdentity}"));
        Assert.Equal("2026-01-05T10:00:00.000000Z", await Kubectl.OkAsync("get", "lease", "controller", "-n", Ns, "-o", "jsonpath={.spec.renewTime}"));

        // The watch lists first (the lease as ADDED), so the changes are made once that line is read. Rows are the
        // server's table (EVENT, NAME, HOLDER, AGE).
        using var watch = Kubectl.Start("get", "leases", "-n", Ns, "-w", "--output-watch-events");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var events = new List<string>();
            string? line;
            while ((line = await watch.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields is [var type, "controller", var holder, _])
                {
                    events.Add($"{type} {holder}");
                    if (type == "ADDED")
                    {
                        await Kubectl.OkAsync("patch", "lease", "controller", "-n", Ns, "--type=merge", "-p", """{"spec":{"holderIdentity":"replica-b","leaseTransitions":1}}""");
                        Assert.Matches(@"^controller\s+replica-b\s+\S+$", (await Kubectl.OkAsync("get", "lease", "controller", "-n", Ns, "--no-headers")).Trim());
                        Assert.Contains("deleted", await Kubectl.OkAsync("delete", "lease", "controller", "-n", Ns));
                    }
                    else if (type == "DELETED")
                    {
                        break;
                    }
                }
            }

            Assert.Equal(["ADDED replica-a", "MODIFIED replica-b", "DELETED replica-b"], events);
        }
        finally
        {
            watch.Kill();
        }
    }

    private async Task<(DateTimeOffset Heartbeat, DateTimeOffset Transition)> ReadyTimesAsync(string node)
    {
        var times = (await Kubectl.OkAsync("get", "node", node, "-o", """jsonpath={.status.conditions[?(@.type=="Ready")].lastHeartbeatTime} {.status.conditions[?(@.type=="Ready")].lastTransitionTime}""")).Split(' ');
        return (DateTimeOffset.Parse(times[0], CultureInfo.InvariantCulture), DateTimeOffset.Parse(times[1], CultureInfo.InvariantCulture));
    }

    private async Task<DateTimeOffset> RenewTimeAsync(string node) => DateTimeOffset.Parse(
        await Kubectl.OkAsync("get", "lease", node, "-n", "kube-node-lease", "-o", "jsonpath={.spec.renewTime}"), CultureInfo.InvariantCulture);
}
