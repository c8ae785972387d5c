using Keelson.Server.Api;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Alerts;

/// <summary>
/// Brings each database's default threshold settings to tenants created after they were applied: every
/// <see cref="AlertSettings.ThresholdSyncInterval"/>, the database-wide default (and each tenant's own) is applied again
/// with <see cref="ThresholdRules.ApplyAsync"/>, which writes only rules that are missing or differ.
/// </summary>
public sealed partial class ThresholdSync(TenantDatabases databases, IOptions<ServerOptions> options, TimeProvider time, ILogger<ThresholdSync> logger) : BackgroundService
{
    /// <summary>One pass over both databases.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var demo in new[] { true, false })
        {
            if (!databases.IsOpen)
            {
                return;
            }

            try
            {
                var stores = databases.For(demo);
                var tenants = await VisibleTenants.ListAsync(stores.Tenants, new Http.Caller(true, null), cancellationToken).ConfigureAwait(false);
                var defaults = (await stores.Thresholds.ListAsync(null, activeOnly: true, cancellationToken).ConfigureAwait(false)).Where(s => s.IsDefault).ToList();
                foreach (var setting in defaults)
                {
                    await ThresholdRules.ApplyAsync(stores, setting, tenants, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
            {
                LogSyncFailed(e, demo ? "demo" : "production");
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Alerts.ThresholdSyncInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bringing threshold rules to new tenants in the {Mode} database failed; trying again")]
    private partial void LogSyncFailed(Exception exception, string mode);
}
