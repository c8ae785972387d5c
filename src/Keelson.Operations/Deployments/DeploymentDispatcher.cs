using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Keelson.Operations.Deployments;

/// <summary>
/// One replica's share of the deployments in a database: finds unfinished ones (at once when woken, and every
/// <see cref="DeploymentOptions.ScanInterval"/> for those a stopped or dead replica left), and runs each tenant's
/// oldest under the tenant's lease, renewing it while the run lasts. Another replica holding the lease means the
/// tenant is skipped; a lease that cannot be renewed stops the run, which the lease's new holder resumes.
/// </summary>
public sealed partial class DeploymentDispatcher(IDeploymentStore deployments, DeploymentWorkflow workflow, TimeProvider time, ILogger<DeploymentDispatcher> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Task> running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> lastStarted = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>This replica's lease owner name: host, process and a random part, unique across restarts.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    private DeploymentOptions Options => workflow.Options;

    /// <summary>Makes the loop look for work now (a deployment was just created).</summary>
    public void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken; one look finds everything.
        }
    }

    /// <summary>Looks for and runs deployments until <paramref name="stopping"/> is cancelled, then waits for the runs to stop.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(stopping).ConfigureAwait(false);
                await wake.WaitAsync(Options.ScanInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The database may be down for a moment; the next scan tries again.
                LogScanFailed(e);
                await Task.Delay(Options.ScanInterval, time, CancellationToken.None).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(running.Values).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a run for each tenant's oldest unfinished deployment that this replica is not running already, up to
    /// <see cref="DeploymentOptions.MaxConcurrent"/> at once: tenants this replica started least recently go first, so
    /// one tenant's queue of deployments cannot keep another's waiting. A deployment waiting for capacity is looked at
    /// again only every <see cref="DeploymentOptions.CapacityRetryInterval"/>.
    /// </summary>
    public async Task ScanAsync(CancellationToken stopping)
    {
        var unfinished = await deployments.ListUnfinishedAsync(stopping).ConfigureAwait(false);
        var now = time.GetUtcNow();
        // Lowest revision, not earliest creation time: two replicas' clocks (or one insert overtaking another) may disagree on time.
        var candidates = unfinished.GroupBy(d => d.TenantId).Select(g => g.MinBy(d => d.Revision)!)
            .Where(d => !(d.State == DeploymentState.WaitingForCapacity && now - d.UpdatedAt < Options.CapacityRetryInterval))
            .OrderBy(d => lastStarted.TryGetValue(d.TenantId, out var at) ? at : DateTimeOffset.MinValue)
            .ThenBy(d => d.CreatedAt)
            .ThenBy(d => d.Id, StringComparer.Ordinal);
        foreach (var oldest in candidates)
        {
            // A lease held elsewhere is skipped without a write; the lease row itself decides when it is close.
            var heldElsewhere = oldest.LeaseOwner is { } owner && owner != Owner && oldest.LeaseUntil > now;
            if (heldElsewhere || running.ContainsKey(oldest.TenantId))
            {
                continue;
            }

            if (running.Count >= Options.MaxConcurrent)
            {
                break;
            }

            lastStarted[oldest.TenantId] = now;
            var started = new TaskCompletionSource();
            if (running.TryAdd(oldest.TenantId, started.Task))
            {
                _ = Task.Run(async () =>
                {
                    var ran = false;
                    try
                    {
                        ran = await RunOneAsync(oldest, stopping).ConfigureAwait(false);
                    }
                    finally
                    {
                        running.TryRemove(oldest.TenantId, out _);
                        started.SetResult();

                        // The tenant's next deployment may start now; a lease held elsewhere waits for the next scan instead of spinning.
                        if (ran)
                        {
                            Wake();
                        }
                    }
                }, CancellationToken.None);
            }
        }
    }

    /// <summary>The tenants this replica is deploying right now.</summary>
    public IReadOnlyCollection<string> RunningTenants => [.. running.Keys];

    /// <inheritdoc/>
    public void Dispose() => wake.Dispose();

    /// <summary>Runs the deployment if the tenant's lease can be had; whether it could.</summary>
    private async Task<bool> RunOneAsync(DeploymentRecord candidate, CancellationToken stopping)
    {
        if (!await TryLeaseAsync(candidate, stopping).ConfigureAwait(false))
        {
            return false;
        }

        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var renewal = new CancellationTokenSource();
        var renewing = RenewAsync(candidate, lost, renewal.Token);
        try
        {
            // Someone may have finished it between the scan and the lease.
            if (await deployments.GetAsync(candidate.Id, lost.Token).ConfigureAwait(false) is { Finished: false } current)
            {
                await workflow.RunAsync(current, lost.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            LogStopped(candidate.Id, candidate.TenantId, stopping.IsCancellationRequested ? "the server is stopping" : "the lease was lost");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The store failed outside a step; the deployment stays unfinished and a later scan resumes it.
            LogRunFailed(e, candidate.Id, candidate.TenantId);
        }
        finally
        {
            await renewal.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            try
            {
                // Given up at once so another replica can resume a stopped run without waiting for the lease to run out.
                await deployments.ReleaseLeaseAsync(candidate.TenantId, Owner, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogRunFailed(e, candidate.Id, candidate.TenantId);
            }
        }

        return true;
    }

    private async Task<bool> TryLeaseAsync(DeploymentRecord deployment, CancellationToken cancellationToken)
    {
        try
        {
            return await deployments.TryAcquireLeaseAsync(deployment.TenantId, deployment.Id, Owner, time.GetUtcNow() + Options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            LogRunFailed(e, deployment.Id, deployment.TenantId);
            return false;
        }
    }

    private async Task RenewAsync(DeploymentRecord deployment, CancellationTokenSource lost, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Options.LeaseDuration / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                bool held;
                try
                {
                    held = await deployments.TryAcquireLeaseAsync(deployment.TenantId, deployment.Id, Owner, time.GetUtcNow() + Options.LeaseDuration, stop).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
                {
                    // Unknown: keep going and try again; the lease still has two thirds of its time.
                    LogRunFailed(e, deployment.Id, deployment.TenantId);
                    continue;
                }

                if (!held)
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for deployments failed; trying again")]
    private partial void LogScanFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId} of {TenantId} stopped because {Reason}; it resumes where it stopped")]
    private partial void LogStopped(string deploymentId, string tenantId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deployment {DeploymentId} of {TenantId} could not be run; a later scan tries again")]
    private partial void LogRunFailed(Exception exception, string deploymentId, string tenantId);
}
