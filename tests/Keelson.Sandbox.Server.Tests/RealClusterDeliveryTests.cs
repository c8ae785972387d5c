using k8s;
using k8s.Models;
using Keelson.Delivery;
using Keelson.Delivery.Clusters;
using Keelson.Delivery.Diff;
using Keelson.Delivery.Kubernetes;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server.Defaulting;
using Keelson.Spec.Parsing;
using Keelson.Spec.Profiles;
using Keelson.Testing;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// The real-cluster implementation (KubernetesClient over HTTP, a kubeconfig, discovery, server-side apply) running
/// the same delivery scenarios as the sandbox tests, against the sandbox's API facade with its clock at 120×.
/// </summary>
public sealed class RealClusterDeliveryTests : IAsyncLifetime
{
    private const string Ns = "restaurant-system";
    private static readonly Manifest Restaurant = Render();
    private static readonly DeployOptions Fast = new() { Timeout = TimeSpan.FromSeconds(60), PollInterval = TimeSpan.FromMilliseconds(200) };

    private readonly string directory = Directory.CreateTempSubdirectory("keelson-real-").FullName;
    private SandboxApiServer server = null!;
    private KubernetesCluster cluster = null!;

    public async Task InitializeAsync()
    {
        var sandbox = new SandboxCluster(new SandboxEngine(ClusterProfiles.Get("aws-general"), load: PlannedLoad.From(Objects())));
        server = await SandboxApiServer.StartAsync(sandbox, new SandboxApiOptions { Speed = 120 }, CancellationToken.None);
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await SandboxKubeconfig.WriteAsync(kubeconfig, server.Url, CancellationToken.None);
        cluster = KubernetesCluster.Connect(kubeconfig, null);
    }

    public async Task DisposeAsync()
    {
        cluster.Dispose();
        await server.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Delivers_waits_and_records_the_inventory_through_the_api()
    {
        var result = await new Deployer(cluster, Fast).DeployAsync(Ns, Objects(), null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(1, result.Revision);
        Assert.StartsWith("context keelson-sandbox at http://127.0.0.1:", cluster.Description, StringComparison.Ordinal);
        var gateway = Assert.IsType<V1Deployment>(await cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", Ns, "gateway"), CancellationToken.None));
        Assert.Equal(gateway.Spec.Replicas, gateway.Status.AvailableReplicas);
        var pods = await cluster.ListAsync("v1", "Pod", Ns, "app.kubernetes.io/name=gateway", CancellationToken.None);
        Assert.Equal(gateway.Spec.Replicas, pods.Count);
        Assert.NotNull(await Delivery.Inventory.Inventory.ReadAsync(cluster, Ns, CancellationToken.None));
    }

    [Fact]
    public async Task Diff_is_clean_after_delivery_and_pruning_removes_a_dropped_component()
    {
        Assert.True((await new Deployer(cluster, Fast).DeployAsync(Ns, Objects(), null, CancellationToken.None)).Succeeded);
        var diff = await Differ.DiffAsync(cluster, Ns, Objects(), CancellationToken.None);
        Assert.All(diff, d => Assert.True(d.Action == DiffAction.Unchanged, $"{d.Key} {d.Action}\n{d.Patch}"));

        var without = Objects().Where(o => !(o.Metadata.Labels?.TryGetValue("keelson.dev/component", out var c) == true && c == "iot")).ToList();
        var result = await new Deployer(cluster, Fast).DeployAsync(Ns, without, null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, result.Revision);
        Assert.Contains(result.Pruned, k => k.ToString() == "Deployment/restaurant-system/iot");
        Assert.Null(await cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", Ns, "iot"), CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_rollout_is_rolled_back_through_the_api()
    {
        Assert.True((await new Deployer(cluster, Fast).DeployAsync(Ns, Objects(), null, CancellationToken.None)).Succeeded);
        var broken = Objects();
        var gateway = (V1Deployment)broken.Single(o => o is V1Deployment { Metadata.Name: "gateway" });
        gateway.Spec.Template.Spec.Containers[0].Image = "registry.example.com/restaurant/gateway:10.3.0-broken";
        gateway.Spec.ProgressDeadlineSeconds = 60;
        // The pods are named after the template as stored, that is with the server's defaults.
        var stored = (V1Deployment)KubeObjects.Clone(gateway);
        ObjectDefaults.Apply(stored);
        server.Inspect(c =>
        {
            c.Engine.Context.Faults.Add(new CrashLoop($"gateway-{Names.TemplateHash(stored.Spec.Template)}", TimeSpan.FromSeconds(3)));
            return 0;
        });

        var result = await new Deployer(cluster, Fast).DeployAsync(Ns, broken, null, CancellationToken.None);

        Assert.Equal(DeployOutcome.RolledBack, result.Outcome);
        Assert.Contains("exceeded its progress deadline", result.Error, StringComparison.Ordinal);
        var live = (V1Deployment)(await cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", Ns, "gateway"), CancellationToken.None))!;
        Assert.Equal("registry.example.com/restaurant/gateway:10.2.0", live.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(1, (await Delivery.Inventory.Inventory.ReadAsync(cluster, Ns, CancellationToken.None))!.Revision);
    }

    [Fact]
    public async Task Watch_streams_changes_of_a_kind()
    {
        // The object exists before the watch starts, so its synthetic ADDED proves the stream is open before the
        // deletion: no sleep that a loaded machine could outrun.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var map = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "watched", NamespaceProperty = "default" }, Data = new Dictionary<string, string> { ["a"] = "1" } };
        await cluster.ApplyAsync(map, CancellationToken.None);
        var seen = new List<ClusterEvent>();
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var change in cluster.WatchAsync("v1", "ConfigMap", "default", cancel.Token))
            {
                seen.Add(change);
                if (change.Resource.Metadata.Name == "watched")
                {
                    open.TrySetResult();
                }

                if (change.Type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        });
        await open.Task.WaitAsync(cancel.Token);
        Assert.True(await cluster.DeleteAsync(ObjectKey.Of(map), CancellationToken.None));
        await watching.WaitAsync(cancel.Token);

        Assert.Contains(seen, e => e.Type == WatchEventType.Added && e.Resource.Metadata.Name == "watched");
        Assert.Equal(WatchEventType.Deleted, seen[^1].Type);
        Assert.False(await cluster.DeleteAsync(ObjectKey.Of(map), CancellationToken.None));
    }

    [Fact]
    public async Task An_unserved_kind_is_a_clear_cluster_error()
    {
        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.GetAsync(new ObjectKey("example.com/v1", "Widget", "default", "w"), CancellationToken.None));
        Assert.Contains("example.com/v1", error.Message, StringComparison.Ordinal);
    }

    private static Manifest Render()
    {
        var spec = StackParser.Parse(File.ReadAllText(Repo.File("examples", "restaurant.yaml")), "restaurant.yaml");
        return ManifestRenderer.Default.Render(Planner.Default.Plan(spec.Value!).Plan!);
    }

    private static List<IKubernetesObject<V1ObjectMeta>> Objects() => [.. Restaurant.Objects.Select(o => KubeObjects.Clone(o.Resource))];
}
