using k8s.Models;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Metrics;

/// <summary>A load spike on one namespace: from <paramref name="Start"/> to <paramref name="End"/> (sandbox time) each workload serves <paramref name="Factor"/> × its demand when the spike started.</summary>
/// <param name="Namespace">The namespace whose workloads take the spike.</param>
/// <param name="Factor">The multiple of the starting demand.</param>
/// <param name="Start">When it started, on the sandbox clock.</param>
/// <param name="End">When it ends, on the sandbox clock.</param>
/// <param name="BaselineMillis">Workload → the CPU (millicores) it needed when the spike started, ordered by name.</param>
public sealed record LoadSpike(string Namespace, double Factor, DateTimeOffset Start, DateTimeOffset End, IReadOnlyDictionary<string, double> BaselineMillis)
{
    /// <summary>Whether the spike is on at <paramref name="at"/>.</summary>
    public bool IsActive(DateTimeOffset at) => at >= Start && at < End;
}

/// <summary>
/// A load model with spikes on top of another: while a namespace's spike is on, its workloads need a fixed total of
/// factor × their starting demand — the extra traffic does not grow with the pods, so an HPA scaling out brings the
/// per-pod utilisation back down, as it does with real users. Once it ends, the inner model answers; where it says
/// nothing (pods sized by their HPA target), the starting demand stays as a fixed total, so the HPA scales back in
/// rather than holding the spike's replicas at their target.
/// </summary>
public sealed class SpikedLoad(ILoadModel inner) : ILoadModel
{
    private readonly Dictionary<string, LoadSpike> spikes = new(StringComparer.Ordinal);

    /// <summary>The model that answers outside a spike.</summary>
    public ILoadModel Inner { get; } = inner;

    /// <inheritdoc/>
    public double? CpuDemandMillis(string ns, string workload, DateTimeOffset at) =>
        spikes.TryGetValue(ns, out var spike) && at >= spike.Start && spike.BaselineMillis.TryGetValue(workload, out var baseline)
            ? (spike.IsActive(at) ? baseline * spike.Factor : Inner.CpuDemandMillis(ns, workload, at) ?? baseline)
            : Inner.CpuDemandMillis(ns, workload, at);

    /// <summary>The spike on <paramref name="ns"/> still on at <paramref name="at"/>, if any.</summary>
    public LoadSpike? Active(string ns, DateTimeOffset at) => spikes.TryGetValue(ns, out var spike) && spike.IsActive(at) ? spike : null;

    /// <summary>Sets (or replaces) the spike on its namespace.</summary>
    public void Set(LoadSpike spike)
    {
        ArgumentNullException.ThrowIfNull(spike);
        spikes[spike.Namespace] = spike;
    }

    /// <summary>Ends the spike on <paramref name="ns"/> at <paramref name="at"/>; whether one was on.</summary>
    public bool End(string ns, DateTimeOffset at)
    {
        if (Active(ns, at) is not { } spike)
        {
            return false;
        }

        spikes[ns] = spike with { End = at };
        return true;
    }
}

/// <summary>Starts, reads and ends load spikes on a sandbox (see <see cref="SpikedLoad"/>).</summary>
public static class LoadSpikes
{
    /// <summary>
    /// Starts a spike of <paramref name="factor"/> × the current demand on <paramref name="ns"/>'s workloads for
    /// <paramref name="duration"/> of sandbox time, replacing one already on (its baseline is the demand without it).
    /// </summary>
    public static LoadSpike Start(SandboxContext context, string ns, double factor, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(factor, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var spiked = context.Load as SpikedLoad ?? new SpikedLoad(context.Load);
        spiked.End(ns, context.Clock.GetUtcNow());
        context.Load = spiked;

        var baseline = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var running = context.Store.List<V1Pod>(ns)
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running" && !string.IsNullOrEmpty(p.Spec.NodeName));
        foreach (var group in running.GroupBy(p => UsageModel.Workload(context, p), StringComparer.Ordinal))
        {
            var ready = group.Count(Pods.IsReady);
            if (ready > 0)
            {
                baseline[group.Key] = UsageModel.CpuDemandMillis(context, ns, group.Key, ready, PodResources.Request(group.First().Spec, "cpu", milli: true));
            }
        }

        var now = context.Clock.GetUtcNow();
        var spike = new LoadSpike(ns, factor, now, now + duration, baseline);
        spiked.Set(spike);
        return spike;
    }

    /// <summary>The spike on <paramref name="ns"/> now, if one is on.</summary>
    public static LoadSpike? Active(SandboxContext context, string ns)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (context.Load as SpikedLoad)?.Active(ns, context.Clock.GetUtcNow());
    }

    /// <summary>Ends the spike on <paramref name="ns"/> now; whether one was on.</summary>
    public static bool End(SandboxContext context, string ns)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (context.Load as SpikedLoad)?.End(ns, context.Clock.GetUtcNow()) == true;
    }
}
