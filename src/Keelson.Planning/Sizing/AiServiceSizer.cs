using System.Globalization;
using Keelson.Planning.Catalog;
using Keelson.Planning.Packing;
using Keelson.Planning.Placement;
using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Planning.Sizing;

/// <summary>Sizes catalogued AI services from sessions, or from arrivals by Erlang C.</summary>
public sealed class AiServiceSizer : IComponentSizer
{
    /// <summary>Largest offered load sized by Erlang C (one hundred thousand concurrent sessions).</summary>
    public const int MaxErlangs = 100_000;

    /// <inheritdoc/>
    public Type ComponentType => typeof(AiServiceComponent);

    /// <inheritdoc/>
    public SizedComponent Size(Component component, SizingContext context)
    {
        var ai = (AiServiceComponent)component;
        var entry = context.Catalog[ai.Service];
        var (sessions, how) = Sessions(ai);
        var target = UtilisationTarget.For(entry.ServiceTime, context.Spec.Sla.ResponseTime);
        var cluster = context.Spec.Cluster;
        var options = Options(ai, entry, cluster)
            .Select(o =>
            {
                // Erlang C's server count already holds the queueing headroom; the target is then only the autoscaler's.
                var replicas = ReplicaMath.ForLoad(sessions, o.Variant.SessionsPerReplica, ai.Traffic is null ? target : 1.0, context.Redundancy);
                return (o.Device, o.Gpu, o.Variant, Replicas: replicas, HourlyUsd: HourlyCost(cluster, o.Variant.Pod, o.Gpu, replicas.Peak, context.Redundancy.ZoneSpread, ai.Pool)!.Value);
            })
            .ToList();

        // Cheapest at this size, in whole nodes: the availability floor makes a few big GPU replicas dear
        // for a small tenant, and a per-session price would hide that. Ties keep catalog order (cpu first).
        var best = options.OrderBy(o => o.HourlyUsd).First();
        var (peak, min, max) = best.Replicas;
        var workload = new WorkloadPlan(ai.Name, peak, min, max, best.Variant.Pod, ByteSize.Zero, Scalable: true, context.Redundancy.ZoneSpread);
        var rationale = string.Create(
            CultureInfo.InvariantCulture,
            $"{how}; {best.Variant.SessionsPerReplica} per replica on {best.Device} at {target * 100:0}% target, +{context.Redundancy.Spare} spare");
        if (options.Count > 1)
        {
            rationale += "; cheapest of " + string.Join(", ", options.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Device} ${o.HourlyUsd:0.##}/h")));
        }

        return new SizedComponent(ai, best.Device, best.Gpu, [workload], sessions, target, rationale);
    }

    private static (int Sessions, string How) Sessions(AiServiceComponent ai)
    {
        if (ai.Traffic is not { } t)
        {
            return (ai.Sessions ?? 0, string.Create(CultureInfo.InvariantCulture, $"{ai.Sessions} sessions"));
        }

        var erlangs = ErlangC.OfferedLoad(t.ArrivalsPerHour, t.HandleTime);
        if (erlangs > MaxErlangs)
        {
            throw new PlanningException(string.Create(CultureInfo.InvariantCulture, $"{erlangs:0} erlangs of offered load is more than the {MaxErlangs} Keelson sizes; check arrivalsPerHour and handleTimeSeconds"));
        }

        var servers = ErlangC.ServersFor(erlangs, t.HandleTime, t.AnswerWithin, t.AnswerPercent / 100.0);
        return (servers, string.Create(CultureInfo.InvariantCulture, $"Erlang C: {erlangs:0.##} erlangs need {servers} sessions for {t.AnswerPercent:0.#}% within {t.AnswerWithin.TotalSeconds:0.#}s"));
    }

    /// <summary>Devices this component may run on: those with a catalog figure and a pool whose nodes fit a replica.</summary>
    private static List<(string Device, GpuType? Gpu, DeviceVariant Variant)> Options(AiServiceComponent ai, CatalogEntry entry, ClusterProfile cluster)
    {
        if (ai.Device.Kind == DeviceKind.Gpu && ai.Device.Gpu is { } wanted)
        {
            var variant = entry.Gpu.GetValueOrDefault(wanted)
                ?? throw new PlanningException($"the catalog has no {wanted} figure for {Name(entry.Service)}; use cpu{(entry.Gpu.Count > 0 ? " or one of: " + string.Join(", ", entry.Gpu.Keys.Order()) : "")}");
            _ = HourlyCost(cluster, variant.Pod, wanted, 1, false, ai.Pool)
                ?? throw new PlanningException($"no {wanted} node of cluster '{cluster.Name}' fits a {Name(entry.Service)} replica");
            return [(wanted.ToString(), wanted, variant)];
        }

        var options = new List<(string Device, GpuType? Gpu, DeviceVariant Variant)>();
        if (entry.Cpu is { } cpu && HourlyCost(cluster, cpu.Pod, null, 1, false, ai.Pool) is not null)
        {
            options.Add(("cpu", null, cpu));
        }

        if (ai.Device.Kind == DeviceKind.Auto)
        {
            foreach (var (gpuType, variant) in entry.Gpu.OrderBy(g => g.Key))
            {
                if (HourlyCost(cluster, variant.Pod, gpuType, 1, false, ai.Pool) is not null)
                {
                    options.Add((gpuType.ToString(), gpuType, variant));
                }
            }
        }

        if (options.Count == 0)
        {
            var tried = new List<string>();
            if (entry.Cpu is { } c)
            {
                tried.Add($"cpu (a replica requests {c.Pod.CpuRequest} CPU, {c.Pod.MemoryRequest.Display()})");
            }

            if (ai.Device.Kind == DeviceKind.Auto)
            {
                tried.AddRange(entry.Gpu.Keys.Order().Select(g => g.ToString()));
            }

            throw new PlanningException(ai.Pool is { } pinned
                ? $"pool '{pinned}' cannot run a {Name(entry.Service)} replica; tried {string.Join(", ", tried)}"
                : $"no pool of cluster '{cluster.Name}' can run a {Name(entry.Service)} replica; tried {string.Join(", ", tried)}: no worker node is large enough and no gpu pool has those GPUs");
        }

        return options;
    }

    private static string Name(AiServiceType service) => service.ToString().ToLowerInvariant();

    /// <summary>
    /// Hourly price of the whole nodes that <paramref name="replicas"/> replicas need on their own on the cheapest
    /// suitable pool, with the same spread floor the planner applies; null when no pool fits a replica.
    /// </summary>
    private static double? HourlyCost(ClusterProfile cluster, PodShape pod, GpuType? gpu, int replicas, bool zoneSpread, string? pinned)
    {
        double? best = null;
        foreach (var pool in cluster.Pools.Where(p => pinned is null || p.Name == pinned))
        {
            var suitable = gpu is null ? pool.Role == PoolRole.Worker : pool.Role == PoolRole.Gpu && pool.Instance.Gpu == gpu;
            var capacity = NodeCapacity.Of(pool.Instance);
            if (!suitable || !capacity.Fits(pod.CpuRequest, pod.MemoryRequest, pod.Gpus))
            {
                continue;
            }

            var perNode = Math.Min(capacity.Cpu.Value / Math.Max(pod.CpuRequest.Value, 1), capacity.Memory.Bytes / Math.Max(pod.MemoryRequest.Bytes, 1));
            perNode = Math.Min(perNode, capacity.Pods);
            if (pod.Gpus > 0)
            {
                perNode = Math.Min(perNode, capacity.Gpus / pod.Gpus);
            }

            var nodes = (long)Math.Ceiling(replicas / (double)perNode);
            nodes = Math.Max(nodes, SpreadRule.MinimumNodes(replicas, zoneSpread, pool.Zones.Count));
            var price = nodes * pool.Instance.Prices.OnDemandUsd;
            best = best is null ? price : Math.Min(best.Value, price);
        }

        return best;
    }
}
