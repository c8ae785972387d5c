using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Keelson.Operations.Storage;

/// <summary>An open SQLite or PostgreSQL database: hands out connections and applies the schema migrations.</summary>
public sealed class Database : IAsyncDisposable
{
    // SQLite lets one writer in at a time and makes the others sleep and retry in its busy handler, each holding a
    // thread (Microsoft.Data.Sqlite is synchronous underneath): eight deployments recording steps at once starved the
    // thread pool that serves requests. This process's writers queue here instead, asynchronously and in order; the
    // busy handler still arbitrates with other processes. A flow that already holds it does not wait for it again.
    private static readonly TimeSpan WriterWait = TimeSpan.FromSeconds(30);
    private static readonly AsyncLocal<Database?> WriterHeldBy = new();
    private readonly SemaphoreSlim? writers;
    private readonly NpgsqlDataSource? postgres;
    private readonly string? sqliteConnectionString;

    private Database(DatabaseProvider provider, NpgsqlDataSource? postgres, string? sqliteConnectionString, TimeProvider clock)
    {
        Provider = provider;
        Clock = clock;
        this.postgres = postgres;
        this.sqliteConnectionString = sqliteConnectionString;
        writers = provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;
        Dialect = provider == DatabaseProvider.Sqlite ? SqlDialect.Sqlite : SqlDialect.Postgres;
    }

    /// <summary>The engine.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>The clock every store stamps records with.</summary>
    public TimeProvider Clock { get; }

    internal SqlDialect Dialect { get; }

    /// <summary>Opens the database the options name; nothing is connected until first use. Records are stamped by <paramref name="clock"/> (the system clock by default).</summary>
    public static Database Open(DatabaseOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        clock ??= TimeProvider.System;
        return options.Provider switch
        {
            DatabaseProvider.Postgres => new Database(options.Provider, NpgsqlDataSource.Create(options.Connection), null, clock),
            _ => new Database(options.Provider, null, SqliteConnectionString(options.Connection), clock),
        };
    }

    /// <summary>Applies the migrations not yet applied and returns them; safe when several processes start at once.</summary>
    public Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken) =>
        new SchemaMigrator(this).ApplyAsync(cancellationToken);

    /// <summary>The migrations this build ships for a provider, in version order.</summary>
    public static IReadOnlyList<Migration> Migrations(DatabaseProvider provider) =>
        [.. SchemaMigrator.Scripts(provider).Select(s => s.Migration)];

    /// <summary>True when the database answers a trivial query; for readiness checks.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync().ConfigureAwait(false);
        }

        writers?.Dispose();
    }

    /// <summary>Now, cut to whole microseconds (PostgreSQL's precision) so a returned record equals the one read back later.</summary>
    internal DateTimeOffset Now()
    {
        var now = Clock.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % 10));
    }

    internal async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (postgres is not null)
        {
            return await postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(sqliteConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it; rolls back on any exception.</summary>
    internal Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await using var transaction = await Dialect.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/>, which writes, on its own connection; on SQLite after this process's earlier writers.</summary>
    internal async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        // Past the wait, SQLite's own busy handling decides, as it would without the queue.
        var queued = writers is not null && WriterHeldBy.Value != this && await writers.WaitAsync(WriterWait, cancellationToken).ConfigureAwait(false);
        try
        {
            if (queued)
            {
                WriterHeldBy.Value = this;
            }

            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        finally
        {
            if (queued)
            {
                WriterHeldBy.Value = null;
                writers!.Release();
            }
        }
    }

    private static string SqliteConnectionString(string connection)
    {
        var builder = connection.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(connection)
            : new SqliteConnectionStringBuilder { DataSource = connection };
        builder.ForeignKeys = true;
        builder.Pooling = true;

        // Also the busy timeout: a writer waits this long for another process's write lock instead of failing at once.
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }

        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { Length: > 0 } directory && builder.DataSource != ":memory:")
        {
            Directory.CreateDirectory(directory);
        }

        return builder.ToString();
    }
}
