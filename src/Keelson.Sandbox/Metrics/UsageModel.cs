using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Nodes;

namespace Keelson.Sandbox.Metrics;

/// <summary>
/// Turns the sandbox's load model into what a real cluster would measure, as a pure function of the store and the
/// virtual clock: a workload's CPU demand is shared by its ready pods (capped at their limits), memory grows with
/// that load, and serving pods report requests, latency (a queue that slows as use nears the request) and errors
/// (demand beyond what the pods can take). Where the load model says nothing about a workload, the load it was
/// sized for stands in: its HPA's CPU target (70 % for an HPA on other metrics), or <see cref="IdleShare"/> of its
/// request without an HPA.
/// </summary>
public static class UsageModel
{
    /// <summary>CPU use, as a share of the request, of a workload the load model does not cover and no HPA sizes.</summary>
    public const double IdleShare = 0.3;

    /// <summary>CPU a node's system daemons (kubelet, runtime, OS) use on top of its pods, in millicores.</summary>
    public const double SystemCpuMillis = 100;

    /// <summary>Memory a node's system daemons use on top of its pods, in bytes.</summary>
    public const long SystemMemoryBytes = 512L * 1024 * 1024;

    /// <summary>CPU time one request costs on a CPU pod, in milliseconds: 50 requests/s per busy core.</summary>
    public const double CpuMillisPerRequest = 20;

    /// <summary>Requests one fully busy GPU serves per second.</summary>
    public const double RequestsPerGpuSecond = 20;

    // Startup work of a pod that runs but is not ready yet, as a share of its request.
    private const double StartingShare = 0.1;

    // Nominal request for pods that request no CPU (BestEffort), so they still have a utilisation.
    private const double NominalRequestMillis = 100;

    private static readonly long DefaultMemoryBytes = 128L * 1024 * 1024;

    /// <summary>The CPU (millicores) <paramref name="workload"/>'s ready pods together use now; see the type's summary for the fallback.</summary>
    public static double CpuDemandMillis(SandboxContext context, string ns, string workload, int ready, long requestMillis)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Load.CpuDemandMillis(ns, workload, context.Clock.GetUtcNow()) is { } demand)
        {
            return demand;
        }

        var hpa = context.Store.List<V2HorizontalPodAutoscaler>(ns).FirstOrDefault(h => h.Spec.ScaleTargetRef?.Name == workload);
        var target = hpa?.Spec.Metrics?
            .FirstOrDefault(m => m.Type == "Resource" && m.Resource?.Name == "cpu" && m.Resource.Target?.AverageUtilization is not null)
            ?.Resource.Target.AverageUtilization;

        // An HPA on other metrics reads them as pod-equivalents at the planned share, so it holds too.
        var share = target is { } percent ? percent / 100.0 : hpa is not null ? Controllers.HpaMetrics.PlannedShare : IdleShare;
        return ready * Math.Max(requestMillis, NominalRequestMillis) * share;
    }

    /// <summary>Every running pod's usage now, ordered by namespace and name.</summary>
    public static IReadOnlyList<PodUsage> Pods(SandboxContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var running = context.Store.List<V1Pod>()
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running" && !string.IsNullOrEmpty(p.Spec.NodeName))
            .ToList();
        var usage = new List<PodUsage>(running.Count);
        foreach (var group in running.GroupBy(p => (p.Metadata.NamespaceProperty, Workload(context, p))))
        {
            var pods = group.ToList();
            var ready = pods.Count(Engine.Pods.IsReady);
            var request = PodResources.Request(pods[0].Spec, "cpu", milli: true);
            var demand = ready == 0 ? 0 : CpuDemandMillis(context, group.Key.NamespaceProperty, group.Key.Item2, ready, request);
            usage.AddRange(pods.Select(p => Pod(p, group.Key.Item2, Engine.Pods.IsReady(p) ? demand / ready : -1)));
        }

        return [.. usage.OrderBy(u => u.Namespace, StringComparer.Ordinal).ThenBy(u => u.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every ready node's usage now: its pods' plus the system daemons', ordered by name.</summary>
    public static IReadOnlyList<NodeUsage> Nodes(SandboxContext context, IReadOnlyList<PodUsage> pods)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pods);
        var byNode = pods.ToLookup(p => p.Node, StringComparer.Ordinal);
        return [.. context.Store.List<V1Node>()
            .Where(n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            .Select(n => n.Metadata.Name)
            .Order(StringComparer.Ordinal)
            .Select(n => new NodeUsage(n, SystemCpuMillis + byNode[n].Sum(p => p.CpuMillis), SystemMemoryBytes + byNode[n].Sum(p => p.MemoryBytes)))];
    }

    /// <summary>The workload whose load a pod shares: the Deployment behind its ReplicaSet, else its owner, else itself.</summary>
    public static string Workload(SandboxContext context, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pod);
        var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is null)
        {
            return pod.Metadata.Name;
        }

        if (owner.Kind == "ReplicaSet"
            && context.Store.Get<V1ReplicaSet>(pod.Metadata.NamespaceProperty, owner.Name)?.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == "Deployment") is { } deployment)
        {
            return deployment.Name;
        }

        return owner.Name;
    }

    // share < 0: running but not ready, so only startup work.
    private static PodUsage Pod(V1Pod pod, string workload, double share)
    {
        var requestMillis = PodResources.Request(pod.Spec, "cpu", milli: true);
        var effectiveRequest = requestMillis > 0 ? requestMillis : NominalRequestMillis;
        var limitMillis = Limit(pod.Spec.Containers, "cpu", 1000);
        var wanted = share < 0 ? StartingShare * effectiveRequest : share;
        var cpu = limitMillis > 0 ? Math.Min(wanted, limitMillis) : wanted;
        var utilisation = cpu / effectiveRequest;
        var overload = wanted / Math.Max(cpu, 1e-9);

        var containers = pod.Spec.Containers;
        var requests = containers.Select(c => (double)Quantity(c.Resources?.Requests, "cpu", 1000)).ToList();
        var total = requests.Sum();
        var usage = containers.Select((c, i) => new ContainerUsage(
            c.Name,
            total > 0 ? cpu * requests[i] / total : cpu / containers.Count,
            Memory(c, utilisation),
            MemoryBasis(c))).ToList();

        var gpus = PodResources.Request(pod.Spec, NodeFactory.GpuResource, milli: false);
        double? gpuUtilisation = gpus > 0 ? Math.Min(1, utilisation) : null;
        var rps = gpus > 0 ? gpus * RequestsPerGpuSecond * gpuUtilisation!.Value : cpu / CpuMillisPerRequest;
        var latency = (gpus > 0 ? 0.25 : 0.04) / (1 - Math.Min(utilisation, 0.95));
        var errors = Math.Min(1, 0.001 + (overload > 1 ? (overload - 1) / overload : 0));
        return new PodUsage(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Spec.NodeName, workload, usage, utilisation, gpus, gpuUtilisation, rps, latency, errors);
    }

    private static long Memory(V1Container container, double utilisation)
    {
        var request = Quantity(container.Resources?.Requests, "memory", 1);
        var limit = Quantity(container.Resources?.Limits, "memory", 1);
        var basis = request > 0 ? request : limit > 0 ? limit : DefaultMemoryBytes;
        var used = (long)(basis * Math.Min(0.95, 0.45 + (0.35 * utilisation)));
        return limit > 0 ? Math.Min(used, limit) : used;
    }

    private static long MemoryBasis(V1Container container)
    {
        var limit = Quantity(container.Resources?.Limits, "memory", 1);
        var request = Quantity(container.Resources?.Requests, "memory", 1);
        return limit > 0 ? limit : request > 0 ? request : DefaultMemoryBytes;
    }

    private static long Limit(IList<V1Container> containers, string resource, int scale) =>
        containers.Any(c => Quantity(c.Resources?.Limits, resource, scale) == 0) ? 0 : containers.Sum(c => Quantity(c.Resources?.Limits, resource, scale));

    private static long Quantity(IDictionary<string, ResourceQuantity>? list, string resource, int scale) =>
        list is not null && list.TryGetValue(resource, out var q) ? (long)(q.ToDecimal() * scale) : 0;
}
