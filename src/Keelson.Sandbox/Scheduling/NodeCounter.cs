namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// Counts pods per node (in each node's counts, at <see cref="Id"/>) and, for every topology key a plugin has asked
/// about, per domain of that key, so a cycle reads a domain's count instead of summing the nodes in it.
/// </summary>
internal abstract class NodeCounter(int id)
{
    private int[]?[] bySlot = [];

    /// <summary>Index into every node's counts.</summary>
    public int Id { get; } = id;

    /// <summary>Counted pods in the whole snapshot.</summary>
    public long Total { get; private set; }

    /// <summary>Counts one pod more (or less) on a node.</summary>
    public void Add(NodeInfo node, int delta)
    {
        node.AddCount(Id, delta);
        Total += delta;
        for (var slot = 0; slot < bySlot.Length; slot++)
        {
            if (bySlot[slot] is not null && node.Domain(slot) is var domain and >= 0)
            {
                var counts = bySlot[slot]!;
                if (domain >= counts.Length)
                {
                    Array.Resize(ref counts, Math.Max(domain + 1, counts.Length * 2));
                    bySlot[slot] = counts;
                }

                counts[domain] += delta;
            }
        }
    }

    /// <summary>
    /// Counted pods per domain of a key slot, kept up to date from now on; ids at or past the array's end count 0.
    /// The array is live: read it within one cycle, before the next bind.
    /// </summary>
    public int[] ByDomain(int slot, ReadOnlySpan<NodeInfo> nodes)
    {
        if (slot < bySlot.Length && bySlot[slot] is { } known)
        {
            return known;
        }

        var counts = new int[nodes.Length];
        foreach (var node in nodes)
        {
            var domain = node.Domain(slot);
            if (domain >= 0)
            {
                if (domain >= counts.Length)
                {
                    Array.Resize(ref counts, domain + 1);
                }

                counts[domain] += node.Count(Id);
            }
        }

        if (slot >= bySlot.Length)
        {
            Array.Resize(ref bySlot, slot + 1);
        }

        bySlot[slot] = counts;
        return counts;
    }
}
