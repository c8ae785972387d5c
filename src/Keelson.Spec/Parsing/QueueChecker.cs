using System.Globalization;
using Keelson.Spec.Model;

namespace Keelson.Spec.Parsing;

/// <summary>Checks a stack's job queues and the components that name them.</summary>
internal sealed class QueueChecker(SemanticChecker checker)
{
    public void Check(IReadOnlyList<(int Index, JobQueueSpec Queue)> queues, ClusterProfile? cluster)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (index, queue) in queues)
        {
            var path = SemanticChecker.At("queues", index);
            if (!first.TryAdd(queue.Name, index))
            {
                checker.Add(DiagnosticCodes.Duplicate, path + ".name", $"queue name '{queue.Name}' is already used by queues[{first[queue.Name]}]");
            }

            var pools = new HashSet<string>(StringComparer.Ordinal);
            for (var f = 0; f < queue.Flavors.Count; f++)
            {
                var flavor = queue.Flavors[f];
                var flavorPath = SemanticChecker.At(path + ".flavors", f);
                if (!pools.Add(flavor.Pool))
                {
                    checker.Add(DiagnosticCodes.Duplicate, flavorPath + ".pool", $"pool '{flavor.Pool}' is listed twice in queue '{queue.Name}'");
                }

                var pool = cluster?.Pools.FirstOrDefault(p => p.Name == flavor.Pool);
                if (cluster is not null && pool is null)
                {
                    var names = cluster.Pools.Select(p => p.Name).ToList();
                    var hint = Suggestions.Closest(flavor.Pool, names) is { } s ? $" (did you mean '{s}'?)" : "";
                    checker.Add(DiagnosticCodes.UnknownReference, flavorPath + ".pool", $"cluster '{cluster.Name}' has no pool '{flavor.Pool}'{hint}; pools: {string.Join(", ", names)}");
                }
                else if (pool is not null && pool.Instance.Gpus == 0 && flavor.Nominal.Gpus > 0)
                {
                    checker.Add(DiagnosticCodes.OutOfRange, flavorPath + ".nominal.gpu", string.Create(CultureInfo.InvariantCulture, $"pool '{pool.Name}' has no GPUs; a GPU quota of {flavor.Nominal.Gpus} could never be used"));
                }

                if (flavor.BorrowingLimit is not null && queue.Cohort is null)
                {
                    checker.Add(DiagnosticCodes.MissingField, flavorPath + ".borrowingLimit", "needs a 'cohort' on the queue to borrow from; set cohort or remove borrowingLimit");
                }

                if (flavor.LendingLimit is { } lending)
                {
                    if (queue.Cohort is null)
                    {
                        checker.Add(DiagnosticCodes.MissingField, flavorPath + ".lendingLimit", "needs a 'cohort' on the queue to lend to; set cohort or remove lendingLimit");
                    }
                    else if (lending.Cpu > flavor.Nominal.Cpu || lending.Memory > flavor.Nominal.Memory || lending.Gpus > flavor.Nominal.Gpus)
                    {
                        checker.Add(DiagnosticCodes.OutOfRange, flavorPath + ".lendingLimit", "a queue lends at most its nominal quota; every resource of lendingLimit must be at most nominal's");
                    }
                }
            }
        }
    }

    /// <summary>A job naming a queue must name one the stack declares; a worker scaling on a Keelson queue too.</summary>
    public static void CheckReference(SemanticChecker checker, Component component, string path, IReadOnlyList<string> queues)
    {
        var (name, field) = component switch
        {
            JobComponent { Queue: { } q } => (q, path + ".queue"),
            WorkerComponent { Queue: { Kind: QueueKind.Keelson } wq } => (wq.Name, path + ".queue.name"),
            _ => (null, ""),
        };
        if (name is null)
        {
            return;
        }

        if (!queues.Contains(name, StringComparer.Ordinal))
        {
            var hint = Suggestions.Closest(name, queues) is { } s ? $" (did you mean '{s}'?)" : "";
            var known = queues.Count == 0 ? "the stack declares no queues; add one under 'queues'" : "queues: " + string.Join(", ", queues);
            checker.Add(DiagnosticCodes.UnknownReference, field, $"no queue named '{name}'{hint}; {known}");
        }

        if (component is JobComponent { Pool: { } pool })
        {
            checker.Add(DiagnosticCodes.Conflict, path + ".pool", $"a queued job runs on the pool its queue admits it to; remove 'pool: {pool}' or make it the only flavor of queue '{name}'");
        }
    }

    /// <summary>A queued job must be able to use one of its queue's flavors: a GPU job a pool with its GPU type, a CPU job a pool without GPUs.</summary>
    public static void CheckDevice(SemanticChecker checker, Component component, string path, IReadOnlyList<JobQueueSpec> queues, ClusterProfile? cluster)
    {
        if (cluster is null || component is not JobComponent { Queue: { } name } job || queues.FirstOrDefault(q => q.Name == name) is not { } queue)
        {
            return;
        }

        var gpu = job.Device.Kind == DeviceKind.Gpu ? job.Device.Gpu : null;
        var pools = queue.Flavors.Select(f => cluster.Pools.FirstOrDefault(p => p.Name == f.Pool)).OfType<NodePool>().ToList();
        if (pools.Count == 0 || pools.Any(p => gpu is null ? p.Instance.Gpus == 0 : p.Instance.Gpus > 0 && p.Instance.Gpu == gpu))
        {
            return;
        }

        var flavors = string.Join(", ", pools.Select(p => p.Instance.Gpus > 0 ? $"{p.Name} ({p.Instance.Gpu})" : $"{p.Name} (no GPUs)"));
        var wanted = gpu is null ? "a pool without GPUs for a cpu job" : $"a pool with {gpu} GPUs";
        checker.Add(DiagnosticCodes.UnknownReference, path + (gpu is null ? ".queue" : ".device"), $"queue '{name}' has no flavor on {wanted}; its flavors: {flavors}");
    }
}
