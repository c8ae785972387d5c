using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Sandbox.Server.Clock;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Keelson.Sandbox.Server.Tables;
using Microsoft.AspNetCore.Http;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// A watch: newline-delimited <c>{"type","object"}</c> frames. From resourceVersion 0 (or none) it starts with every
/// current object as ADDED; from a list's version it replays what changed since, then streams live changes
/// until the client leaves, <c>timeoutSeconds</c> passes or the server stops. From a version older than the kept
/// history it sends one ERROR event with a 410 Expired Status and ends, as the API server's watch cache does.
/// Objects' times leave mapped to the wall clock, as in every other response.
/// </summary>
internal static class WatchStream
{
    public static async Task RunAsync(HttpContext context, SandboxGate gate, WatchHistory history, ServedClock served, ResourceTarget target, ListQuery query, CancellationToken stopping)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (query.Timeout is { } timeout)
        {
            lifetime.CancelAfter(timeout);
        }

        var resource = target.Resource;

        // Subscribing and reading the backlog under one lock turn: nothing is missed between them or seen twice.
        var (backlog, feed) = gate.Run(cluster =>
        {
            IReadOnlyList<ClusterEvent>? since = null;
            if (query.ResourceVersion is { } version and > 0)
            {
                since = history.Since(resource, version);
                if (since is null)
                {
                    return (Backlog: [Expired(version, history.OldestKept(resource))], Feed: null);
                }
            }

            var feed = cluster.Engine.Store.Watch(resource.Group, resource.Kind, target.Namespace, lifetime.Token);
            var changes = since?.Where(e => target.Namespace is null || e.Resource.Metadata.NamespaceProperty == target.Namespace)
                ?? StoredObjects.List(cluster, resource, target.Namespace).Select(o => new ClusterEvent(WatchEventType.Added, o));
            return (Backlog: Frames(changes, resource, query, served), Feed: (ChannelReader<ClusterEvent>?)feed);
        });

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(lifetime.Token).ConfigureAwait(false);

        // Clients wait for the headers before they read events; send them even when there is no backlog.
        await context.Response.Body.FlushAsync(lifetime.Token).ConfigureAwait(false);
        if (feed is null)
        {
            // A version older than the kept history: one ERROR event with a 410 Expired Status, and the stream ends.
            await WriteAsync(context.Response, backlog, lifetime.Token).ConfigureAwait(false);
            return;
        }

        try
        {
            await WriteAsync(context.Response, backlog, lifetime.Token).ConfigureAwait(false);
            while (await feed.WaitToReadAsync(lifetime.Token).ConfigureAwait(false))
            {
                var changes = new List<ClusterEvent>();
                while (feed.TryRead(out var change))
                {
                    changes.Add(change);
                }

                var frames = gate.Run(cluster => Frames(changes, resource, query, served));
                await WriteAsync(context.Response, frames, lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // The client left, the timeout passed or the server is stopping: the stream simply ends.
        }
    }

    // The watch cache's answer to a version it no longer has, as an event: "too old resource version: V (OLDEST)".
    private static string Expired(long version, long oldest) =>
        new JsonObject
        {
            ["type"] = "ERROR",
            ["object"] = ApiException.Status("Failure", StatusCodes.Status410Gone, "Expired", $"too old resource version: {version} ({oldest})", null),
        }.ToJsonString();

    private static List<string> Frames(IEnumerable<ClusterEvent> changes, ApiResource resource, ListQuery query, ServedClock served)
    {
        var frames = new List<string>();
        var map = served.Map;
        foreach (var change in changes)
        {
            var json = ResourceViews.ToNode(change.Resource, resource);
            if (!query.Matches(change.Resource, json))
            {
                continue;
            }

            JsonNode body = query.Table.Wanted
                ? TableBuilder.Build(resource, [change.Resource], TableClock.Of(served), query.Table.IncludeObject, StoredObjects.VersionOf(change.Resource))
                : json;
            if (!map.IsIdentity)
            {
                ServedTimes.Rewrite(body, map.ToWall);
            }

            frames.Add(new JsonObject { ["type"] = change.Type.ToString().ToUpperInvariant(), ["object"] = body }.ToJsonString());
        }

        return frames;
    }

    private static async Task WriteAsync(HttpResponse response, List<string> frames, CancellationToken cancellationToken)
    {
        if (frames.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var frame in frames)
        {
            text.Append(frame).Append('\n');
        }

        await response.WriteAsync(text.ToString(), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
