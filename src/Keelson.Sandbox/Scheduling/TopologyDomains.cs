namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// Topology keys the pods ask about (zone, hostname, ...) numbered as slots, and each key's label values numbered as
/// domains, so a node's domain is an array read and per-domain counts fit in arrays.
/// </summary>
internal sealed class TopologyDomains
{
    private readonly Dictionary<string, int> slots = new(StringComparer.Ordinal);
    private readonly List<string> keys = [];
    private readonly List<Dictionary<string, int>> domains = [];
    private readonly List<List<int>> nodesPerDomain = [];
    private readonly List<int> nodesMissing = [];

    /// <summary>Number of domains known for a key slot; ids are below it.</summary>
    public int DomainCount(int slot) => domains[slot].Count;

    /// <summary>Nodes now in a domain; a domain whose nodes are all gone has 0.</summary>
    public int NodesIn(int slot, int domain) => nodesPerDomain[slot][domain];

    /// <summary>Nodes now without the key's label.</summary>
    public int NodesMissing(int slot) => nodesMissing[slot];

    /// <summary>The slot of a topology key, numbering every node's domain for it on first use.</summary>
    public int Slot(string key, IEnumerable<NodeInfo> nodes)
    {
        if (slots.TryGetValue(key, out var slot))
        {
            return slot;
        }

        slot = keys.Count;
        slots[key] = slot;
        keys.Add(key);
        domains.Add(new Dictionary<string, int>(StringComparer.Ordinal));
        nodesPerDomain.Add([]);
        nodesMissing.Add(0);
        foreach (var node in nodes)
        {
            Assign(node, slot);
        }

        return slot;
    }

    /// <summary>Numbers a new node's domains for every known key.</summary>
    public void Assign(NodeInfo node)
    {
        for (var slot = 0; slot < keys.Count; slot++)
        {
            Assign(node, slot);
        }
    }

    /// <summary>Forgets a removed node's place in each domain; the domain ids stay numbered.</summary>
    public void Unassign(NodeInfo node)
    {
        for (var slot = 0; slot < keys.Count; slot++)
        {
            if (node.Domain(slot) is var domain and >= 0)
            {
                nodesPerDomain[slot][domain]--;
            }
            else
            {
                nodesMissing[slot]--;
            }
        }
    }

    private void Assign(NodeInfo node, int slot)
    {
        if (!node.Labels.TryGetValue(keys[slot], out var value))
        {
            node.SetDomain(slot, -1);
            nodesMissing[slot]++;
            return;
        }

        var values = domains[slot];
        if (!values.TryGetValue(value, out var id))
        {
            id = values.Count;
            values[value] = id;
            nodesPerDomain[slot].Add(0);
        }

        nodesPerDomain[slot][id]++;
        node.SetDomain(slot, id);
    }
}
