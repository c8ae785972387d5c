using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Operations.Jobs;
using Keelson.Spec.Model;

namespace Keelson.Server.Api;

/// <summary>
/// A queue definition read strictly: <c>cohort</c>, <c>queueing_strategy</c> (StrictFIFO, BestEffortFIFO),
/// <c>preemption</c> ({within_queue, reclaim_within_cohort}) and <c>flavors</c> — node pools of the tenant's cluster
/// with a nominal quota and an optional borrowing limit each.
/// </summary>
public static partial class JobQueueInput
{
    /// <summary>The queue, or the errors by field path.</summary>
    public static (ClusterQueueSpec? Queue, Dictionary<string, string[]> Errors) Read(string name, JsonObject body, ClusterProfile cluster)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(cluster);
        var f = new JobFields(body);
        if (!QueueName().IsMatch(name ?? ""))
        {
            f.Error("name", $"the queue name in the path must be a DNS label (lower-case letters, digits, '-'); got \"{name}\"");
        }

        f.OnlyKnown("cohort", "queueing_strategy", "preemption", "flavors");
        var cohort = f.String("cohort", false);
        if (cohort is not null && !QueueName().IsMatch(cohort))
        {
            f.Error("cohort", $"must be a DNS label; got \"{cohort}\"");
        }

        var strategy = f.String("queueing_strategy", false) switch
        {
            null or "BestEffortFIFO" => QueueingStrategy.BestEffortFifo,
            "StrictFIFO" => QueueingStrategy.StrictFifo,
            var other => Bad(f, "queueing_strategy", $"must be StrictFIFO or BestEffortFIFO; got \"{other}\"", QueueingStrategy.BestEffortFifo),
        };

        var within = PreemptionPolicy.Never;
        var reclaim = PreemptionPolicy.Never;
        if (f.Object("preemption", false) is { } preemption)
        {
            var p = new JobFields(preemption, "preemption.") { Errors = f.Errors };
            p.OnlyKnown("within_queue", "reclaim_within_cohort");
            within = Policy(p, "within_queue", [PreemptionPolicy.Never, PreemptionPolicy.LowerPriority, PreemptionPolicy.LowerOrNewerEqualPriority]);
            reclaim = Policy(p, "reclaim_within_cohort", [PreemptionPolicy.Never, PreemptionPolicy.LowerPriority, PreemptionPolicy.Any]);
        }

        var flavors = new List<FlavorQuota>();
        if (!body.TryGetPropertyValue("flavors", out var list) || list is not JsonArray array || array.Count == 0)
        {
            f.Error("flavors", $"must be a non-empty array of {{pool, nominal, borrowing_limit}}; the pools of cluster {cluster.Name}: {string.Join(", ", cluster.Pools.Select(p => p.Name))}");
        }
        else
        {
            for (var i = 0; i < array.Count; i++)
            {
                var path = $"flavors[{i}].";
                if (array[i] is not JsonObject item)
                {
                    f.Error($"flavors[{i}]", "must be an object {pool, nominal, borrowing_limit}");
                    continue;
                }

                var g = new JobFields(item, path) { Errors = f.Errors };
                g.OnlyKnown("pool", "nominal", "borrowing_limit", "lending_limit");
                var poolName = g.String("pool", true);
                var pool = cluster.Pools.FirstOrDefault(p => p.Name == poolName);
                if (poolName is not null && pool is null)
                {
                    g.Error("pool", $"cluster {cluster.Name} has no pool \"{poolName}\"; its pools: {string.Join(", ", cluster.Pools.Select(p => p.Name))}");
                }
                else if (pool is not null && flavors.Any(x => x.Flavor == pool.Name))
                {
                    g.Error("pool", $"pool \"{pool.Name}\" is listed twice");
                }

                var nominal = g.Quantities("nominal", false);
                if (!item.ContainsKey("nominal"))
                {
                    g.Error("nominal", "is required: {cpu, memory, gpu}");
                }

                var borrowing = g.Quantities("borrowing_limit", false);
                if (borrowing is not null && cohort is null)
                {
                    g.Error("borrowing_limit", "needs a cohort to borrow from; set cohort or remove borrowing_limit");
                }

                var lending = g.Quantities("lending_limit", false);
                if (lending is not null && cohort is null)
                {
                    g.Error("lending_limit", "needs a cohort to lend to; set cohort or remove lending_limit");
                }
                else if (lending is { } l && nominal is { } nominalQuota && !l.FitsIn(nominalQuota))
                {
                    g.Error("lending_limit", $"exceeds the nominal quota ({l.Excess(nominalQuota)}); a queue lends at most what it owns");
                }

                if (pool is not null && nominal is { } n)
                {
                    flavors.Add(new FlavorQuota(pool.Name, pool.Instance.Gpu, n, borrowing, lending));
                }
            }
        }

        return f.Errors.Count > 0
            ? (null, f.Errors)
            : (new ClusterQueueSpec(name!, flavors) { Cohort = cohort, Strategy = strategy, WithinQueue = within, ReclaimWithinCohort = reclaim }, f.Errors);
    }

    /// <summary>A queue as JSON, in the shape <see cref="Read"/> takes plus its name.</summary>
    public static JsonObject Json(ClusterQueueSpec queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return new JsonObject
        {
            ["name"] = queue.Name,
            ["cohort"] = queue.Cohort,
            ["queueing_strategy"] = queue.Strategy == QueueingStrategy.StrictFifo ? "StrictFIFO" : "BestEffortFIFO",
            ["preemption"] = new JsonObject { ["within_queue"] = queue.WithinQueue.ToString(), ["reclaim_within_cohort"] = queue.ReclaimWithinCohort.ToString() },
            ["flavors"] = new JsonArray([.. queue.Flavors.Select(fl => (JsonNode)new JsonObject
            {
                ["pool"] = fl.Flavor,
                ["gpu_type"] = fl.Gpu?.ToString(),
                ["nominal"] = JobResponses.Quantities(fl.Nominal),
                ["borrowing_limit"] = fl.BorrowingLimit is { } b ? JobResponses.Quantities(b) : null,
                ["lending_limit"] = fl.LendingLimit is { } lent ? JobResponses.Quantities(lent) : null,
            })]),
        };
    }

    private static PreemptionPolicy Policy(JobFields f, string field, PreemptionPolicy[] allowed)
    {
        var text = f.String(field, false);
        if (text is null)
        {
            return PreemptionPolicy.Never;
        }

        if (allowed.FirstOrDefault(a => a.ToString() == text) is var found && found.ToString() == text)
        {
            return found;
        }

        f.Error(field, $"must be one of {string.Join(", ", allowed)}; got \"{text}\"");
        return PreemptionPolicy.Never;
    }

    private static T Bad<T>(JobFields f, string field, string message, T fallback)
    {
        f.Error(field, message);
        return fallback;
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex QueueName();
}
