using System.Globalization;
using Keelson.Planning.Catalog;
using Keelson.Planning.Packing;
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
    /// <remarks>
    /// With <c>device: auto</c>, one option per device that has a catalog figure and a pool fitting a replica: CPU
    /// first, then GPU types in catalog order (the tie order). Which is cheaper depends on the nodes the rest of the
    /// stack already pays for, so the planner, not the sizer, chooses.
    /// </remarks>
    public IReadOnlyList<SizedComponent> Size(Component component, SizingContext context)
    {
        var ai = (AiServiceComponent)component;
        var entry = context.Catalog[ai.Service];
        var (sessions, how) = Sessions(ai);
        var target = UtilisationTarget.For(entry.ServiceTime, context.Spec.Sla.ResponseTime);
        var sized = new List<SizedComponent>();
        PlanningException? refused = null;
        foreach (var o in Options(ai, entry, context.Spec.Cluster))
        {
            try
            {
                // Erlang C's server count already holds the queueing headroom; the target is then only the autoscaler's.
                var (peak, min, max) = ReplicaMath.ForLoad(sessions, o.Variant.SessionsPerReplica, ai.Traffic is null ? target : 1.0, context.Redundancy);
                var workload = new WorkloadPlan(ai.Name, peak, min, max, o.Variant.Pod, ByteSize.Zero, Scalable: true, context.Redundancy.ZoneSpread);
                var rationale = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{how}; {o.Variant.SessionsPerReplica} per replica on {o.Device} at {target * 100:0}% target, +{context.Redundancy.Spare} spare");
                sized.Add(new SizedComponent(ai, o.Device, o.Gpu, [workload], sessions, target, rationale));
            }
            catch (PlanningException e)
            {
                // Too many replicas on this device; another may still serve the load.
                refused ??= e;
            }
        }

        return sized.Count > 0 ? sized : throw refused!;
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
            if (!Runs(cluster, variant.Pod, wanted, ai.Pool))
            {
                throw new PlanningException($"no {wanted} node of cluster '{cluster.Name}' fits a {Name(entry.Service)} replica");
            }

            return [(wanted.ToString(), wanted, variant)];
        }

        var options = new List<(string Device, GpuType? Gpu, DeviceVariant Variant)>();
        if (entry.Cpu is { } cpu && Runs(cluster, cpu.Pod, null, ai.Pool))
        {
            options.Add(("cpu", null, cpu));
        }

        if (ai.Device.Kind == DeviceKind.Auto)
        {
            foreach (var (gpuType, variant) in entry.Gpu.OrderBy(g => g.Key))
            {
                if (Runs(cluster, variant.Pod, gpuType, ai.Pool))
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

    /// <summary>Whether some suitable pool (a worker pool for CPU, a pool of that GPU type) has nodes that fit one pod.</summary>
    private static bool Runs(ClusterProfile cluster, PodShape pod, GpuType? gpu, string? pinned)
    {
        foreach (var pool in cluster.Pools.Where(p => pinned is null || p.Name == pinned))
        {
            var suitable = gpu is null ? pool.Role == PoolRole.Worker : pool.Role == PoolRole.Gpu && pool.Instance.Gpu == gpu;
            var capacity = NodeCapacity.Of(pool.Instance);
            if (suitable && capacity.Fits(pod.CpuRequest, pod.MemoryRequest, pod.Gpus))
            {
                return true;
            }
        }

        return false;
    }
}
