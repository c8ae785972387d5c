using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Keelson.Operations.Storage;

/// <summary>An open SQLite or PostgreSQL database: hands out connections and applies the schema migrations.</summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? postgres;
    private readonly string? sqliteConnectionString;

    private Database(DatabaseProvider provider, NpgsqlDataSource? postgres, string? sqliteConnectionString, TimeProvider clock)
    {
        Provider = provider;
        Clock = clock;
        this.postgres = postgres;
        this.sqliteConnectionString = sqliteConnectionString;
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
    internal async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await Dialect.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
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
