using System.Buffers;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// One attempt to place one pod (kube-scheduler's CycleState): the pod, the snapshot, and what PreFilter plugins
/// computed for Filter to read per node. Arrays it lends are pooled and returned when the cycle is disposed.
/// </summary>
public sealed class SchedulingCycle : IDisposable
{
    private readonly List<KeyValuePair<object, object>> states = [];
    private readonly List<int[]> rented = [];

    internal SchedulingCycle(PodInfo pod, ClusterSnapshot snapshot)
    {
        Pod = pod;
        Snapshot = snapshot;
    }

    /// <summary>The pod being placed.</summary>
    public PodInfo Pod { get; }

    /// <summary>The cluster it is placed in.</summary>
    public ClusterSnapshot Snapshot { get; }

    /// <summary>Keeps a plugin's per-pod state for this cycle.</summary>
    public void Write(object owner, object state) => states.Add(KeyValuePair.Create(owner, state));

    /// <summary>A plugin's per-pod state, or null when its PreFilter wrote none.</summary>
    public T? Read<T>(object owner)
        where T : class
    {
        // A handful of plugins keep state, so a linear scan beats hashing.
        foreach (var (key, value) in states)
        {
            if (ReferenceEquals(key, owner))
            {
                return (T)value;
            }
        }

        return null;
    }

    /// <summary>A pooled array of at least <paramref name="length"/> integers, all set to <paramref name="fill"/>.</summary>
    public int[] RentInts(int length, int fill)
    {
        var array = ArrayPool<int>.Shared.Rent(Math.Max(length, 1));
        Array.Fill(array, fill, 0, length);
        rented.Add(array);
        return array;
    }

    /// <summary>Returns the pooled arrays.</summary>
    public void Dispose()
    {
        foreach (var array in rented)
        {
            ArrayPool<int>.Shared.Return(array);
        }

        rented.Clear();
    }
}
