using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Metrics;
using Keelson.Sandbox.Server.Clock;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// <c>pods/{name}/log</c>: the sandbox runs no containers, so the log is <see cref="SimulatedPodLog"/>'s, with
/// <c>container</c>, <c>tailLines</c> and <c>follow</c> (new lines written as the sandbox clock reaches them, until
/// the pod is gone or the client leaves). Each line's timestamp is served mapped to the wall clock, as every time is.
/// </summary>
internal static class PodLogEndpoints
{
    // How often a follower looks for new lines, in real time.
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var template in ResourceRoutes.Subresource("log"))
        {
            app.MapGet(template, async (HttpContext context, SandboxGate gate, ServedClock served) =>
            {
                var target = ResourceTarget.From(context);
                if (target.Resource.Kind != "Pod")
                {
                    throw ApiException.NoResource(context.Request.Path);
                }

                var query = context.Request.Query;
                var follow = query["follow"].ToString() is "true" or "1";
                int? tail = int.TryParse(query["tailLines"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) && t >= 0 ? t : null;
                var (lines, container, until) = gate.Run(cluster =>
                {
                    var pod = (V1Pod)StoredObjects.Get(cluster, target);
                    var name = query["container"].ToString();
                    if (name.Length == 0)
                    {
                        name = pod.Spec.Containers.Count == 1
                            ? pod.Spec.Containers[0].Name
                            : throw ApiException.BadRequest($"a container name must be specified for pod {pod.Metadata.Name}, choose one of: [{string.Join(' ', pod.Spec.Containers.Select(c => c.Name))}]");
                    }
                    else if (pod.Spec.Containers.All(c => c.Name != name))
                    {
                        throw ApiException.BadRequest($"container {name} is not valid for pod {pod.Metadata.Name}");
                    }

                    var now = cluster.Engine.Clock.UtcDateTime;
                    return (Read(cluster, pod, name, DateTime.MinValue, now), name, now);
                });

                context.Response.ContentType = "text/plain";
                foreach (var line in tail is { } n ? lines.TakeLast(n) : lines)
                {
                    await context.Response.WriteAsync(Served(served, line), context.RequestAborted).ConfigureAwait(false);
                }

                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                try
                {
                    await FollowAsync(context, gate, served, target, container, until, follow).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    // The client stopped following.
                }
            });
        }
    }

    private static async Task FollowAsync(HttpContext context, SandboxGate gate, ServedClock served, ResourceTarget target, string container, DateTime until, bool follow)
    {
        while (follow)
        {
            await Task.Delay(FollowPoll, context.RequestAborted).ConfigureAwait(false);
            var after = until;
            var next = gate.Run(cluster =>
            {
                var now = cluster.Engine.Clock.UtcDateTime;
                return cluster.Engine.Store.Get(StoredObjects.Key(target.Resource, target.Namespace, target.RequiredName)) is V1Pod pod
                    ? (Lines: Read(cluster, pod, container, after, now), Now: now)
                    : (Lines: null, Now: now);
            });
            if (next.Lines is null)
            {
                break;
            }

            until = next.Now;
            foreach (var line in next.Lines)
            {
                await context.Response.WriteAsync(Served(served, line), context.RequestAborted).ConfigureAwait(false);
            }

            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static string Served(ServedClock served, (DateTime At, string Text) line) => SimulatedPodLog.Format((served.Map.ToWall(line.At), line.Text));

    private static List<(DateTime At, string Text)> Read(SandboxCluster cluster, V1Pod pod, string container, DateTime after, DateTime until)
    {
        var usage = UsageModel.Pods(cluster.Engine.Context).FirstOrDefault(u => u.Namespace == pod.Metadata.NamespaceProperty && u.Name == pod.Metadata.Name);
        return [.. SimulatedPodLog.Lines(pod, container, usage, after, until)];
    }
}
