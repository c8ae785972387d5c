using System.Runtime.CompilerServices;
using Keelson.Sandbox.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// <c>GET /metrics/cluster</c>: the whole sandbox as one Prometheus target in the text exposition format, with
/// kube-state-metrics, cAdvisor and serving series (see <see cref="ClusterMetrics"/>). The path sits beside the
/// kubelet's <c>/metrics/cadvisor</c> rather than on <c>/metrics</c>, which a real API server keeps for its own series.
/// </summary>
internal static class PrometheusEndpoints
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics/cluster";

    // Counters live as long as the cluster they count, one set per served sandbox.
    private static readonly ConditionalWeakTable<SandboxCluster, Counters> CountersOf = [];

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(Path, (SandboxGate gate) =>
            Results.Text(gate.Run(cluster => ClusterMetrics.Write(cluster.Engine.Context, CountersOf.GetOrCreateValue(cluster))), Exposition.ContentType));
}
