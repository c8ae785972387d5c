using System.Globalization;
using k8s;
using k8s.Models;
using Keelson.Delivery;
using Keelson.Operations.Deployments;
using Keelson.Rendering;
using Keelson.Sandbox.Scheduling;
using Keelson.Server.Api;
using Microsoft.Extensions.Options;

namespace Keelson.Server;

/// <summary>
/// Runs durable deployments of both databases in the background: one workflow and one dispatcher each, started after
/// the databases are open. Stopping the server stops the runs where they are and gives their leases up, so another
/// replica (or this one, restarted) resumes them.
/// </summary>
public sealed class TenantDeployments(TenantDatabases databases, DeploymentClusters clusters, IOptions<ServerOptions> options, ILoggerFactory loggers) : BackgroundService
{
    private readonly TaskCompletionSource<(DeploymentDispatcher Demo, DeploymentDispatcher Production)> dispatchers = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private volatile DeploymentEvents events = new();

    /// <summary>Live progress lines of deployments: this replica's, and with Redis configured every replica's.</summary>
    public DeploymentEvents Events => events;

    /// <summary>The lease owner name this replica deploys under in the demo or production database; null before it starts.</summary>
    public string? Owner(bool demo) =>
        dispatchers.Task.IsCompletedSuccessfully ? (demo ? dispatchers.Task.Result.Demo : dispatchers.Task.Result.Production).Owner : null;

    /// <summary>Tells the demo or production dispatcher that a deployment was just created.</summary>
    public void Wake(bool demo)
    {
        if (dispatchers.Task.IsCompletedSuccessfully)
        {
            var (d, p) = dispatchers.Task.Result;
            (demo ? d : p).Wake();
        }
    }

    /// <summary>
    /// Removes what <paramref name="delivered"/> (the tenant's last succeeded deployment) put on its cluster: every
    /// object of the namespace's inventory, then the inventory; the number of objects deleted.
    /// </summary>
    public async Task<int> TearDownAsync(bool demo, DeploymentRecord delivered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        var target = await new Targets(clusters, demo).ResolveAsync(delivered, cancellationToken).ConfigureAwait(false);
        var deleted = await new Deployer(target.Cluster).DeleteAsync(target.Namespace, null, cancellationToken).ConfigureAwait(false);
        if (target.Checkpoint is { } checkpoint)
        {
            await checkpoint(cancellationToken).ConfigureAwait(false);
        }

        return deleted.Count;
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        if (dispatchers.Task.IsCompletedSuccessfully)
        {
            dispatchers.Task.Result.Demo.Dispose();
            dispatchers.Task.Result.Production.Dispose();
        }

        base.Dispose();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Deployment ids are unique across both databases, so one relay serves both.
        if (databases.For(true).Redis is { } redis)
        {
            events = new DeploymentEvents(redis.GetSubscriber(), loggers.CreateLogger<DeploymentEvents>());
        }

        var demo = Create(true);
        var production = Create(false);
        dispatchers.SetResult((demo, production));
        await Task.WhenAll(demo.RunAsync(stoppingToken), production.RunAsync(stoppingToken)).ConfigureAwait(false);
    }

    private DeploymentDispatcher Create(bool demo)
    {
        var stores = databases.For(demo);
        var settings = options.Value.Deployments;
        if (settings.MaxConcurrent < 1)
        {
            throw new InvalidOperationException($"Keelson:Deployments:MaxConcurrent must be at least 1; it is {settings.MaxConcurrent}.");
        }

        var workflow = new DeploymentWorkflow(
            stores.Deployments,
            stores.Tenants,
            new Targets(clusters, demo),
            Events,
            new DeploymentOptions
            {
                ReadyTimeout = settings.ReadyTimeout, PollInterval = settings.PollInterval, LeaseDuration = settings.LeaseDuration, ScanInterval = settings.ScanInterval,
                Capacity = settings.Capacity, CapacityWaitTimeout = settings.CapacityWaitTimeout, CapacityRetryInterval = settings.CapacityRetryInterval,
                MaxConcurrent = settings.MaxConcurrent,
            },
            TimeProvider.System,
            loggers.CreateLogger<DeploymentWorkflow>());
        return new DeploymentDispatcher(stores.Deployments, workflow, TimeProvider.System, loggers.CreateLogger<DeploymentDispatcher>());
    }

    /// <summary>A deployment's stored request rendered again, delivered to the demo or production cluster.</summary>
    private sealed class Targets(DeploymentClusters clusters, bool demo) : IDeploymentTargets
    {
        public async Task<DeploymentTarget> ResolveAsync(DeploymentRecord deployment, CancellationToken cancellationToken)
        {
            var (manifest, error) = TenantManifests.Render(deployment.Spec, new RenderOptions());
            if (manifest is null)
            {
                throw new DeploymentTargetException(error!);
            }

            try
            {
                var profile = manifest.Plan.Spec.Cluster;
                var (cluster, checkpoint) = await clusters.ForAsync(demo, profile, cancellationToken).ConfigureAwait(false);
                var objects = Lifecycle.Delivered(deployment, manifest);
                return new DeploymentTarget(cluster, manifest.Namespace, objects, checkpoint, async token =>
                {
                    // The pools' maxima are the stack's cluster profile: what its cluster autoscaler may grow each pool to.
                    var forecast = await CapacityForecast.ReadAsync(cluster, profile, manifest.Namespace, objects, token).ConfigureAwait(false);
                    return new CapacityVerdict(forecast.Fits, forecast.Describe());
                });
            }
            catch (InvalidOperationException e)
            {
                throw new DeploymentTargetException(e.Message, e);
            }
        }
    }

    /// <summary>How a stop or restart changes the rendered objects; a deploy or start delivers them as rendered.</summary>
    internal static class Lifecycle
    {
        /// <summary>The annotation <c>kubectl rollout restart</c> sets on the pod template.</summary>
        public const string RestartedAt = "kubectl.kubernetes.io/restartedAt";

        /// <summary>The objects of <paramref name="manifest"/> (the deployment's request rendered again) as <paramref name="deployment"/>'s action delivers them.</summary>
        public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Delivered(Operations.Deployments.DeploymentRecord deployment, Rendering.Manifest manifest) =>
            [.. manifest.Objects.Select(o => Apply(deployment, o.Resource))];

        /// <summary>
        /// <paramref name="resource"/> as <paramref name="deployment"/>'s action delivers it. The restart stamp is the
        /// deployment's creation time, so a resumed run applies exactly what the first run did.
        /// </summary>
        public static IKubernetesObject<V1ObjectMeta> Apply(Operations.Deployments.DeploymentRecord deployment, IKubernetesObject<V1ObjectMeta> resource)
        {
            switch (deployment.Action, resource)
            {
                case (DeploymentAction.Stop, V1Deployment d):
                    d.Spec.Replicas = 0;
                    break;
                case (DeploymentAction.Stop, V1StatefulSet s):
                    s.Spec.Replicas = 0;
                    break;
                case (DeploymentAction.Restart, V1Deployment d):
                    Stamp(d.Spec.Template.Metadata ??= new V1ObjectMeta(), deployment.CreatedAt);
                    break;
                case (DeploymentAction.Restart, V1StatefulSet s):
                    Stamp(s.Spec.Template.Metadata ??= new V1ObjectMeta(), deployment.CreatedAt);
                    break;
            }

            return resource;
        }

        private static void Stamp(V1ObjectMeta template, DateTimeOffset at)
        {
            template.Annotations ??= new Dictionary<string, string>();
            template.Annotations[RestartedAt] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
    }
}
