namespace Keelson.Operations.Jobs;

/// <summary>
/// Decides which pending jobs to admit to which flavor, deterministically, with Kueue's semantics. A pass runs
/// cycles: each takes the head of every queue (priority first, then submission order), orders the heads (those
/// that need not borrow first, then priority, then submission order) and admits each that fits its flavor's quota,
/// borrowing from the cohort when it must, or evicting lower-priority jobs when its policy allows and it then fits
/// its nominal quota. A head that fits nowhere steps aside (BestEffortFIFO) or blocks its queue (StrictFIFO) for the
/// rest of the pass. Pure: the same queues, pending and admitted jobs always give the same result.
/// </summary>
public sealed class AdmissionEngine
{
    private readonly Dictionary<string, ClusterQueueSpec> queues;

    /// <summary>An engine for one tenant's queues; names must be unique and each queue's flavors distinct.</summary>
    public AdmissionEngine(IReadOnlyList<ClusterQueueSpec> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        this.queues = new Dictionary<string, ClusterQueueSpec>(StringComparer.Ordinal);
        foreach (var q in queues)
        {
            if (!this.queues.TryAdd(q.Name, q))
            {
                throw new ArgumentException($"Queue '{q.Name}' is defined twice.", nameof(queues));
            }

            if (q.Flavors.Select(f => f.Flavor).Distinct(StringComparer.Ordinal).Count() != q.Flavors.Count)
            {
                throw new ArgumentException($"Queue '{q.Name}' names a flavor twice.", nameof(queues));
            }
        }
    }

    /// <summary>Orders a queue's pending jobs: higher priority first, then earlier submission, then id.</summary>
    public static int QueueOrder(Workload a, Workload b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var c = b.Priority.CompareTo(a.Priority);
        c = c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }

    /// <summary>One admission pass over <paramref name="pending"/> given the jobs already <paramref name="admitted"/>.</summary>
    public AdmissionResult Decide(IEnumerable<Workload> pending, IEnumerable<AdmittedWorkload> admitted)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(admitted);
        var ledger = new QuotaLedger(queues);
        var nextAdmission = 0L;
        foreach (var a in admitted)
        {
            ledger.Add(a);
            nextAdmission = Math.Max(nextAdmission, a.AdmittedSequence + 1);
        }

        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, List<Workload>>(StringComparer.Ordinal);
        foreach (var w in pending)
        {
            if (!queues.ContainsKey(w.Queue))
            {
                reasons[w.Id] = $"queue '{w.Queue}' does not exist";
                continue;
            }

            if (!lines.TryGetValue(w.Queue, out var line))
            {
                lines[w.Queue] = line = [];
            }

            line.Add(w);
        }

        var cursors = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, line) in lines)
        {
            line.Sort(QueueOrder);
            cursors[name] = 0;
        }

        var blocked = new HashSet<string>(StringComparer.Ordinal);
        var decisions = new List<AdmissionDecision>();
        var queueNames = lines.Keys.Order(StringComparer.Ordinal).ToList();
        var heads = new List<(Workload Workload, FlavorAssignment Assignment)>(queueNames.Count);
        while (true)
        {
            heads.Clear();
            foreach (var name in queueNames)
            {
                if (!blocked.Contains(name) && cursors[name] < lines[name].Count)
                {
                    var head = lines[name][cursors[name]];
                    heads.Add((head, Assign(head, ledger)));
                }
            }

            if (heads.Count == 0)
            {
                break;
            }

            heads.Sort((a, b) =>
            {
                var c = a.Assignment.Borrowing.CompareTo(b.Assignment.Borrowing);
                return c != 0 ? c : QueueOrder(a.Workload, b.Workload);
            });

            var changedCohorts = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (head, _) in heads)
            {
                var queue = queues[head.Queue];
                var assignment = Assign(head, ledger);
                if (assignment.Admissible)
                {
                    foreach (var victim in assignment.Victims)
                    {
                        ledger.Remove(victim);
                        reasons[victim.Workload.Id] = $"preempted by {head.Id}";
                    }

                    ledger.Add(new AdmittedWorkload(head, assignment.Flavor!, nextAdmission++));
                    decisions.Add(new AdmissionDecision(head, assignment.Flavor!, assignment.Borrowing, [.. assignment.Victims.Select(v => v.Workload.Id)]));
                    cursors[head.Queue]++;
                    changedCohorts.Add(queue.Cohort ?? "\0" + queue.Name);
                    continue;
                }

                // Quota another head took in this cycle: Kueue requeues such a head and tries it again next cycle.
                if (queue.Cohort is { } cohort && changedCohorts.Contains(cohort))
                {
                    continue;
                }

                reasons[head.Id] = assignment.Reason!;
                if (queue.Strategy == QueueingStrategy.StrictFifo)
                {
                    blocked.Add(queue.Name);
                }
                else
                {
                    cursors[head.Queue]++;
                }
            }
        }

        foreach (var name in blocked)
        {
            var line = lines[name];
            for (var i = cursors[name] + 1; i < line.Count; i++)
            {
                reasons[line[i].Id] = $"waiting behind {line[cursors[name]].Id} (StrictFIFO)";
            }
        }

        return new AdmissionResult(decisions, reasons);
    }

    private FlavorAssignment Assign(Workload workload, QuotaLedger ledger)
    {
        var queue = queues[workload.Queue];
        var inCohort = queue.Cohort is not null;
        var need = workload.Request;
        FlavorAssignment? preempting = null;
        var why = new List<string>();
        foreach (var flavor in queue.Flavors)
        {
            if (flavor.Gpu != workload.Gpu)
            {
                why.Add($"{flavor.Flavor}: {(flavor.Gpu is { } g ? $"offers {g} GPUs" : "has no GPUs")}, the job asks for {(workload.Gpu is { } w ? w.ToString() : "none")}");
                continue;
            }

            var after = ledger.Usage(queue.Name, flavor.Flavor) + need;
            var ceiling = flavor.Ceiling(inCohort);
            var cohortAfter = inCohort ? ledger.CohortUsageWith(queue, flavor.Flavor, need) : after;
            var cohortCapacity = inCohort ? ledger.CohortCapacity(queue.Cohort!, flavor.Flavor) : ceiling;
            if (after.FitsIn(ceiling) && cohortAfter.FitsIn(cohortCapacity))
            {
                return new FlavorAssignment(flavor.Flavor, !after.FitsIn(flavor.Nominal), [], null);
            }

            why.Add(!after.FitsIn(ceiling)
                ? $"{flavor.Flavor}: quota exceeded ({after.Excess(ceiling)})"
                : $"{flavor.Flavor}: cohort {queue.Cohort} exhausted ({cohortAfter.Excess(cohortCapacity)})");
            if (preempting is null && Preemptor.Victims(workload, queue, flavor, queues, ledger) is { } victims)
            {
                preempting = new FlavorAssignment(flavor.Flavor, false, victims, null);
            }
        }

        return preempting ?? FlavorAssignment.NoFit(why.Count == 0 ? "the queue has no flavors" : string.Join("; ", why));
    }
}
