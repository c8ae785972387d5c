namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// The acceptance test of the facade: the machine's kubectl applies the rendered restaurant stack, lists pods,
/// scales, deletes a pod and sees it replaced. The clock is stopped, so each step advances it explicitly and the
/// test takes seconds whatever the simulated durations.
/// </summary>
public sealed class KubectlTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>, IAsyncLifetime
{
    private const string Ns = RestaurantCluster.Namespace;

    private Kubectl Kubectl => cluster.Kubectl;

    public async Task InitializeAsync()
    {
        // Idempotent: the first test applies, later ones see every object unchanged or configured.
        await Kubectl.OkAsync("apply", "-f", cluster.ManifestPath);
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(1));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Apply_of_the_rendered_stack_creates_then_leaves_it_unchanged()
    {
        var again = await Kubectl.OkAsync("apply", "-f", cluster.ManifestPath);
        Assert.Contains("namespace/restaurant-system unchanged", again, StringComparison.Ordinal);
        Assert.Contains("servicemonitor.monitoring.coreos.com/gateway unchanged", again, StringComparison.Ordinal);
        var deployments = await Kubectl.OkAsync("get", "deploy", "-n", Ns);
        Assert.Matches(@"(?m)^user\s+2/2\s+2\s+2\s", deployments);
        Assert.Matches(@"(?m)^iot\s+2/2\s+2\s+2\s", deployments);
    }

    [Fact]
    public async Task Get_pods_wide_shows_every_pod_running_on_a_node()
    {
        var output = await Kubectl.OkAsync("get", "pods", "-o", "wide", "-n", Ns);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s", lines[0]);
        var pods = lines.Skip(1).ToList();
        Assert.True(pods.Count >= 10, output);
        Assert.All(pods, line => Assert.Matches(@"\s1/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+general-\d+\s", line));
    }

    [Fact]
    public async Task Scale_deploy_to_five_gives_five_pods()
    {
        // The gateway's HPA would scale it back towards its load; take it out of the way first.
        await Kubectl.OkAsync("delete", "hpa", "gateway", "-n", Ns);
        Assert.Contains("deployment.apps/gateway scaled", await Kubectl.OkAsync("scale", "deploy/gateway", "--replicas=5", "-n", Ns), StringComparison.Ordinal);
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(30));

        var pods = await Kubectl.OkAsync("get", "pods", "-l", "app.kubernetes.io/name=gateway", "-n", Ns, "--no-headers");
        Assert.Equal(5, pods.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("Running", StringComparison.Ordinal)));
        Assert.Matches(@"(?m)^gateway\s+5/5\s", await Kubectl.OkAsync("get", "deploy", "gateway", "-n", Ns));
    }

    [Fact]
    public async Task Deleted_pod_is_replaced_by_a_new_running_one()
    {
        var before = await PodNamesAsync("iot");
        Assert.Equal(2, before.Count);

        // kubectl waits (through a watch) until the pod is gone, which takes cluster time: advance while it waits.
        var (exit, output) = await WhileAdvancingAsync("delete", "pod", before[0], "-n", Ns);
        Assert.True(exit == 0, output);
        Assert.Contains($"pod \"{before[0]}\" deleted", output, StringComparison.Ordinal);
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(30));

        var after = await PodNamesAsync("iot");
        Assert.Equal(2, after.Count);
        Assert.DoesNotContain(before[0], after);
        var replacement = Assert.Single(after.Except(before));
        Assert.Matches(@"\s1/1\s+Running\s", await Kubectl.OkAsync("get", "pod", replacement, "-n", Ns, "--no-headers"));
    }

    [Fact]
    public async Task Describe_deploy_shows_its_replica_set_and_events()
    {
        var output = await Kubectl.OkAsync("describe", "deploy", "gateway", "-n", Ns);
        Assert.Matches(@"NewReplicaSet:\s+gateway-\w+ \(\d/\d replicas created\)", output);
        Assert.Matches(@"Normal\s+ScalingReplicaSet\s", output);
    }

    [Fact]
    public async Task Server_side_apply_after_client_side_apply_takes_over_all_but_the_defaulted_claim_templates()
    {
        // kubectl's server-side applier takes over what client-side apply set, except a field whose live value is not
        // the last-applied one: the StatefulSet's volumeClaimTemplates, an atomic list the server filled defaults into
        // (volumeMode), so applying it unchanged would change it. A real API server answers the same conflict.
        var (exit, output, error) = await Kubectl.RunAsync("apply", "--server-side", "-f", cluster.ManifestPath);
        Assert.Equal(1, exit);
        Assert.Contains("deployment.apps/user serverside-applied", output, StringComparison.Ordinal);
        Assert.Contains("prometheusrule.monitoring.coreos.com/restaurant-system-slo serverside-applied", output, StringComparison.Ordinal);
        var conflicts = error.Split('\n').Where(l => l.StartsWith("Apply failed", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Equal(["Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.volumeClaimTemplates"], conflicts);

        var forced = await Kubectl.OkAsync("apply", "--server-side", "--force-conflicts", "-f", cluster.ManifestPath);
        Assert.Contains("statefulset.apps/db serverside-applied", forced, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_image_then_rollout_status_waits_for_the_new_pods()
    {
        await Kubectl.OkAsync("set", "image", "deploy/user", "user=registry.example.com/restaurant/user:10.3.0", "-n", Ns);
        var (exit, output) = await WhileAdvancingAsync("rollout", "status", "deploy/user", "-n", Ns, "--timeout=60s");
        Assert.True(exit == 0, output);
        Assert.Contains("deployment \"user\" successfully rolled out", output, StringComparison.Ordinal);

        // Let the old pods finish terminating: they are still listed until then.
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(10));
        var images = await Kubectl.OkAsync("get", "pods", "-l", "app.kubernetes.io/name=user", "-n", Ns, "-o", "jsonpath={.items[*].spec.containers[0].image}");
        Assert.All(images.Split(' '), image => Assert.Equal("registry.example.com/restaurant/user:10.3.0", image));
    }

    [Fact]
    public async Task Get_pods_watch_prints_a_deletion_as_it_happens()
    {
        var victim = (await PodNamesAsync("cache-replica"))[0];
        using var watch = Kubectl.Start("get", "pods", "-w", "-n", Ns);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.StartsWith("NAME", await watch.StandardOutput.ReadLineAsync(timeout.Token), StringComparison.Ordinal);
            var (status, _) = await cluster.Server.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/pods/{victim}");
            Assert.Equal(200, status);
            string? line;
            while ((line = await watch.StandardOutput.ReadLineAsync(timeout.Token)) is not null && !(line.StartsWith(victim, StringComparison.Ordinal) && line.Contains("Terminating", StringComparison.Ordinal)))
            {
            }

            Assert.NotNull(line);
        }
        finally
        {
            watch.Kill();
        }
    }

    [Fact]
    public async Task Logs_say_they_are_simulated()
    {
        var pod = (await PodNamesAsync("db"))[0];
        Assert.Contains("logs are simulated", await Kubectl.OkAsync("logs", pod, "-n", Ns), StringComparison.Ordinal);
    }

    private async Task<List<string>> PodNamesAsync(string component)
    {
        var output = await Kubectl.OkAsync("get", "pods", "-l", $"app.kubernetes.io/name={component}", "-n", Ns, "-o", "name");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(n => n["pod/".Length..])];
    }

    private Task<(int Exit, string Output)> WhileAdvancingAsync(params string[] args) => cluster.WhileAdvancingAsync(args);
}
