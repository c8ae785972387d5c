using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Metrics;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// The log a pod's container would write, made up from what the sandbox knows: a start line when the container
/// runs, one when the readiness probe first passes, and every 10 s of sandbox time a request summary from the
/// usage model (requests/s, mean latency, errors). A line is a function of the pod and an instant, so following
/// the log as the clock moves and reading it again later give the same lines (request figures are the model's at
/// the time the line is written).
/// </summary>
internal static class SimulatedPodLog
{
    /// <summary>How often a request summary is written, in sandbox time.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(10);

    /// <summary>The lines stamped after <paramref name="after"/> (exclusive) up to <paramref name="until"/> (inclusive), oldest first.</summary>
    public static IEnumerable<(DateTime At, string Text)> Lines(V1Pod pod, string container, PodUsage? usage, DateTime after, DateTime until)
    {
        var status = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == container);
        if (status?.State?.Running?.StartedAt is not { } started)
        {
            yield break;
        }

        var image = pod.Spec.Containers.FirstOrDefault(c => c.Name == container)?.Image ?? "";
        if (started > after && started <= until)
        {
            yield return (started, $"keelson sandbox: pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} runs no real containers; logs are simulated");
            yield return (started, $"starting {container} ({image})");
        }

        if (pod.Status!.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "True")?.LastTransitionTime is not { } ready)
        {
            yield break;
        }

        if (ready > after && ready <= until)
        {
            yield return (ready, "readiness probe succeeded; serving");
        }

        // Summaries fall on whole multiples of the interval after the pod became ready.
        var first = Math.Max(1, (long)Math.Floor((after - ready) / SummaryInterval) + 1);
        for (var n = first; ready + (n * SummaryInterval) <= until; n++)
        {
            var at = ready + (n * SummaryInterval);
            var rps = usage?.RequestsPerSecond ?? 0;
            var latency = (usage?.LatencySeconds ?? 0) * 1000;
            var errors = (usage?.ErrorRatio ?? 0) * 100;
            yield return (at, string.Create(CultureInfo.InvariantCulture,
                $"served {Math.Round(rps * SummaryInterval.TotalSeconds):0} requests in the last {SummaryInterval.TotalSeconds:0}s ({rps:0.0}/s), mean latency {latency:0} ms, errors {errors:0.0}%"));
        }
    }

    /// <summary>A line as the container writes it: its own RFC 3339 timestamp, then the text.</summary>
    public static string Format((DateTime At, string Text) line) =>
        line.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + " " + line.Text + "\n";
}
