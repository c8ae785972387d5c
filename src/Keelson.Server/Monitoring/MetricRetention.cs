using Keelson.Operations.Audit;
using Keelson.Operations.Monitoring;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Monitoring;

/// <summary>
/// The metric retention in force for both modes' stores: what an admin set through the API (kept in the production
/// database, so every replica follows it within <see cref="RefreshInterval"/>), else <c>Keelson:Monitoring</c>.
/// </summary>
public sealed class MetricRetention(TenantDatabases databases, IOptions<ServerOptions> options, TimeProvider time)
{
    /// <summary>How long a replica trusts what it last read; a change made on this replica is in force here at once.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private Snapshot? last;

    /// <summary>The windows configuration gives.</summary>
    public RetentionWindows Configured
    {
        get
        {
            var monitoring = options.Value.Monitoring;
            return new RetentionWindows(monitoring.Retention, monitoring.MinuteRollupRetention, monitoring.HourRollupRetention);
        }
    }

    /// <summary>The windows in force, and the override that set them (null when configuration is in force).</summary>
    public async Task<(RetentionWindows Windows, RetentionOverride? Set)> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var snapshot = Volatile.Read(ref last);
        if (snapshot is null || now - snapshot.ReadAt >= RefreshInterval)
        {
            // Before the databases open (start-up) configuration stands in; the next call reads again.
            var set = databases.IsOpen ? await databases.For(isDemo: false).Retention.GetAsync(cancellationToken).ConfigureAwait(false) : null;
            snapshot = new Snapshot(set, databases.IsOpen ? now : DateTimeOffset.MinValue);
            Volatile.Write(ref last, snapshot);
        }

        return (snapshot.Set?.Windows ?? Configured, snapshot.Set);
    }

    /// <summary>Puts <paramref name="windows"/> in force, with <paramref name="audit"/>.</summary>
    public async Task<RetentionOverride> SetAsync(RetentionWindows windows, AuditEntry audit, CancellationToken cancellationToken)
    {
        var stored = await databases.For(isDemo: false).Retention.SetAsync(windows, audit, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref last, new Snapshot(stored, time.GetUtcNow()));
        return stored;
    }

    /// <summary>Puts configuration back in force, with <paramref name="audit"/>; false when it already was.</summary>
    public async Task<bool> ClearAsync(AuditEntry audit, CancellationToken cancellationToken)
    {
        var cleared = await databases.For(isDemo: false).Retention.ClearAsync(audit, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref last, new Snapshot(null, time.GetUtcNow()));
        return cleared;
    }

    private sealed record Snapshot(RetentionOverride? Set, DateTimeOffset ReadAt);
}
