using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Delivery.Diff;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Delivery.Tests;

public class DeployerTests
{
    private static readonly Manifest Restaurant = Render("restaurant.yaml");

    [Fact]
    public async Task First_delivery_applies_everything_in_order_and_records_revision_one()
    {
        var (cluster, events) = Sandbox();
        var result = await Deliver(cluster, Objects(), events);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(1, result.Revision);
        var applied = events.Where(e => e.Message == "applied").Select(e => e.Key!.Kind).ToList();
        Assert.Equal("Namespace", applied[0]);
        Assert.True(applied.IndexOf("ConfigMap") < applied.IndexOf("Deployment"));
        Assert.True(applied.IndexOf("Deployment") < applied.IndexOf("HorizontalPodAutoscaler"));
        var inventory = await Inventory.Inventory.ReadAsync(cluster, Restaurant.Namespace, CancellationToken.None);
        Assert.Equal(Objects().Count, inventory!.Keys.Count);
        Assert.DoesNotContain(inventory.Objects, o => o is V1Secret);
        Assert.All(result.Objects, o => Assert.Equal(Delivery.Readiness.ReadinessState.Ready, o.Readiness.State));
    }

    [Fact]
    public async Task A_component_that_leaves_the_stack_is_pruned_and_diff_said_so_first()
    {
        var (cluster, events) = Sandbox();
        await Deliver(cluster, Objects(), events);
        var without = Objects().Where(o => !IsOf(o, "iot")).ToList();

        var diff = await Differ.DiffAsync(cluster, Restaurant.Namespace, without, CancellationToken.None);
        var pruned = diff.Where(d => d.Action == DiffAction.Prune).Select(d => d.Key.ToString()).ToList();
        Assert.Contains("Deployment/restaurant-system/iot", pruned);
        Assert.All(diff.Where(d => d.Action != DiffAction.Prune), d => Assert.Equal(DiffAction.Unchanged, d.Action));

        var result = await Deliver(cluster, without, events);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, result.Revision);
        Assert.Equal(pruned.Order(StringComparer.Ordinal), result.Pruned.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        Assert.Null(await cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", Restaurant.Namespace, "iot"), CancellationToken.None));
        Assert.DoesNotContain(cluster.Engine.Store.List<V1Pod>(Restaurant.Namespace), p => p.Metadata.Name.StartsWith("iot-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diff_shows_an_image_change_as_an_update_of_that_line()
    {
        var (cluster, events) = Sandbox();
        await Deliver(cluster, Objects(), events);

        var diff = await Differ.DiffAsync(cluster, Restaurant.Namespace, Objects("gateway", "gateway:9.9.9"), CancellationToken.None);
        var update = Assert.Single(diff, d => d.Action == DiffAction.Update);
        Assert.Equal("Deployment/restaurant-system/gateway", update.Key.ToString());
        Assert.Contains("-         image: registry.example.com/restaurant/gateway:10.2.0", update.Patch, StringComparison.Ordinal);
        Assert.Contains("+         image: registry.example.com/restaurant/gateway:9.9.9", update.Patch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rollout_that_never_becomes_ready_is_rolled_back_to_the_previous_inventory()
    {
        var (cluster, events) = Sandbox();
        await Deliver(cluster, Objects(), events);
        var broken = Objects("gateway", "gateway:10.3.0-broken");
        var template = ((V1Deployment)broken.Single(o => o is V1Deployment { Metadata.Name: "gateway" })).Spec.Template;
        cluster.Engine.Context.Faults.Add(new CrashLoop($"gateway-{Names.TemplateHash(template)}", TimeSpan.FromSeconds(3)));

        var result = await Deliver(cluster, broken, events);

        Assert.Equal(DeployOutcome.RolledBack, result.Outcome);
        Assert.Equal(1, result.Revision);
        Assert.Contains("ProgressDeadlineExceeded", Events(cluster), StringComparison.Ordinal);
        Assert.Contains("exceeded its progress deadline", result.Error, StringComparison.Ordinal);
        var gateway = (V1Deployment)(await cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", Restaurant.Namespace, "gateway"), CancellationToken.None))!;
        Assert.Equal("registry.example.com/restaurant/gateway:10.2.0", gateway.Spec.Template.Spec.Containers[0].Image);
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        var pods = cluster.Engine.Store.List<V1Pod>(Restaurant.Namespace).Where(p => p.Metadata.Name.StartsWith("gateway-", StringComparison.Ordinal) && Pods.IsActive(p)).ToList();
        Assert.All(pods, p => Assert.Equal("registry.example.com/restaurant/gateway:10.2.0", p.Spec.Containers[0].Image));
        Assert.Equal(gateway.Spec.Replicas, pods.Count(Pods.IsReady));
        Assert.Equal(1, (await Inventory.Inventory.ReadAsync(cluster, Restaurant.Namespace, CancellationToken.None))!.Revision);
    }

    [Fact]
    public async Task A_first_delivery_that_times_out_fails_and_leaves_objects_for_inspection()
    {
        var (cluster, events) = Sandbox();
        cluster.Engine.Context.Faults.Add(new CrashLoop("gateway-", TimeSpan.FromSeconds(3)));
        var result = await new Deployer(cluster, new DeployOptions { Timeout = TimeSpan.FromMinutes(2) })
            .DeployAsync(Restaurant.Namespace, Objects(), new Collect(events), CancellationToken.None);

        Assert.Equal(DeployOutcome.Failed, result.Outcome);
        Assert.StartsWith("timed out after 00:02:00: Deployment/restaurant-system/gateway", result.Error, StringComparison.Ordinal);
        Assert.Null(await Inventory.Inventory.ReadAsync(cluster, Restaurant.Namespace, CancellationToken.None));
        Assert.NotNull(await cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", Restaurant.Namespace, "gateway"), CancellationToken.None));
    }

    private static Manifest Render(string example)
    {
        var spec = StackParser.Parse(File.ReadAllText(Repo.File("examples", example)), example);
        return ManifestRenderer.Default.Render(Planner.Default.Plan(spec.Value!).Plan!);
    }

    private static (SandboxCluster Cluster, List<DeployEvent> Events) Sandbox()
    {
        var objects = Objects();
        return (new SandboxCluster(new SandboxEngine(Restaurant.Plan.Spec.Cluster, load: PlannedLoad.From(objects))), []);
    }

    // Fresh copies each time: the sandbox clones on apply, but tests edit images.
    private static List<IKubernetesObject<V1ObjectMeta>> Objects(string? component = null, string? image = null)
    {
        var objects = Restaurant.Objects.Select(o => KubeObjects.Clone(o.Resource)).ToList();
        if (component is not null && objects.Single(o => o is V1Deployment d && d.Metadata.Name == component) is V1Deployment deployment)
        {
            var container = deployment.Spec.Template.Spec.Containers[0];
            container.Image = container.Image[..container.Image.LastIndexOf('/')] + "/" + image;
        }

        return objects;
    }

    private static bool IsOf(IKubernetesObject<V1ObjectMeta> resource, string component) =>
        resource.Metadata.Labels?.TryGetValue("keelson.dev/component", out var c) == true && c == component;

    private static Task<DeployResult> Deliver(SandboxCluster cluster, List<IKubernetesObject<V1ObjectMeta>> objects, List<DeployEvent> events) =>
        new Deployer(cluster).DeployAsync(Restaurant.Namespace, objects, new Collect(events), CancellationToken.None);

    private static string Events(SandboxCluster cluster) =>
        string.Join('\n', cluster.Engine.Store.List<Corev1Event>(Restaurant.Namespace).Select(e => $"{e.Reason} {e.Message}"));

    private sealed class Collect(List<DeployEvent> events) : IProgress<DeployEvent>
    {
        public void Report(DeployEvent value) => events.Add(value);
    }
}
