using Keelson.Operations.Alerts;
using Keelson.Operations.Audit;
using Keelson.Operations.Caching;
using Keelson.Operations.Cicd;
using Keelson.Operations.Deployments;
using Keelson.Operations.Monitoring;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Keelson.Operations;

/// <summary>The stores of one database (demo or production), migrated and ready, with the Redis cache in front of tenants when configured.</summary>
public sealed class OperationsStores : IAsyncDisposable
{
    private readonly ConnectionMultiplexer? redis;

    private OperationsStores(Database database, ITenantStore tenants, ConnectionMultiplexer? redis)
    {
        Database = database;
        Tenants = tenants;
        Deployments = new SqlDeploymentStore(database);
        Audit = new SqlAuditLog(database);
        Metrics = new SqlMetricStore(database);
        AlertRules = new SqlAlertRuleStore(database);
        AlertStates = new SqlAlertStateStore(database);
        CicdSettings = new SqlCicdSettingStore(database);
        Images = new SqlImageStore(database);
        AlertOccurrences = new SqlAlertOccurrenceStore(database);
        Thresholds = new Thresholds.SqlThresholdStore(database);
        Jobs = new Jobs.SqlJobStore(database);
        Models = new Models.SqlModelStore(database);
        ApiKeys = new ApiKeys.SqlApiKeyStore(database);
        Retention = new SqlRetentionStore(database);
        this.redis = redis;
    }

    /// <summary>The database underneath, for health checks.</summary>
    public Database Database { get; }

    /// <summary>Tenants, cached when Redis is configured.</summary>
    public ITenantStore Tenants { get; }

    /// <summary>Deployments, steps and leases.</summary>
    public IDeploymentStore Deployments { get; }

    /// <summary>The Redis connection when one is configured (the tenant cache, deployment progress relay); null otherwise.</summary>
    public IConnectionMultiplexer? Redis => redis;

    /// <summary>The audit trail.</summary>
    public IAuditLog Audit { get; }

    /// <summary>Pushed metric samples (the <c>monitoring_data</c> table).</summary>
    public IMetricStore Metrics { get; }

    /// <summary>Alert rules, evaluation intervals and leases.</summary>
    public SqlAlertRuleStore AlertRules { get; }

    /// <summary>Alert states and their transition history.</summary>
    public SqlAlertStateStore AlertStates { get; }

    /// <summary>Global CI/CD settings, registries among them; credentials kept apart from the values.</summary>
    public SqlCicdSettingStore CicdSettings { get; }

    /// <summary>Service images and their version history.</summary>
    public SqlImageStore Images { get; }

    /// <summary>Alerts as occurrences across tenants (read from the alert states and history).</summary>
    public SqlAlertOccurrenceStore AlertOccurrences { get; }

    /// <summary>Monitoring threshold settings.</summary>
    public Thresholds.SqlThresholdStore Thresholds { get; }

    /// <summary>Batch job queues, jobs and their admissions.</summary>
    public Jobs.SqlJobStore Jobs { get; }

    /// <summary>Model versions, aliases and serving settings (the files are the server's, under its data directory).</summary>
    public Models.SqlModelStore Models { get; }

    /// <summary>API keys issued at run time (the server keeps them in the production database; docs/api.md, "API keys").</summary>
    public ApiKeys.SqlApiKeyStore ApiKeys { get; }

    /// <summary>Metric retention set through the API (the server keeps it in the production database; docs/api.md, "Settings").</summary>
    public SqlRetentionStore Retention { get; }

    /// <summary>Opens the database, applies pending migrations, and connects Redis when <paramref name="cache"/> is given.</summary>
    public static async Task<OperationsStores> OpenAsync(
        DatabaseOptions database, RedisCacheOptions? cache, TimeProvider? clock, ILoggerFactory? loggers, CancellationToken cancellationToken)
    {
        var db = Database.Open(database, clock);
        try
        {
            await db.MigrateAsync(cancellationToken).ConfigureAwait(false);
            ITenantStore tenants = new SqlTenantStore(db);
            ConnectionMultiplexer? redis = null;
            if (cache is not null)
            {
                // AbortOnConnectFail off: the server starts and serves from the database while Redis is down, and reconnects later.
                var config = ConfigurationOptions.Parse(cache.Connection);
                config.AbortOnConnectFail = false;
                redis = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
                tenants = new CachedTenantStore(tenants, redis.GetDatabase(), cache.KeyPrefix, (loggers ?? NullLoggerFactory.Instance).CreateLogger<CachedTenantStore>());
            }

            return new OperationsStores(db, tenants, redis);
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (redis is not null)
        {
            await redis.DisposeAsync().ConfigureAwait(false);
        }

        await Database.DisposeAsync().ConfigureAwait(false);
    }
}
