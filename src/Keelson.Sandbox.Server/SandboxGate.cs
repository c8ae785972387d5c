namespace Keelson.Sandbox.Server;

/// <summary>
/// The one way into the sandbox for the facade: the engine is not thread-safe, so requests and the clock take
/// turns under one lock. Work inside the lock only reads and writes the store; serialising responses and
/// waiting on watches happen outside it.
/// </summary>
public sealed class SandboxGate(SandboxCluster cluster)
{
    private readonly Lock gate = new();

    /// <summary>Runs <paramref name="work"/> with the sandbox to itself.</summary>
    public T Run<T>(Func<SandboxCluster, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (gate)
        {
            return work(cluster);
        }
    }

    /// <summary>Runs <paramref name="work"/> with the sandbox to itself.</summary>
    public void Run(Action<SandboxCluster> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (gate)
        {
            work(cluster);
        }
    }
}
