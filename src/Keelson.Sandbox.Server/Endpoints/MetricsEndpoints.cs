using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Metrics;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// <c>metrics.k8s.io/v1beta1</c> in metrics-server's shape, read from the sandbox's usage model at the virtual
/// clock's now: NodeMetrics and PodMetrics (per container), each with the <c>timestamp</c> and <c>window</c> of
/// the measurement, so <c>kubectl top</c> works. Only get and list are served, as by metrics-server.
/// </summary>
internal static class MetricsEndpoints
{
    /// <summary>The group version served.</summary>
    public const string GroupVersion = "metrics.k8s.io/v1beta1";

    // metrics-server's default resolution: a rate over the last 20 s of cAdvisor samples.
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    public static void Map(IEndpointRouteBuilder app)
    {
        PrometheusEndpoints.Map(app);
        const string root = "/apis/" + GroupVersion;
        app.MapGet("/apis/metrics.k8s.io", () => ApiJson.Result(Group()));
        app.MapGet(root, () => ApiJson.Result(Resources()));
        app.MapGet(root + "/nodes", (HttpContext context, SandboxGate gate) =>
            ApiJson.Result(new NodeMetricsList
            {
                ApiVersion = GroupVersion,
                Kind = "NodeMetricsList",
                Metadata = new V1ObjectMeta(),
                Items = [.. gate.Run(cluster => Nodes(cluster, context.Request.Query["labelSelector"]))],
            }));
        app.MapGet(root + "/nodes/{name}", (string name, SandboxGate gate) =>
            ApiJson.Result(gate.Run(cluster => Nodes(cluster, null)).FirstOrDefault(n => n.Metadata.Name == name)
                ?? throw ApiException.NotFound("nodes.metrics.k8s.io", name)));
        app.MapGet(root + "/pods", (HttpContext context, SandboxGate gate) => PodList(gate, null, context.Request.Query["labelSelector"]));
        app.MapGet(root + "/namespaces/{ns}/pods", (string ns, HttpContext context, SandboxGate gate) => PodList(gate, ns, context.Request.Query["labelSelector"]));
        app.MapGet(root + "/namespaces/{ns}/pods/{name}", (string ns, string name, SandboxGate gate) =>
            ApiJson.Result(gate.Run(cluster => Pods(cluster, ns, null)).FirstOrDefault(p => p.Metadata.Name == name)
                ?? throw ApiException.NotFound("pods.metrics.k8s.io", name)));
    }

    /// <summary>Discovery's resource list for the group version.</summary>
    public static V1APIResourceList Resources() => new()
    {
        ApiVersion = "v1",
        Kind = "APIResourceList",
        GroupVersion = GroupVersion,
        Resources =
        [
            new V1APIResource { Name = "nodes", SingularName = "", Namespaced = false, Kind = "NodeMetrics", Verbs = ["get", "list"] },
            new V1APIResource { Name = "pods", SingularName = "", Namespaced = true, Kind = "PodMetrics", Verbs = ["get", "list"] },
        ],
    };

    /// <summary>Discovery's entry for the group.</summary>
    public static V1APIGroup Group()
    {
        var version = new V1GroupVersionForDiscovery { GroupVersion = GroupVersion, Version = "v1beta1" };
        return new V1APIGroup { ApiVersion = "v1", Kind = "APIGroup", Name = "metrics.k8s.io", Versions = [version], PreferredVersion = version };
    }

    private static IResult PodList(SandboxGate gate, string? ns, string? selector) => ApiJson.Result(new PodMetricsList
    {
        ApiVersion = GroupVersion,
        Kind = "PodMetricsList",
        Metadata = new V1ObjectMeta(),
        Items = [.. gate.Run(cluster => Pods(cluster, ns, selector))],
    });

    private static List<NodeMetrics> Nodes(SandboxCluster cluster, string? selector)
    {
        var context = cluster.Engine.Context;
        var now = context.Now;
        var labels = context.Store.List<V1Node>().ToDictionary(n => n.Metadata.Name, n => n.Metadata.Labels, StringComparer.Ordinal);
        return [.. UsageModel.Nodes(context, UsageModel.Pods(context))
            .Where(n => Selectors.Matches(selector, labels.GetValueOrDefault(n.Name)))
            .Select(n => new NodeMetrics
            {
                Metadata = new V1ObjectMeta { Name = n.Name, CreationTimestamp = now, Labels = labels.GetValueOrDefault(n.Name) },
                Timestamp = now - Window,
                Window = Duration(Window),
                Usage = Usage(n.CpuMillis, n.MemoryBytes),
            })];
    }

    private static List<PodMetrics> Pods(SandboxCluster cluster, string? ns, string? selector)
    {
        var context = cluster.Engine.Context;
        var now = context.Now;
        var pods = context.Store.List<V1Pod>(ns).ToDictionary(p => (p.Metadata.NamespaceProperty, p.Metadata.Name));
        return [.. UsageModel.Pods(context)
            .Where(u => (ns is null || u.Namespace == ns) && pods.TryGetValue((u.Namespace, u.Name), out var pod) && Selectors.Matches(selector, pod.Metadata.Labels))
            .Select(u => new PodMetrics
            {
                Metadata = new V1ObjectMeta { Name = u.Name, NamespaceProperty = u.Namespace, CreationTimestamp = now, Labels = pods[(u.Namespace, u.Name)].Metadata.Labels },
                Timestamp = now - Window,
                Window = Duration(Window),
                Containers = [.. u.Containers.Select(c => new ContainerMetrics { Name = c.Name, Usage = Usage(c.CpuMillis, c.MemoryBytes) })],
            })];
    }

    // metrics-server reports CPU in nanocores and memory in Ki; kubectl rounds both for display.
    private static Dictionary<string, ResourceQuantity> Usage(double cpuMillis, long memoryBytes) => new(StringComparer.Ordinal)
    {
        ["cpu"] = new ResourceQuantity(string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Round(cpuMillis * 1_000_000)}n")),
        ["memory"] = new ResourceQuantity(string.Create(CultureInfo.InvariantCulture, $"{memoryBytes / 1024}Ki")),
    };

    private static string Duration(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds}s");
}
