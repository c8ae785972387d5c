namespace Keelson.Operations.Jobs;

/// <summary>
/// Chooses the admitted jobs a pending one evicts so that it fits its queue's nominal quota, the way Kueue does:
/// candidates are jobs of cohort members that borrow (when the queue reclaims) and the queue's own jobs the policy
/// allows; they are taken borrowers first, then lowest priority, then most recently admitted, until the job fits;
/// then every one but the last is put back if the job still fits without evicting it, so the set is minimal.
/// </summary>
internal static class Preemptor
{
    public static IReadOnlyList<AdmittedWorkload>? Victims(Workload workload, ClusterQueueSpec queue, FlavorQuota flavor, IReadOnlyDictionary<string, ClusterQueueSpec> queues, QuotaLedger ledger)
    {
        var need = workload.Request;
        if (!need.FitsIn(flavor.Nominal))
        {
            return null;
        }

        var candidates = new List<(AdmittedWorkload Admitted, bool OtherQueue)>();
        if (queue.WithinQueue != PreemptionPolicy.Never)
        {
            candidates.AddRange(ledger.Holders(queue.Name, flavor.Flavor).Where(a => Allowed(queue.WithinQueue, a.Workload, workload)).Select(a => (a, false)));
        }

        if (queue.Cohort is { } cohort && queue.ReclaimWithinCohort != PreemptionPolicy.Never)
        {
            foreach (var member in queues.Values.Where(m => m.Cohort == cohort && m.Name != queue.Name))
            {
                if (member.Flavors.FirstOrDefault(f => f.Flavor == flavor.Flavor) is { } memberFlavor && ledger.Borrowing(member, memberFlavor))
                {
                    candidates.AddRange(ledger.Holders(member.Name, flavor.Flavor).Where(a => Allowed(queue.ReclaimWithinCohort, a.Workload, workload)).Select(a => (a, true)));
                }
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        candidates.Sort((a, b) =>
        {
            var c = b.OtherQueue.CompareTo(a.OtherQueue);
            c = c != 0 ? c : a.Admitted.Workload.Priority.CompareTo(b.Admitted.Workload.Priority);
            c = c != 0 ? c : b.Admitted.AdmittedSequence.CompareTo(a.Admitted.AdmittedSequence);
            return c != 0 ? c : string.CompareOrdinal(a.Admitted.Workload.Id, b.Admitted.Workload.Id);
        });

        // A simulation over copies: this queue's usage, the borrowing members' usage and the cohort's.
        var own = ledger.Usage(queue.Name, flavor.Flavor);
        var members = new Dictionary<string, Quantities>(StringComparer.Ordinal);
        var cohortUsage = queue.Cohort is { } c0 ? ledger.CohortUsage(c0, flavor.Flavor) : Quantities.Zero;
        var cohortCapacity = queue.Cohort is { } c1 ? ledger.CohortCapacity(c1, flavor.Flavor) : Quantities.Unlimited;

        bool Fits() => (own + need).FitsIn(flavor.Nominal)
            && (queue.Cohort is null || (cohortUsage + QuotaLedger.SharedChange(queue, flavor.Flavor, own, own + need)).FitsIn(cohortCapacity));

        void Take(AdmittedWorkload a, bool otherQueue, int sign)
        {
            var amount = a.Workload.Request;
            var holder = otherQueue ? queues[a.Workload.Queue] : queue;
            var before = otherQueue ? members[a.Workload.Queue] : own;
            var after = sign < 0 ? before - amount : before + amount;
            if (otherQueue)
            {
                members[a.Workload.Queue] = after;
            }
            else
            {
                own = after;
            }

            if (holder.Cohort is not null)
            {
                cohortUsage += QuotaLedger.SharedChange(holder, flavor.Flavor, before, after);
            }
        }

        var removed = new List<(AdmittedWorkload Admitted, bool OtherQueue)>();
        foreach (var (admitted, otherQueue) in candidates)
        {
            if (otherQueue)
            {
                var member = queues[admitted.Workload.Queue];
                var nominal = member.Flavors.First(f => f.Flavor == flavor.Flavor).Nominal;
                var used = members.TryGetValue(member.Name, out var u) ? u : members[member.Name] = ledger.Usage(member.Name, flavor.Flavor);

                // Only quota a member borrows can be reclaimed: once it is back within its nominal quota it is left alone.
                if (used.FitsIn(nominal))
                {
                    continue;
                }
            }

            Take(admitted, otherQueue, -1);
            removed.Add((admitted, otherQueue));
            if (Fits())
            {
                break;
            }
        }

        if (!Fits())
        {
            return null;
        }

        for (var i = removed.Count - 2; i >= 0; i--)
        {
            Take(removed[i].Admitted, removed[i].OtherQueue, +1);
            if (Fits())
            {
                removed.RemoveAt(i);
            }
            else
            {
                Take(removed[i].Admitted, removed[i].OtherQueue, -1);
            }
        }

        return [.. removed.Select(r => r.Admitted)];
    }

    private static bool Allowed(PreemptionPolicy policy, Workload candidate, Workload preemptor) => policy switch
    {
        PreemptionPolicy.LowerPriority => candidate.Priority < preemptor.Priority,
        PreemptionPolicy.LowerOrNewerEqualPriority => candidate.Priority < preemptor.Priority || (candidate.Priority == preemptor.Priority && candidate.Sequence > preemptor.Sequence),
        PreemptionPolicy.Any => true,
        _ => false,
    };
}
