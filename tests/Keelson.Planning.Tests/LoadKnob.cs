using Keelson.Spec.Model;

namespace Keelson.Planning.Tests;

/// <summary>
/// The load of each component kind as one integer knob: sessions (or half-erlang steps of arrivals) for an AI
/// service, a third of a replica's request rate for a service or model with a rate (replicas without one), half a
/// replica's backlog for a worker, parallelism for a job, replicas for a database or cache, brokers, executors.
/// </summary>
internal static class LoadKnob
{
    /// <summary>The component with its load set to <paramref name="level"/> (1 and up).</summary>
    public static Component At(Component component, int level) => component switch
    {
        AiServiceComponent { Traffic: { } t } a => a with { Traffic = t with { ArrivalsPerHour = level * 0.5 * 3600 / t.HandleTime.TotalSeconds } },
        AiServiceComponent a => a with { Sessions = level },
        ServiceComponent { RequestsPerSecond: not null, RequestsPerSecondPerReplica: { } per } s => s with { RequestsPerSecond = level * per / 3 },
        ServiceComponent s => s with { Replicas = level, Autoscaling = s.Autoscaling is { } a ? a with { MaxReplicas = null } : null },
        ModelComponent { RequestsPerSecond: not null, RequestsPerSecondPerReplica: { } per } m => m with { RequestsPerSecond = level * per / 3 },
        ModelComponent m => m with { Replicas = level },
        WorkerComponent w => w with { Queue = w.Queue with { PeakLength = level * Math.Max(w.Queue.TargetLengthPerReplica / 2, 1) }, MaxReplicas = Math.Max(w.MaxReplicas, 1000) },
        JobComponent j => j with { Parallelism = level },
        DatabaseComponent d => d with { Replicas = level },
        CacheComponent c => c with { Replicas = level - 1 },
        BrokerComponent b => b with { Brokers = level },
        SparkComponent s => s with { Executors = level, DynamicAllocation = s.DynamicAllocation is { } d ? d with { MaxExecutors = Math.Max(d.MaxExecutors, 1000) } : null },
        _ => throw new ArgumentException($"No load knob for {component.Kind}."),
    };

    /// <summary>The stack with component <paramref name="index"/> at <paramref name="level"/>.</summary>
    public static StackSpec At(StackSpec spec, int index, int level) =>
        spec with { Components = [.. spec.Components.Select((c, i) => i == index ? At(c, level) : c)] };
}
