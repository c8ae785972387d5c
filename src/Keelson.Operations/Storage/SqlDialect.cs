using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Keelson.Operations.Storage;

/// <summary>The few places where SQLite and PostgreSQL differ; every query is otherwise shared.</summary>
internal abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect Postgres = new PostgresDialect();

    /// <summary>The folder of migration scripts for this provider.</summary>
    public abstract string MigrationFolder { get; }

    /// <summary>A JSON parameter as SQL: PostgreSQL casts text to JSONB, SQLite keeps the text.</summary>
    public abstract string Json(string parameter);

    /// <summary>A time as this provider stores it.</summary>
    public abstract object Time(DateTimeOffset value);

    /// <summary>True when the exception is a unique or primary-key violation.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Begins a transaction that takes the write lock up front (SQLite) or a plain read-committed one (PostgreSQL).</summary>
    public abstract ValueTask<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins a read-only snapshot so several queries see the same data, without taking a write lock.</summary>
    public abstract ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>SQL run inside the migration transaction, before anything else, so concurrent migrators queue.</summary>
    public abstract string MigrationLock { get; }

    /// <summary>SQL for the migration bookkeeping table.</summary>
    public abstract string CreateMigrationsTable { get; }

    /// <summary>
    /// The suffix of a SELECT that locks its rows for this transaction and skips rows another transaction holds
    /// (PostgreSQL); empty on SQLite, whose immediate transaction already holds the database's only write lock.
    /// </summary>
    public abstract string ForUpdateSkipLocked { get; }

    private sealed class SqliteDialect : SqlDialect
    {
        public override string MigrationFolder => "sqlite";

        public override string Json(string parameter) => parameter;

        // Fixed width so that text comparison in SQL is time comparison.
        public override object Time(DateTimeOffset value) =>
            value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        public override bool IsUniqueViolation(DbException exception) =>
            exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

        // BEGIN IMMEDIATE: the write lock is taken now, so read-then-write inside cannot race another writer.
        public override ValueTask<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
            ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

        public override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
            ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

        // The IMMEDIATE transaction already serializes migrators.
        public override string MigrationLock => "SELECT 1";

        public override string CreateMigrationsTable =>
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

        public override string ForUpdateSkipLocked => "";
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override string MigrationFolder => "postgres";

        public override string Json(string parameter) => $"CAST({parameter} AS jsonb)";

        public override object Time(DateTimeOffset value) => value.ToUniversalTime();

        public override bool IsUniqueViolation(DbException exception) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

        public override async ValueTask<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
            await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        public override async ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
            await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

        // Transaction-scoped: released at commit or rollback, never left behind by a dead session. The key is "keelson" in ASCII.
        public override string MigrationLock => "SELECT pg_advisory_xact_lock(30229308793646958)";

        public override string CreateMigrationsTable =>
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)";

        public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";
    }
}
