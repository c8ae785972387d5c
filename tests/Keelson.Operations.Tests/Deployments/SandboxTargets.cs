using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Operations.Deployments;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Scheduling;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Deployments;

/// <summary>
/// Deployment targets for the workflow tests: a deployment's spec is the restaurant example, optionally with the
/// gateway's image replaced (<c>restaurant gateway:10.3.0-broken</c>) or made invalid (<c>restaurant invalid</c>);
/// every target shares one sandbox, serialised because two replicas may drive it at once.
/// </summary>
internal sealed class SandboxTargets : IDeploymentTargets
{
    private static readonly Manifest Restaurant = Render();
    private int resolved;

    public SandboxTargets()
    {
        Sandbox = new SandboxCluster(new SandboxEngine(Restaurant.Plan.Spec.Cluster, load: PlannedLoad.From([.. Restaurant.Objects.Select(o => o.Resource)])));
        Cluster = new SerializedCluster(Sandbox);
    }

    /// <summary>The namespace of the restaurant stack.</summary>
    public static string Namespace => Restaurant.Namespace;

    /// <summary>The sandbox underneath, for assertions (only between runs).</summary>
    public SandboxCluster Sandbox { get; }

    /// <summary>The cluster every target delivers to.</summary>
    public SerializedCluster Cluster { get; }

    /// <summary>How many times a target was resolved.</summary>
    public int Resolved => resolved;

    /// <inheritdoc/>
    public Task<DeploymentTarget> ResolveAsync(DeploymentRecord deployment, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref resolved);
        var parts = deployment.Spec.Split(' ');
        if (parts[0] != "restaurant")
        {
            throw new DeploymentTargetException($"unknown test spec '{deployment.Spec}'");
        }

        var objects = Restaurant.Objects.Select(o => KubeObjects.Clone(o.Resource)).ToList();
        if (parts.Length > 1)
        {
            var gateway = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "gateway");
            var container = gateway.Spec.Template.Spec.Containers[0];
            if (parts[1] == "invalid")
            {
                container.SecurityContext.Privileged = true;
            }
            else
            {
                container.Image = container.Image[..container.Image.LastIndexOf('/')] + "/" + parts[1];
            }
        }

        Func<CancellationToken, Task<CapacityVerdict>>? capacity = CapacityProfile is { } profile
            ? async token =>
            {
                var forecast = await CapacityForecast.ReadAsync(Cluster, profile, Restaurant.Namespace, objects, token);
                return new CapacityVerdict(forecast.Fits, forecast.Describe());
            }
            : null;
        return Task.FromResult(new DeploymentTarget(Cluster, Restaurant.Namespace, objects, Capacity: capacity));
    }

    /// <summary>The pools the capacity check reads maxima from; null (the default) leaves the check out.</summary>
    public ClusterProfile? CapacityProfile { get; set; }

    /// <summary>The restaurant's cluster profile with no pool allowed to grow beyond its minimum.</summary>
    public static ClusterProfile Fixed => Restaurant.Plan.Spec.Cluster with { Pools = [.. Restaurant.Plan.Spec.Cluster.Pools.Select(p => p with { MaxNodes = p.MinNodes })] };

    /// <summary>The rendered gateway of a spec, to name its pods in faults.</summary>
    public V1Deployment Gateway(string spec) =>
        ResolveAsync(new DeploymentRecord { Id = "x", TenantId = "x", Revision = 1, Spec = spec, State = DeploymentState.Pending, CreatedAt = default, UpdatedAt = default }, CancellationToken.None)
            .Result.Objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "gateway");

    private static Manifest Render()
    {
        var spec = StackParser.Parse(File.ReadAllText(Repo.File("examples", "restaurant.yaml")), "restaurant.yaml");
        return ManifestRenderer.Default.Render(Planner.Default.Plan(spec.Value!).Plan!);
    }
}

/// <summary>The sandbox behind a lock, honouring cancellation before each call as a remote cluster's client does.</summary>
internal sealed class SerializedCluster(SandboxCluster inner) : ICluster, IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Calls made, to show a skipped step did not touch the cluster.</summary>
    public int Applies { get; private set; }

    /// <summary>How many of the next applies throw <see cref="ApplyError"/> instead of applying.</summary>
    public int FailingApplies { get; set; }

    /// <summary>What a failing apply throws.</summary>
    public Func<Exception> ApplyError { get; set; } = () => new HttpRequestException("Connection refused (127.0.0.1:6443)");

    public string Description => inner.Description;

    public TimeProvider Time => inner.Time;

    public Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetesObject<V1ObjectMeta> resource, CancellationToken cancellationToken) =>
        Locked(() =>
        {
            Applies++;
            if (FailingApplies > 0)
            {
                FailingApplies--;
                throw ApplyError();
            }

            return inner.ApplyAsync(resource, cancellationToken);
        }, cancellationToken);

    public Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken) =>
        Locked(() => inner.GetAsync(key, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(string apiVersion, string kind, string? ns, string? labelSelector, CancellationToken cancellationToken) =>
        Locked(() => inner.ListAsync(apiVersion, kind, ns, labelSelector, cancellationToken), cancellationToken);

    public Task<bool> DeleteAsync(ObjectKey key, CancellationToken cancellationToken) =>
        Locked(() => inner.DeleteAsync(key, cancellationToken), cancellationToken);

    public IAsyncEnumerable<ClusterEvent> WatchAsync(string apiVersion, string kind, string? ns, CancellationToken cancellationToken) =>
        inner.WatchAsync(apiVersion, kind, ns, cancellationToken);

    public Task WaitAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        Locked(async () =>
        {
            await inner.WaitAsync(duration, cancellationToken);
            return true;
        }, cancellationToken);

    public void Dispose() => gate.Dispose();

    private async Task<T> Locked<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await call();
        }
        finally
        {
            gate.Release();
        }
    }
}
