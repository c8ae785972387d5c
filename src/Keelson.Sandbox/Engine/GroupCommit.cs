namespace Keelson.Sandbox.Engine;

/// <summary>
/// Runs one write on behalf of every caller that asked while the previous write was in progress (group commit): a
/// caller is answered by a write that started after it asked, so what it changed before asking is in it, yet callers
/// arriving together cost one write. At most one write runs at a time.
/// </summary>
public sealed class GroupCommit(Func<Task> write)
{
    private readonly Lock sync = new();
    private Task? current;
    private Task? next;

    /// <summary>How many writes have started.</summary>
    public int Writes { get; private set; }

    /// <summary>Completes when a write that started after this call has finished; faults when that write faults.</summary>
    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        lock (sync)
        {
            next ??= NextAsync(current);
            return next.WaitAsync(cancellationToken);
        }
    }

    private async Task NextAsync(Task? running)
    {
        // Off the caller's stack, and after the write in progress: callers that join meanwhile share this one.
        if (running is null)
        {
            await Task.Yield();
        }
        else
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        }

        Task mine;
        lock (sync)
        {
            next = null;
            Writes++;
            // Made current under the lock, so no second write can begin before this one ends; run off the lock.
            current = mine = Task.Run(write);
        }

        await mine.ConfigureAwait(false);
    }
}
