using Keelson.Operations.Storage;
using Keelson.Testing;
using Microsoft.Data.Sqlite;

namespace Keelson.Operations.Tests.Storage;

/// <summary>Makes and removes one empty database for one test, on SQLite or PostgreSQL.</summary>
public abstract class TestDatabase
{
    /// <summary>Creates an empty database.</summary>
    public abstract Task<DatabaseOptions> CreateAsync();

    /// <summary>Removes what <see cref="CreateAsync"/> made.</summary>
    public virtual Task DropAsync() => Task.CompletedTask;
}

/// <summary>A temporary SQLite file, deleted afterwards.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string folder = Directory.CreateTempSubdirectory("keelson-sqlite-").FullName;

    /// <inheritdoc />
    public override Task<DatabaseOptions> CreateAsync() =>
        Task.FromResult(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, Connection = Path.Combine(folder, "keelson.db") });

    /// <inheritdoc />
    public override Task DropAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>A fresh database on the shared PostgreSQL server; the server's deletion at the end removes it.</summary>
public sealed class PostgresTestDatabase(PostgresServer server) : TestDatabase
{
    /// <inheritdoc />
    public override async Task<DatabaseOptions> CreateAsync() =>
        new() { Provider = DatabaseProvider.Postgres, Connection = await server.CreateDatabaseAsync() };
}
