using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Keelson.Operations.Clusters;
using Keelson.Server.Streams;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Api;

/// <summary>
/// <c>WebSocket /ws/clusters/{cluster_name}</c>: the cluster's view (as <c>GET /api/v1/clusters/{cluster_name}?include_pods=false</c>
/// gives it) on connecting, then again whenever a node, pod, namespace, autoscaler, event or the metrics poll changed,
/// at most once per <see cref="Throttle"/>. Pods are not in it, as a page of 10,000 would be megabytes a second; the
/// totals and per-node counts are, and a client pages the pods it shows with <c>GET .../pods</c>. Authenticated and
/// tenant-scoped as the other streams are (<see cref="StreamSocket"/>); <c>?tenant=</c> narrows an admin's view.
/// </summary>
public static class ClusterSocket
{
    /// <summary>The shortest time between two views sent to one socket.</summary>
    public static readonly TimeSpan Throttle = TimeSpan.FromSeconds(1);

    // A cluster the server cannot watch is read afresh, so less often.
    private static readonly TimeSpan Unwatched = TimeSpan.FromSeconds(15);

    /// <summary>Maps the route (outside the header filters of <c>/ws</c>, as it authenticates itself).</summary>
    public static IEndpointRouteBuilder MapClusterStream(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/ws/clusters/{cluster_name}", StreamAsync).WithName("StreamCluster").WithTags("clusters")
            .WithSummary("WebSocket: {\"type\": \"cluster\", \"view\": ...} with the cluster's view (pods[] empty; page them with GET /api/v1/clusters/{cluster_name}/pods) on connecting and whenever it changed, at most once a second. ?tenant= narrows an admin's view; a tenant key always sees its tenant's.")
            .Produces(StatusCodes.Status101SwitchingProtocols).ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task StreamAsync(
        HttpContext http, DeploymentClusters clusters, TenantDatabases databases, ClusterViewCache views, Http.IssuedKeys keys,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, string cluster_name, string? tenant)
    {
        if (await StreamSocket.AcceptAsync(http, keys, $"read GET /api/v1/clusters/{cluster_name}").ConfigureAwait(false) is not { } opened)
        {
            return;
        }

        using var socket = opened.Socket;
        var cancellationToken = http.RequestAborted;
        var (found, scope, problem) = await ClusterEndpoints.ResolveAsync(opened.Demo, opened.Caller, clusters, databases, cluster_name, tenant, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            await StreamSocket.CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, Reason(problem), cancellationToken).ConfigureAwait(false);
            return;
        }

        // Only the newest view matters to a client that reads slowly: older ones waiting are dropped for it.
        var queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var following = FollowAsync(views, found!, scope, json.Value.SerializerOptions, queue.Writer, stop.Token);
        try
        {
            await StreamSocket.PumpAsync(socket, queue.Reader, (_, _) => Task.FromResult(socket.State == WebSocketState.Open), () => null, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await following.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // The problem the HTTP route would answer, as one line: its title and detail.
    private static string Reason(IResult problem) => problem is ProblemHttpResult { ProblemDetails: var details }
        ? $"{details.Title}: {details.Detail}"
        : "The cluster could not be read.";

    // Checks the watch's version every throttle period and builds a view only when it moved.
    private static async Task FollowAsync(ClusterViewCache views, DrivenCluster found, string? scope, JsonSerializerOptions json, ChannelWriter<byte[]> queue, CancellationToken cancellationToken)
    {
        long? sent = null;
        var readAt = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(Throttle);
        try
        {
            do
            {
                var version = views.VersionOf(found.Cluster);
                var due = version is null ? DateTimeOffset.UtcNow - readAt >= Unwatched : version != sent;
                if (!due)
                {
                    continue;
                }

                // The version before the read: a change during it makes the next check send again, never miss it.
                var (view, failed) = await ClusterEndpoints.ReadAsync(views, found, scope, ClusterEndpoints.DefaultEvents, cancellationToken).ConfigureAwait(false);
                readAt = DateTimeOffset.UtcNow;
                sent = version ?? views.VersionOf(found.Cluster);
                JsonNode message = failed is null
                    ? new JsonObject { ["type"] = "cluster", ["view"] = JsonSerializer.SerializeToNode(view! with { Pods = [] }, json) }
                    : new JsonObject { ["type"] = "error", ["message"] = Reason(failed) };
                queue.TryWrite(JsonSerializer.SerializeToUtf8Bytes(message));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            queue.TryComplete();
        }
    }
}
