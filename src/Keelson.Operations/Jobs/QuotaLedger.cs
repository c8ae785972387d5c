namespace Keelson.Operations.Jobs;

/// <summary>
/// Quota in use per queue and flavor, and per cohort and flavor, with the admitted jobs that hold it; admission and
/// preemption change it as a pass goes on. A cohort's capacity is what its members lend (nominal, or less under a
/// lending limit) and its usage what its members use beyond their guaranteed (unlent) quota, as Kueue counts them;
/// without lending limits these are the members' nominal quotas and usage.
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
                cohortCapacity[key] = cohortCapacity.GetValueOrDefault(key) + f.Lendable;
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
        var before = Usage(queue.Name, admitted.Flavor);
        usage[key] = before + admitted.Workload.Request;
        if (queue.Cohort is { } cohort)
        {
            cohortUsage[(cohort, admitted.Flavor)] = CohortUsage(cohort, admitted.Flavor) + SharedChange(queue, admitted.Flavor, before, usage[key]);
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
        var before = Usage(queue.Name, admitted.Flavor);
        usage[key] = before - admitted.Workload.Request;
        if (queue.Cohort is { } cohort)
        {
            cohortUsage[(cohort, admitted.Flavor)] = CohortUsage(cohort, admitted.Flavor) + SharedChange(queue, admitted.Flavor, before, usage[key]);
        }

        holders[key].Remove(admitted);
    }

    /// <summary>The cohort usage after <paramref name="queue"/>'s usage of <paramref name="flavor"/> grows by <paramref name="need"/>.</summary>
    public Quantities CohortUsageWith(ClusterQueueSpec queue, string flavor, Quantities need)
    {
        var before = Usage(queue.Name, flavor);
        return CohortUsage(queue.Cohort!, flavor) + SharedChange(queue, flavor, before, before + need);
    }

    // How much more (or less) of the cohort's lent pool a queue uses when its usage goes from one amount to another:
    // only usage beyond its guaranteed quota counts.
    public static Quantities SharedChange(ClusterQueueSpec queue, string flavor, Quantities from, Quantities to)
    {
        var guaranteed = queue.Flavors.First(f => f.Flavor == flavor).Guaranteed;
        return Quantities.Max(to - guaranteed, Quantities.Zero) - Quantities.Max(from - guaranteed, Quantities.Zero);
    }
}
