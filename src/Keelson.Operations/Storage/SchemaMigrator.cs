using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace Keelson.Operations.Storage;

/// <summary>Applies the embedded numbered scripts of one provider, each once, recorded in <c>schema_migrations</c>.</summary>
internal sealed class SchemaMigrator(Database database)
{
    private const string Prefix = "migrations/";

    // What SQLite's SQL cannot do itself, run right after the script of the same version in the same transaction
    // (PostgreSQL's scripts do it in SQL).
    private static readonly Dictionary<int, Func<DbConnection, DbTransaction, CancellationToken, Task>> SqliteCodeSteps = new()
    {
        [18] = Monitoring.MetricChunks.BackfillAsync,
    };

    /// <summary>The migrations shipped for a provider, in version order.</summary>
    public static IReadOnlyList<(Migration Migration, string Sql)> Scripts(DatabaseProvider provider)
    {
        var folder = Prefix + (provider == DatabaseProvider.Sqlite ? SqlDialect.Sqlite : SqlDialect.Postgres).MigrationFolder + "/";
        var assembly = typeof(SchemaMigrator).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Migration: Parse(n[folder.Length..^4]), Sql: Read(assembly, n)))
            .OrderBy(s => s.Migration.Version)];
    }

    public async Task<IReadOnlyList<Migration>> ApplyAsync(CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers go on while one process writes; it cannot be switched inside a transaction.
            await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var wal = connection.Command(null, "PRAGMA journal_mode=WAL");
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await database.InTransactionAsync<IReadOnlyList<Migration>>(async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, dialect.MigrationLock, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, dialect.CreateMigrationsTable, cancellationToken).ConfigureAwait(false);

            var done = new HashSet<int>();
            await using (var select = connection.Command(transaction, "SELECT version FROM schema_migrations"))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    done.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
                }
            }

            var applied = new List<Migration>();
            foreach (var (migration, sql) in Scripts(database.Provider).Where(s => !done.Contains(s.Migration.Version)))
            {
                await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
                if (database.Provider == DatabaseProvider.Sqlite && SqliteCodeSteps.TryGetValue(migration.Version, out var step))
                {
                    await step(connection, transaction, cancellationToken).ConfigureAwait(false);
                }

                await using var record = connection.Command(
                    transaction,
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                    ("@version", migration.Version),
                    ("@name", migration.Name),
                    ("@at", dialect.Time(database.Now())));
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                applied.Add(migration);
            }

            return applied;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Migration Parse(string name)
    {
        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !int.TryParse(name[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration script '{name}.sql' must be named NNNN_description.sql.");
        }

        return new Migration(version, name);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
