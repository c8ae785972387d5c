using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Spec.Parsing;

/// <summary>Builds a stack job queue from a mapping that passed the shape check.</summary>
internal static class QueueBinder
{
    public static JobQueueSpec Bind(YamlMap m)
    {
        var preemption = m.Map("preemption");
        return new JobQueueSpec(m.Required("name"), [.. m.Maps("flavors").Select(Flavor)])
        {
            Cohort = m.String("cohort"),
            Ordering = m.String("queueingStrategy") == "StrictFIFO" ? QueueOrdering.StrictFifo : QueueOrdering.BestEffortFifo,
            WithinQueue = Enum.Parse<QueuePreemption>(preemption.String("withinQueue") ?? "Never"),
            ReclaimWithinCohort = Enum.Parse<QueuePreemption>(preemption.String("reclaimWithinCohort") ?? "Never"),
        };
    }

    private static QueueFlavor Flavor(YamlMap m) =>
        new(m.Required("pool"), Quota(m.Map("nominal")), m.Map("borrowingLimit") is { Exists: true } limit ? Quota(limit) : null)
        {
            LendingLimit = m.Map("lendingLimit") is { Exists: true } lending ? Quota(lending) : null,
        };

    private static QueueQuota Quota(YamlMap m) =>
        new(m.Cpu("cpu") ?? MilliCpu.Zero, m.Memory("memory") ?? ByteSize.Zero, m.Int("gpu") ?? 0);
}
