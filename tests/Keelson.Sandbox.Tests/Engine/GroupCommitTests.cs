using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Tests;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task Callers_that_ask_during_a_write_share_the_next_one_which_starts_after_they_asked()
    {
        var gates = new List<TaskCompletionSource>();
        var started = new List<int>();
        var asked = 0;
        var commit = new GroupCommit(() =>
        {
            TaskCompletionSource gate;
            lock (gates)
            {
                // Which callers had asked when this write began: the write must include all of their changes.
                started.Add(Volatile.Read(ref asked));
                gates.Add(gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            return gate.Task;
        });

        Interlocked.Increment(ref asked);
        var first = commit.CommitAsync();
        await WaitUntil(() => Started() == 1);

        // Five callers while the first write is still going: none is answered by it.
        var joined = Enumerable.Range(0, 5).Select(_ =>
        {
            Interlocked.Increment(ref asked);
            return commit.CommitAsync();
        }).ToList();
        Gate(0).SetResult();
        await first;
        Assert.All(joined, j => Assert.False(j.IsCompleted));

        // One more write answers all five, and it began after the last of them asked.
        await WaitUntil(() => Started() == 2);
        Gate(1).SetResult();
        await Task.WhenAll(joined);
        Assert.Equal(2, commit.Writes);
        Assert.Equal([1, 6], started);

        int Started()
        {
            lock (gates)
            {
                return gates.Count;
            }
        }

        TaskCompletionSource Gate(int i)
        {
            lock (gates)
            {
                return gates[i];
            }
        }
    }

    [Fact]
    public async Task A_failed_write_fails_its_callers_and_the_next_caller_gets_a_new_write()
    {
        var calls = 0;
        var commit = new GroupCommit(() => ++calls == 1 ? Task.FromException(new IOException("disk full")) : Task.CompletedTask);

        var failure = await Assert.ThrowsAsync<IOException>(() => commit.CommitAsync());
        Assert.Equal("disk full", failure.Message);
        await commit.CommitAsync();
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_but_the_write_goes_on_for_the_others()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = new GroupCommit(() => gate.Task);
        using var cancel = new CancellationTokenSource();

        var cancelled = commit.CommitAsync(cancel.Token);
        var patient = commit.CommitAsync();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(patient.IsCompleted);

        gate.SetResult();
        await patient;
        Assert.Equal(1, commit.Writes);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
