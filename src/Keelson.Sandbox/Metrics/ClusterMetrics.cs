using k8s.Models;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Metrics;

/// <summary>
/// The sandbox as a Prometheus target: kube-state-metrics series for the objects (pods, deployments,
/// statefulsets, nodes, HPAs), cAdvisor series for the containers' CPU and memory, the kubelet's volume stats, and the serving series an AI
/// service exports (<c>http_requests_total</c>, <c>http_request_duration_seconds</c>, DCGM GPU use), all with
/// the upstream names and labels so rendered PrometheusRules and dashboards read them unchanged.
/// </summary>
public static class ClusterMetrics
{
    /// <summary>Histogram bounds (seconds) of <c>http_request_duration_seconds</c>, the Prometheus client defaults.</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly string[] Phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];

    /// <summary>The exposition of the whole sandbox now; <paramref name="counters"/> carries the counters between scrapes.</summary>
    public static string Write(SandboxContext context, Counters counters)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(counters);
        var now = context.Now;
        var pods = context.Store.List<V1Pod>().OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        var usage = UsageModel.Pods(context);
        var byPod = usage.ToDictionary(u => (u.Namespace, u.Name));
        var output = new Exposition();
        KubeState(context, output, pods);
        Containers(output, pods, byPod, counters, now);
        Serving(output, pods, byPod, counters, now);
        Nodes(context, output, usage);
        Volumes(context, output, pods, byPod);

        // Virtual seconds elapsed: dividing a rate by this one's gives rates in sandbox time at any clock speed.
        output.Family("keelson_sandbox_clock_seconds_total", "counter", "The sandbox's virtual time in seconds since the Unix epoch; it only moves forward.");
        output.Sample("keelson_sandbox_clock_seconds_total", context.Clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        counters.Prune(now);
        return output.ToString();
    }

    private static void KubeState(SandboxContext context, Exposition output, List<V1Pod> pods)
    {
        output.Family("kube_pod_info", "gauge", "Information about pod.");
        foreach (var p in pods)
        {
            var owner = p.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
            output.Sample("kube_pod_info", 1, [.. Pod(p), ("node", p.Spec.NodeName ?? ""), ("created_by_kind", owner?.Kind ?? "<none>"), ("created_by_name", owner?.Name ?? "<none>")]);
        }

        output.Family("kube_pod_status_phase", "gauge", "The pods current phase.");
        foreach (var p in pods)
        {
            foreach (var phase in Phases)
            {
                output.Sample("kube_pod_status_phase", (p.Status?.Phase ?? "Pending") == phase ? 1 : 0, ("namespace", p.Metadata.NamespaceProperty), ("pod", p.Metadata.Name), ("uid", p.Metadata.Uid ?? ""), ("phase", phase));
            }
        }

        output.Family("kube_pod_status_ready", "gauge", "Describes whether the pod is ready to serve requests.");
        foreach (var p in pods)
        {
            var ready = Engine.Pods.IsReady(p);
            output.Sample("kube_pod_status_ready", ready ? 1 : 0, ("namespace", p.Metadata.NamespaceProperty), ("pod", p.Metadata.Name), ("uid", p.Metadata.Uid ?? ""), ("condition", "true"));
            output.Sample("kube_pod_status_ready", ready ? 0 : 1, ("namespace", p.Metadata.NamespaceProperty), ("pod", p.Metadata.Name), ("uid", p.Metadata.Uid ?? ""), ("condition", "false"));
        }

        Resources(output, pods, "requests", c => c.Resources?.Requests);
        Resources(output, pods, "limits", c => c.Resources?.Limits);

        output.Family("kube_pod_container_status_restarts_total", "counter", "The number of container restarts per container.");
        foreach (var p in pods)
        {
            foreach (var status in p.Status?.ContainerStatuses ?? [])
            {
                output.Sample("kube_pod_container_status_restarts_total", status.RestartCount, [.. Pod(p), ("container", status.Name)]);
            }
        }

        var deployments = context.Store.List<V1Deployment>().ToList();
        Workloads(output, "deployment", deployments, d => (d.Metadata, d.Spec.Replicas ?? 1, d.Status?.Replicas ?? 0, d.Status?.AvailableReplicas ?? 0, d.Status?.ReadyReplicas ?? 0), "available");
        var statefulSets = context.Store.List<V1StatefulSet>().ToList();
        Workloads(output, "statefulset", statefulSets, s => (s.Metadata, s.Spec.Replicas ?? 1, s.Status?.Replicas ?? 0, s.Status?.AvailableReplicas ?? 0, s.Status?.ReadyReplicas ?? 0), "ready");

        var hpas = context.Store.List<V2HorizontalPodAutoscaler>().ToList();
        foreach (var (name, help, read) in new (string, string, Func<V2HorizontalPodAutoscaler, int>)[]
        {
            ("kube_horizontalpodautoscaler_spec_min_replicas", "Lower limit for the number of pods that can be set by the autoscaler, default 1.", h => h.Spec.MinReplicas ?? 1),
            ("kube_horizontalpodautoscaler_spec_max_replicas", "Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.", h => h.Spec.MaxReplicas),
            ("kube_horizontalpodautoscaler_status_current_replicas", "Current number of replicas of pods managed by this autoscaler.", h => h.Status?.CurrentReplicas ?? 0),
            ("kube_horizontalpodautoscaler_status_desired_replicas", "Desired number of replicas of pods managed by this autoscaler.", h => h.Status?.DesiredReplicas ?? 0),
        })
        {
            output.Family(name, "gauge", help);
            foreach (var h in hpas)
            {
                output.Sample(name, read(h), ("namespace", h.Metadata.NamespaceProperty), ("horizontalpodautoscaler", h.Metadata.Name));
            }
        }
    }

    private static void Workloads<T>(Exposition output, string kind, List<T> items, Func<T, (V1ObjectMeta Meta, int Spec, int Status, int Available, int Ready)> read, string availableName)
    {
        foreach (var (suffix, help, pick) in new (string, string, Func<(V1ObjectMeta, int Spec, int Status, int Available, int Ready), int>)[]
        {
            ("spec_replicas", $"Number of desired pods for a {kind}.", r => r.Spec),
            ("status_replicas", $"The number of replicas per {kind}.", r => r.Status),
            ("status_replicas_" + availableName, $"The number of {availableName} replicas per {kind}.", r => availableName == "ready" ? r.Ready : r.Available),
        })
        {
            var name = $"kube_{kind}_{suffix}";
            output.Family(name, "gauge", help);
            foreach (var item in items)
            {
                var r = read(item);
                output.Sample(name, pick(r), ("namespace", r.Meta.NamespaceProperty), (kind, r.Meta.Name));
            }
        }
    }

    private static void Resources(Exposition output, List<V1Pod> pods, string which, Func<V1Container, IDictionary<string, ResourceQuantity>?> read)
    {
        var name = $"kube_pod_container_resource_{which}";
        output.Family(name, "gauge", $"The number of requested {which} resource by a container.");
        foreach (var p in pods.Where(Engine.Pods.IsActive))
        {
            foreach (var c in p.Spec.Containers)
            {
                foreach (var (resource, quantity) in (read(c) ?? new Dictionary<string, ResourceQuantity>()).OrderBy(r => r.Key, StringComparer.Ordinal))
                {
                    var (label, unit) = Unit(resource);
                    output.Sample(name, (double)quantity.ToDecimal(), [.. Pod(p), ("container", c.Name), ("node", p.Spec.NodeName ?? ""), ("resource", label), ("unit", unit)]);
                }
            }
        }
    }

    private static void Containers(Exposition output, List<V1Pod> pods, Dictionary<(string, string), PodUsage> byPod, Counters counters, DateTime now)
    {
        var running = pods.Where(p => byPod.ContainsKey((p.Metadata.NamespaceProperty, p.Metadata.Name))).ToList();
        output.Family("container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed in seconds.");
        foreach (var p in running)
        {
            var start = p.Status?.StartTime ?? now;
            foreach (var c in byPod[(p.Metadata.NamespaceProperty, p.Metadata.Name)].Containers)
            {
                var seconds = counters.Read($"cpu/{p.Metadata.Uid}/{c.Name}", c.CpuMillis / 1000, start, now);
                output.Sample("container_cpu_usage_seconds_total", seconds, [.. Container(p, c.Name), ("cpu", "total")]);
            }
        }

        output.Family("container_memory_working_set_bytes", "gauge", "Current working set in bytes.");
        foreach (var p in running)
        {
            foreach (var c in byPod[(p.Metadata.NamespaceProperty, p.Metadata.Name)].Containers)
            {
                output.Sample("container_memory_working_set_bytes", c.MemoryBytes, Container(p, c.Name));
            }
        }
    }

    // What an AI service's own /metrics shows: requests by status code, a latency histogram, and DCGM GPU use.
    private static void Serving(Exposition output, List<V1Pod> pods, Dictionary<(string, string), PodUsage> byPod, Counters counters, DateTime now)
    {
        var serving = pods.Where(p => byPod.ContainsKey((p.Metadata.NamespaceProperty, p.Metadata.Name))).Select(p => (Pod: p, Usage: byPod[(p.Metadata.NamespaceProperty, p.Metadata.Name)])).ToList();
        output.Family("http_requests_total", "counter", "Requests served, by status code.");
        foreach (var (p, u) in serving)
        {
            var start = p.Status?.StartTime ?? now;
            output.Sample("http_requests_total", counters.Read($"ok/{p.Metadata.Uid}", u.RequestsPerSecond * (1 - u.ErrorRatio), start, now), [.. Serving(p, u), ("code", "200")]);
            output.Sample("http_requests_total", counters.Read($"err/{p.Metadata.Uid}", u.RequestsPerSecond * u.ErrorRatio, start, now), [.. Serving(p, u), ("code", "500")]);
        }

        output.Family("http_request_duration_seconds", "histogram", "Request latency in seconds.");
        foreach (var (p, u) in serving)
        {
            var start = p.Status?.StartTime ?? now;

            // Latencies drawn from an exponential distribution with the usage model's mean.
            foreach (var le in LatencyBuckets)
            {
                var share = 1 - Math.Exp(-le / u.LatencySeconds);
                output.Sample("http_request_duration_seconds_bucket", counters.Read($"le{le}/{p.Metadata.Uid}", u.RequestsPerSecond * share, start, now), [.. Serving(p, u), ("le", le.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            }

            var count = counters.Read($"count/{p.Metadata.Uid}", u.RequestsPerSecond, start, now);
            output.Sample("http_request_duration_seconds_bucket", count, [.. Serving(p, u), ("le", "+Inf")]);
            output.Sample("http_request_duration_seconds_sum", counters.Read($"sum/{p.Metadata.Uid}", u.RequestsPerSecond * u.LatencySeconds, start, now), Serving(p, u));
            output.Sample("http_request_duration_seconds_count", count, Serving(p, u));
        }

        output.Family("DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %).");
        foreach (var (p, u) in serving.Where(s => s.Usage.GpuUtilisation is not null))
        {
            for (var gpu = 0; gpu < u.Gpus; gpu++)
            {
                output.Sample("DCGM_FI_DEV_GPU_UTIL", Math.Round(u.GpuUtilisation!.Value * 100), ("gpu", gpu.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("namespace", p.Metadata.NamespaceProperty), ("pod", p.Metadata.Name), ("container", p.Spec.Containers[0].Name), ("Hostname", p.Spec.NodeName));
            }
        }
    }

    private static void Nodes(SandboxContext context, Exposition output, IReadOnlyList<PodUsage> usage)
    {
        var nodes = context.Store.List<V1Node>().OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).ToList();
        foreach (var (name, help, read) in new (string, string, Func<V1Node, IDictionary<string, ResourceQuantity>?>)[]
        {
            ("kube_node_status_allocatable", "The allocatable for different resources of a node that are available for scheduling.", n => n.Status?.Allocatable),
            ("kube_node_status_capacity", "The capacity for different resources of a node.", n => n.Status?.Capacity),
        })
        {
            output.Family(name, "gauge", help);
            foreach (var n in nodes)
            {
                foreach (var (resource, quantity) in (read(n) ?? new Dictionary<string, ResourceQuantity>()).OrderBy(r => r.Key, StringComparer.Ordinal))
                {
                    var (label, unit) = Unit(resource);
                    output.Sample(name, (double)quantity.ToDecimal(), ("node", n.Metadata.Name), ("resource", label), ("unit", unit));
                }
            }
        }

        output.Family("kube_node_status_condition", "gauge", "The condition of a cluster node.");
        foreach (var n in nodes)
        {
            foreach (var condition in n.Status?.Conditions ?? [])
            {
                foreach (var status in new[] { "true", "false", "unknown" })
                {
                    output.Sample("kube_node_status_condition", string.Equals(condition.Status, status, StringComparison.OrdinalIgnoreCase) ? 1 : 0, ("node", n.Metadata.Name), ("condition", condition.Type), ("status", status));
                }
            }
        }

        output.Family("node_cpu_usage_millicores", "gauge", "CPU the node uses now (pods and system daemons), in millicores, as metrics.k8s.io reports it.");
        foreach (var n in UsageModel.Nodes(context, usage))
        {
            output.Sample("node_cpu_usage_millicores", n.CpuMillis, ("node", n.Name));
        }
    }

    // The kubelet's stats of each bound claim a running pod mounts, once per claim, in bytes of the claim's capacity.
    // The sandbox writes nothing to its volumes, so a claim is empty: used 0, the whole capacity available.
    private static void Volumes(SandboxContext context, Exposition output, List<V1Pod> pods, Dictionary<(string, string), PodUsage> byPod)
    {
        var claims = context.Store.List<V1PersistentVolumeClaim>()
            .Where(c => c.Status?.Phase == "Bound" && c.Status.Capacity?.ContainsKey("storage") == true)
            .ToDictionary(c => (c.Metadata.NamespaceProperty, c.Metadata.Name), c => (double)c.Status.Capacity["storage"].ToDecimal());
        var mounted = pods.Where(p => byPod.ContainsKey((p.Metadata.NamespaceProperty, p.Metadata.Name)))
            .SelectMany(p => (p.Spec.Volumes ?? []).Where(v => v.PersistentVolumeClaim is not null).Select(v => (p.Metadata.NamespaceProperty, v.PersistentVolumeClaim.ClaimName)))
            .Where(claims.ContainsKey)
            .Distinct()
            .OrderBy(c => c.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(c => c.ClaimName, StringComparer.Ordinal)
            .ToList();
        foreach (var (name, help, read) in new (string, string, Func<double, double>)[]
        {
            ("kubelet_volume_stats_capacity_bytes", "Capacity in bytes of the volume", capacity => capacity),
            ("kubelet_volume_stats_available_bytes", "Number of available bytes in the volume", capacity => capacity),
            ("kubelet_volume_stats_used_bytes", "Number of used bytes in the volume", _ => 0),
        })
        {
            output.Family(name, "gauge", help);
            foreach (var (ns, claim) in mounted)
            {
                output.Sample(name, read(claims[(ns, claim)]), ("namespace", ns), ("persistentvolumeclaim", claim));
            }
        }
    }

    private static (string Name, string Value)[] Pod(V1Pod p) => [("namespace", p.Metadata.NamespaceProperty), ("pod", p.Metadata.Name), ("uid", p.Metadata.Uid ?? "")];

    private static (string Name, string Value)[] Container(V1Pod p, string container) =>
        [("namespace", p.Metadata.NamespaceProperty), ("pod", p.Metadata.Name), ("container", container), ("image", p.Spec.Containers.FirstOrDefault(c => c.Name == container)?.Image ?? ""), ("node", p.Spec.NodeName ?? "")];

    private static (string Name, string Value)[] Serving(V1Pod p, PodUsage u) => [("namespace", p.Metadata.NamespaceProperty), ("pod", p.Metadata.Name), ("service", u.Workload)];

    // kube-state-metrics writes resource names with '_' for '.', '/' and '-', and gives each its unit.
    private static (string Label, string Unit) Unit(string resource) => resource switch
    {
        "cpu" => ("cpu", "core"),
        "memory" or "ephemeral-storage" => (resource.Replace('-', '_'), "byte"),
        _ => (resource.Replace('.', '_').Replace('/', '_').Replace('-', '_'), "integer"),
    };
}
