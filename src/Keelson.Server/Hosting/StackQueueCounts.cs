using System.Collections.Concurrent;

namespace Keelson.Server;

/// <summary>
/// The waiting and running Jobs of every stack-declared queue, as the last admission pass over each tenant's cluster
/// found them (<see cref="Operations.Jobs.QueuedJobAdmitter"/>); <c>/metrics</c> adds them to the queue gauges beside
/// the queues of the job API, whose counts come from the database.
/// </summary>
public sealed class StackQueueCounts
{
    private readonly ConcurrentDictionary<(string Mode, string Tenant), IReadOnlyDictionary<string, (int Pending, int Running)>> counts = new();

    /// <summary>Replaces the counts of one tenant's queues.</summary>
    public void Set(string mode, string tenant, IReadOnlyDictionary<string, (int Pending, int Running)> queues) => counts[(mode, tenant)] = queues;

    /// <summary>Forgets tenants not in <paramref name="tenants"/> (deleted, or their stack no longer declares queues).</summary>
    public void Retain(string mode, IReadOnlySet<string> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        foreach (var key in counts.Keys.Where(k => k.Mode == mode && !tenants.Contains(k.Tenant)).ToList())
        {
            counts.TryRemove(key, out _);
        }
    }

    /// <summary>Every queue's counts: mode, tenant, queue, waiting, running.</summary>
    public IReadOnlyList<(string Mode, string Tenant, string Queue, int Pending, int Running)> All() =>
        [.. counts.SelectMany(t => t.Value.Select(q => (t.Key.Mode, t.Key.Tenant, q.Key, q.Value.Pending, q.Value.Running)))];
}
