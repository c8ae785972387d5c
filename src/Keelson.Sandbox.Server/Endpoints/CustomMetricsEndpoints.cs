using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Rendering.Renderers;
using Keelson.Sandbox.Metrics;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// The read path of the custom and external metrics APIs, in a metrics adapter's shape (prometheus-adapter, KEDA):
/// <c>custom.metrics.k8s.io/v1beta2</c> per-pod values (<c>namespaces/NS/pods/NAME|*/METRIC</c>) and
/// <c>external.metrics.k8s.io/v1beta1</c> series (<c>namespaces/NS/METRIC</c>), both from <see cref="CustomMetrics"/>,
/// so what they show is what the sandbox's HPAs scale on. A metric no pod or HPA has is a 404, as from an adapter.
/// </summary>
internal static class CustomMetricsEndpoints
{
    /// <summary>The custom metrics group version served.</summary>
    public const string CustomGroupVersion = "custom.metrics.k8s.io/v1beta2";

    /// <summary>The external metrics group version served.</summary>
    public const string ExternalGroupVersion = "external.metrics.k8s.io/v1beta1";

    /// <summary>Per-pod metrics the usage model knows by name, listed in discovery beside those the HPAs name.</summary>
    public static readonly IReadOnlyList<string> KnownPodMetrics =
        ["http_requests_per_second", "http_request_latency_seconds", "http_request_error_ratio", "gpu_utilization"];

    // The same resolution metrics-server reports, so the three metrics APIs agree on the instant.
    private const int WindowSeconds = 20;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/apis/custom.metrics.k8s.io", () => ApiJson.Result(Group(CustomGroupVersion)));
        app.MapGet("/apis/" + CustomGroupVersion, (SandboxGate gate) => ApiJson.Result(CustomResources(gate)));
        app.MapGet("/apis/" + CustomGroupVersion + "/namespaces/{ns}/pods/{name}/{metric}", (string ns, string name, string metric, HttpContext context, SandboxGate gate) =>
            ApiJson.Result(PodValues(gate, ns, name, metric, context.Request.Query["labelSelector"])));

        app.MapGet("/apis/external.metrics.k8s.io", () => ApiJson.Result(Group(ExternalGroupVersion)));
        app.MapGet("/apis/" + ExternalGroupVersion, (SandboxGate gate) => ApiJson.Result(ExternalResources(gate)));
        app.MapGet("/apis/" + ExternalGroupVersion + "/namespaces/{ns}/{metric}", (string ns, string metric, HttpContext context, SandboxGate gate) =>
            ApiJson.Result(ExternalValues(gate, ns, metric, context.Request.Query["labelSelector"])));
    }

    /// <summary>Discovery's entries for both groups.</summary>
    public static IEnumerable<V1APIGroup> Groups() => [Group(CustomGroupVersion), Group(ExternalGroupVersion)];

    private static V1APIGroup Group(string groupVersion)
    {
        var (name, version) = (groupVersion[..groupVersion.IndexOf('/', StringComparison.Ordinal)], groupVersion[(groupVersion.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        var entry = new V1GroupVersionForDiscovery { GroupVersion = groupVersion, Version = version };
        return new V1APIGroup { ApiVersion = "v1", Kind = "APIGroup", Name = name, Versions = [entry], PreferredVersion = entry };
    }

    private static V1APIResourceList CustomResources(SandboxGate gate)
    {
        var named = gate.Run(cluster => cluster.Engine.Context.Store.List<V2HorizontalPodAutoscaler>()
            .SelectMany(h => h.Spec.Metrics ?? [])
            .Where(m => m.Type == "Pods" && m.Pods?.Metric?.Name is not null)
            .Select(m => m.Pods.Metric.Name)
            .ToList());
        return new V1APIResourceList
        {
            ApiVersion = "v1",
            Kind = "APIResourceList",
            GroupVersion = CustomGroupVersion,
            Resources = [.. KnownPodMetrics.Concat(named).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(m => new V1APIResource { Name = "pods/" + m, SingularName = "", Namespaced = true, Kind = "MetricValueList", Verbs = ["get"] })],
        };
    }

    // Never empty: kubectl's discovery fails every command on a group version with no resources.
    private static V1APIResourceList ExternalResources(SandboxGate gate)
    {
        var named = gate.Run(cluster => cluster.Engine.Context.Store.List<V2HorizontalPodAutoscaler>()
            .SelectMany(h => h.Spec.Metrics ?? [])
            .Where(m => m.Type == "External" && m.External?.Metric?.Name is not null)
            .Select(m => m.External.Metric.Name)
            .ToList());
        return new V1APIResourceList
        {
            ApiVersion = "v1",
            Kind = "APIResourceList",
            GroupVersion = ExternalGroupVersion,
            Resources = [.. named.Append(ScalingRenderer.QueueMetric).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(m => new V1APIResource { Name = m, SingularName = "", Namespaced = true, Kind = "ExternalMetricValueList", Verbs = ["get"] })],
        };
    }

    private static JsonObject PodValues(SandboxGate gate, string ns, string name, string metric, string? selector)
    {
        var (now, values) = gate.Run(cluster =>
        {
            var context = cluster.Engine.Context;
            var labels = context.Store.List<V1Pod>(ns).ToDictionary(p => p.Metadata.Name, p => p.Metadata.Labels, StringComparer.Ordinal);
            return (context.Now, CustomMetrics.Pods(context, ns, metric)
                .Where(v => (name == "*" || v.Pod == name) && Selectors.Matches(selector, labels.GetValueOrDefault(v.Pod)))
                .ToList());
        });
        if (values.Count == 0)
        {
            throw name == "*"
                ? ApiException.NotFound("pods.custom.metrics.k8s.io", metric)
                : ApiException.NotFound("pods.custom.metrics.k8s.io", $"{name}/{metric}");
        }

        var timestamp = Timestamp(now);
        return new JsonObject
        {
            ["kind"] = "MetricValueList",
            ["apiVersion"] = CustomGroupVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonArray([.. values.Select(v => (JsonNode)new JsonObject
            {
                ["describedObject"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = v.Namespace, ["name"] = v.Pod, ["apiVersion"] = "/v1" },
                ["metric"] = new JsonObject { ["name"] = metric },
                ["timestamp"] = timestamp,
                ["windowSeconds"] = WindowSeconds,
                ["value"] = Quantity(v.Value),
            })]),
        };
    }

    private static JsonObject ExternalValues(SandboxGate gate, string ns, string metric, string? selector)
    {
        var (now, values) = gate.Run(cluster => (cluster.Engine.Context.Now, CustomMetrics.External(cluster.Engine.Context, ns, metric)
            .Where(v => Selectors.Matches(selector, v.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal)))
            .ToList()));
        if (values.Count == 0)
        {
            throw ApiException.NotFound(metric + ".external.metrics.k8s.io", metric);
        }

        var timestamp = Timestamp(now);
        return new JsonObject
        {
            ["kind"] = "ExternalMetricValueList",
            ["apiVersion"] = ExternalGroupVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonArray([.. values.Select(v => (JsonNode)new JsonObject
            {
                ["metricName"] = metric,
                ["metricLabels"] = new JsonObject([.. v.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]),
                ["timestamp"] = timestamp,
                ["window"] = WindowSeconds,
                ["value"] = Quantity(v.Value),
            })]),
        };
    }

    // Adapters report fractional values in milli-units (1500m); whole numbers come out plain.
    private static string Quantity(double value) =>
        new ResourceQuantity(string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Round(value * 1000)}m")).ToString();

    private static string Timestamp(DateTime now) => now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
