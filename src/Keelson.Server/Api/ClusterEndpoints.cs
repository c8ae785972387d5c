using System.Globalization;
using Keelson.Delivery.Kubernetes;
using Keelson.Operations.Clusters;
using Keelson.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Keelson.Server.Api;

/// <summary>
/// The clusters the server drives in the request's mode and what each looks like now (docs/api.md, "Clusters"):
/// <c>GET /clusters</c> lists them, <c>GET /clusters/{cluster_name}</c> gives one from <see cref="ClusterViewCache"/> (watches kept in
/// memory), <c>GET /clusters/{cluster_name}/pods</c> pages its pods, <c>GET /clusters/{cluster_name}/version</c> gives its Kubernetes version.
/// A tenant-scoped key gets its tenant's view: node figures whole, pods, pending pods and autoscalers its own.
/// </summary>
public static class ClusterEndpoints
{
    /// <summary>Autoscaler events a view carries unless <c>?events=</c> says otherwise.</summary>
    public const int DefaultEvents = 50;

    /// <summary>Pods a page carries unless <c>?limit=</c> says otherwise.</summary>
    public const int DefaultPods = 100;

    private static readonly string[] Phases = ["Pending", "Running", "Unknown"];

    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapClusters(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/clusters", List).WithName("ListClusters").WithTags("clusters")
            .WithSummary("The clusters this mode's deployments go to: demo's embedded sandboxes (one per cluster profile a tenant deployed to) or its configured cluster; production's configured cluster, if any.")
            .Produces<ClusterList>();
        api.MapGet("/clusters/{cluster_name}", Get).WithName("GetCluster").WithTags("clusters")
            .WithSummary("One cluster now: nodes by pool and zone with allocatable, requested and used CPU, memory and GPUs; pods per node; pending pods with the scheduler's reason; horizontal pod autoscalers; the cluster autoscaler's newest events (?events=50, 0–500). ?tenant= narrows to one tenant (a tenant key always is); ?include_pods=false leaves pods[] empty (page them with /clusters/{cluster_name}/pods). Answered from watches kept in memory after the first request.")
            .Produces<ClusterView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapGet("/clusters/{cluster_name}/pods", Pods).WithName("ListClusterPods").WithTags("clusters")
            .WithSummary("A page of the cluster's pods bound to a node, in the view's order (node, namespace, name): ?offset=0&limit=100 (1–1000), filters ?node=, ?namespace=, ?phase= (Pending, Running, Unknown), ?search= (name or namespace contains, node or tenant is); total_count matches the filters, visible_count is every pod the caller sees. ?tenant= narrows to one tenant (a tenant key always is).")
            .Produces<PodPage>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapGet("/clusters/{cluster_name}/version", Version).WithName("GetClusterVersion").WithTags("clusters")
            .WithSummary("The cluster's Kubernetes version as its API server reports it (GET /version: what `kubectl version` prints as the server version); the sandbox reports the Kubernetes release it imitates.")
            .Produces<ClusterVersion>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        return api;
    }

    /// <summary>A cluster's Kubernetes version.</summary>
    /// <param name="Name">The cluster's name in <c>/clusters/{cluster_name}</c>.</param>
    /// <param name="GitVersion">The API server's <c>gitVersion</c>, e.g. <c>v1.32.0</c>.</param>
    public sealed record ClusterVersion(string Name, string GitVersion);

    /// <summary>The clusters of a mode.</summary>
    /// <param name="Mode"><c>demo</c> or <c>production</c>.</param>
    /// <param name="Clusters">Each cluster, by name.</param>
    public sealed record ClusterList(string Mode, IReadOnlyList<ClusterSummary> Clusters);

    /// <summary>A cluster in the list.</summary>
    /// <param name="Name">Its name in <c>/clusters/{cluster_name}</c>.</param>
    /// <param name="Kind"><c>sandbox</c> or <c>kubernetes</c>.</param>
    /// <param name="Description">Where it is (kubeconfig context and server, or the sandbox's profile); admins only, null for a tenant key.</param>
    public sealed record ClusterSummary(string Name, string Kind, string? Description);

    private static async Task<IResult> List(HttpContext http, DeploymentClusters clusters, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        var caller = ApiKeyFilter.CallerOf(http);
        var driven = await clusters.DrivenAsync(demo, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ClusterList(demo ? "demo" : "production", [.. driven.Select(c => new ClusterSummary(c.Name, c.Kind, caller.Admin ? c.Description : null))]));
    }

    private static async Task<IResult> Get(HttpContext http, DeploymentClusters clusters, TenantDatabases databases, ClusterViewCache views, string cluster_name, string? tenant, string? events, string? include_pods, CancellationToken cancellationToken)
    {
        var limit = DefaultEvents;
        if (events is not null && (!int.TryParse(events, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit > ClusterViewReader.MaxEvents))
        {
            return Problem(400, "Bad events", $"events must be a whole number from 0 to {ClusterViewReader.MaxEvents} (how many autoscaler events to return); got '{events}'.");
        }

        if (include_pods is not null and not ("true" or "false"))
        {
            return Problem(400, "Bad include_pods", $"include_pods must be true (the default: every visible pod in pods[]) or false (pods[] empty; page them with GET /api/v1/clusters/{{cluster_name}}/pods); got '{include_pods}'.");
        }

        var (found, scope, problem) = await ResolveAsync(http, clusters, databases, cluster_name, tenant, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (view, failed) = await ReadAsync(views, found!, scope, limit, cancellationToken).ConfigureAwait(false);
        return failed ?? TypedResults.Ok(include_pods == "false" ? view! with { Pods = [] } : view);
    }

    private static async Task<IResult> Version(HttpContext http, DeploymentClusters clusters, TenantDatabases databases, string cluster_name, CancellationToken cancellationToken)
    {
        var (found, _, problem) = await ResolveAsync(http, clusters, databases, cluster_name, null, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (found!.Cluster is not KubernetesCluster client)
        {
            return Problem(404, $"Cluster '{cluster_name}' has no API server", "Only clusters reached through a Kubernetes API report a version.");
        }

        var (version, failed) = await GuardedAsync(found, "Reading GET /version", token => client.VersionAsync(token), cancellationToken).ConfigureAwait(false);
        return failed ?? TypedResults.Ok(new ClusterVersion(found.Name, version!));
    }

    private static async Task<IResult> Pods(
        HttpContext http, DeploymentClusters clusters, TenantDatabases databases, ClusterViewCache views, string cluster_name, string? tenant,
        string? offset, string? limit, string? node, string? @namespace, string? phase, string? search, CancellationToken cancellationToken)
    {
        var from = 0;
        if (offset is not null && !int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            return Problem(400, "Bad offset", $"offset must be a whole number from 0 (how many matching pods to skip); got '{offset}'.");
        }

        var size = DefaultPods;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > PodQuery.MaxLimit))
        {
            return Problem(400, "Bad limit", $"limit must be a whole number from 1 to {PodQuery.MaxLimit} (pods per page); got '{limit}'.");
        }

        if (phase is not null && !Phases.Contains(phase))
        {
            return Problem(400, "Bad phase", $"phase must be one of {string.Join(", ", Phases)} (a pod's status.phase; succeeded and failed pods are not listed); got '{phase}'.");
        }

        var (found, scope, problem) = await ResolveAsync(http, clusters, databases, cluster_name, tenant, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (view, failed) = await ReadAsync(views, found!, scope, 0, cancellationToken).ConfigureAwait(false);
        return failed ?? TypedResults.Ok(new PodQuery(from, size, Empty(node), Empty(@namespace), phase, Empty(search)).Apply(view!));
    }

    private static Task<(DrivenCluster? Found, string? Scope, IResult? Problem)> ResolveAsync(
        HttpContext http, DeploymentClusters clusters, TenantDatabases databases, string cluster_name, string? tenant, CancellationToken cancellationToken) =>
        ResolveAsync(DemoModeFilter.IsDemo(http), ApiKeyFilter.CallerOf(http), clusters, databases, cluster_name, tenant, cancellationToken);

    /// <summary>The cluster asked for and whose view the caller gets: a tenant key always its tenant's, an admin everyone's or <paramref name="tenant"/>'s.</summary>
    internal static async Task<(DrivenCluster? Found, string? Scope, IResult? Problem)> ResolveAsync(
        bool demo, Caller caller, DeploymentClusters clusters, TenantDatabases databases, string cluster_name, string? tenant, CancellationToken cancellationToken)
    {
        var scope = caller.Admin ? tenant : caller.Tenant;
        if (!caller.Admin && tenant is not null && tenant != caller.Tenant)
        {
            return (null, null, Problems.Forbidden(caller));
        }

        if (caller.Admin && tenant is not null && await databases.For(demo).Tenants.GetAsync(tenant, cancellationToken).ConfigureAwait(false) is null)
        {
            return (null, null, Problems.NotFound(tenant));
        }

        var driven = await clusters.DrivenAsync(demo, cancellationToken).ConfigureAwait(false);
        if (driven.FirstOrDefault(c => c.Name == cluster_name) is not { } found)
        {
            var known = driven.Count == 0
                ? demo ? "none yet: demo clusters are the embedded sandboxes, started by a tenant's first deployment" : "none: no production cluster is configured (Keelson:Clusters:Production)"
                : string.Join(", ", driven.Select(c => c.Name));
            return (null, null, Problem(404, $"Cluster '{cluster_name}' not found", $"The {(demo ? "demo" : "production")} clusters are: {known}. GET /api/v1/clusters lists them."));
        }

        return (found, scope, null);
    }

    internal static Task<(ClusterView? View, IResult? Problem)> ReadAsync(ClusterViewCache views, DrivenCluster found, string? scope, int events, CancellationToken cancellationToken) =>
        GuardedAsync(found, "Reading its nodes, pods and autoscalers", token => views.ReadAsync(found.Name, found.Kind, found.Cluster, scope, events, token), cancellationToken);

    // A cluster that cannot be reached is the gateway's failure (502), not the caller's.
    private static async Task<(T? Value, IResult? Problem)> GuardedAsync<T>(DrivenCluster found, string what, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await read(cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is HttpRequestException or ClusterException or k8s.Exceptions.KubeConfigException or IOException or TimeoutException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The message can carry the cluster's address; the name and the kind of failure are enough to act on.
            var code = e is ClusterException c ? string.Create(CultureInfo.InvariantCulture, $" (HTTP {c.Code} {c.Reason})") : "";
            return (null, Problem(502, $"Cluster '{found.Name}' did not answer", $"{what} failed: {e.GetType().Name}{code}. Check that the cluster is reachable and that the server's credentials may list and watch nodes, pods, namespaces, events and horizontalpodautoscalers; GET /health/ready reports its state."));
        }
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, type: string.Create(CultureInfo.InvariantCulture, $"https://keelson.dev/problems/{status}"));
}
