namespace Keelson.Operations.Jobs;

/// <summary>
/// Quota in use per queue and flavor, and per cohort and flavor, with the admitted jobs that hold it; admission and
/// preemption change it as a pass goes on.
/// </summary>
internal sealed class QuotaLedger
{
    private readonly Dictionary<(string Queue, string Flavor), Quantities> usage = [];
    private readonly Dictionary<(string Cohort, string Flavor), Quantities> cohortUsage = [];
    private readonly Dictionary<(string Cohort, string Flavor), Quantities> cohortCapacity = [];
    private readonly Dictionary<(string Queue, string Flavor), List<AdmittedWorkload>> holders = [];
    private readonly Dictionary<string, ClusterQueueSpec> queues;

    public QuotaLedger(IReadOnlyDictionary<string, ClusterQueueSpec> queues)
    {
        this.queues = new Dictionary<string, ClusterQueueSpec>(queues, StringComparer.Ordinal);
        foreach (var q in queues.Values.Where(q => q.Cohort is not null))
        {
            foreach (var f in q.Flavors)
            {
                var key = (q.Cohort!, f.Flavor);
                cohortCapacity[key] = cohortCapacity.GetValueOrDefault(key) + f.Nominal;
            }
        }
    }

    public Quantities Usage(string queue, string flavor) => usage.GetValueOrDefault((queue, flavor));

    public Quantities CohortUsage(string cohort, string flavor) => cohortUsage.GetValueOrDefault((cohort, flavor));

    public Quantities CohortCapacity(string cohort, string flavor) => cohortCapacity.GetValueOrDefault((cohort, flavor));

    public IReadOnlyList<AdmittedWorkload> Holders(string queue, string flavor) =>
        holders.TryGetValue((queue, flavor), out var list) ? list : [];

    /// <summary>True when the queue uses more than its nominal quota of the flavor in some resource.</summary>
    public bool Borrowing(ClusterQueueSpec queue, FlavorQuota flavor) => !Usage(queue.Name, flavor.Flavor).FitsIn(flavor.Nominal);

    /// <summary>Counts an admitted job; false (and nothing counted) when its queue or flavor no longer exists.</summary>
    public bool Add(AdmittedWorkload admitted)
    {
        if (!queues.TryGetValue(admitted.Workload.Queue, out var queue) || queue.Flavors.All(f => f.Flavor != admitted.Flavor))
        {
            return false;
        }

        var key = (queue.Name, admitted.Flavor);
        usage[key] = Usage(queue.Name, admitted.Flavor) + admitted.Workload.Request;
        if (queue.Cohort is { } cohort)
        {
            cohortUsage[(cohort, admitted.Flavor)] = CohortUsage(cohort, admitted.Flavor) + admitted.Workload.Request;
        }

        if (!holders.TryGetValue(key, out var list))
        {
            holders[key] = list = [];
        }

        list.Add(admitted);
        return true;
    }

    public void Remove(AdmittedWorkload admitted)
    {
        var queue = queues[admitted.Workload.Queue];
        var key = (queue.Name, admitted.Flavor);
        usage[key] = Usage(queue.Name, admitted.Flavor) - admitted.Workload.Request;
        if (queue.Cohort is { } cohort)
        {
            cohortUsage[(cohort, admitted.Flavor)] = CohortUsage(cohort, admitted.Flavor) - admitted.Workload.Request;
        }

        holders[key].Remove(admitted);
    }
}
