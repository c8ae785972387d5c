using Keelson.Operations;
using Keelson.Operations.Caching;
using Keelson.Operations.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Keelson.Server;

/// <summary>
/// The two separate databases the seed requires — demo and production — opened and migrated at start. Each is
/// PostgreSQL when its connection string is configured (<c>ConnectionStrings:Demo</c>, <c>ConnectionStrings:Production</c>),
/// else an embedded SQLite file under the data directory; <c>ConnectionStrings:Redis</c> adds the tenant cache.
/// </summary>
public sealed class TenantDatabases(IConfiguration configuration, IOptions<ServerOptions> options, ILoggerFactory loggers) : IHostedService, IAsyncDisposable, IHealthCheck
{
    private OperationsStores? demo;
    private OperationsStores? production;

    /// <summary>Whether both databases are open (from start until disposal).</summary>
    public bool IsOpen => demo is not null && production is not null;

    /// <summary>The stores of the demo or the production database.</summary>
    public OperationsStores For(bool isDemo) =>
        (isDemo ? demo : production) ?? throw new InvalidOperationException("The databases are opened when the server starts.");

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var redis = configuration.GetConnectionString("Redis") is { Length: > 0 } r ? new RedisCacheOptions { Connection = r } : null;
        demo = await OperationsStores.OpenAsync(Options("Demo", "demo.db"), redis is null ? null : redis with { KeyPrefix = "keelson:demo:" }, TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
        production = await OperationsStores.OpenAsync(Options("Production", "production.db"), redis is null ? null : redis with { KeyPrefix = "keelson:production:" }, TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var demoUp = demo is not null && await demo.Database.PingAsync(cancellationToken).ConfigureAwait(false);
        var productionUp = production is not null && await production.Database.PingAsync(cancellationToken).ConfigureAwait(false);
        return demoUp && productionUp
            ? HealthCheckResult.Healthy("demo and production databases answer")
            : HealthCheckResult.Unhealthy($"demo database {(demoUp ? "up" : "down")}, production database {(productionUp ? "up" : "down")}");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (demo is not null)
        {
            await demo.DisposeAsync().ConfigureAwait(false);
        }

        if (production is not null)
        {
            await production.DisposeAsync().ConfigureAwait(false);
        }
    }

    private DatabaseOptions Options(string name, string file)
    {
        if (configuration.GetConnectionString(name) is { Length: > 0 } postgres)
        {
            return new DatabaseOptions { Provider = DatabaseProvider.Postgres, Connection = postgres };
        }

        var directory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(directory);
        return new DatabaseOptions { Provider = DatabaseProvider.Sqlite, Connection = Path.Combine(directory, file) };
    }
}
