using Keelson.Operations.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Storage;

/// <summary>Migrations: a fresh database gets all, a second run applies none, concurrent starters apply each once.</summary>
public abstract class MigrationContract(TestDatabase target) : StoreContract(target)
{
    /// <inheritdoc />
    protected override bool Migrate => false;

    [Fact]
    public async Task A_fresh_database_gets_every_migration_in_order()
    {
        var applied = await Database.MigrateAsync(CancellationToken.None);

        Assert.NotEmpty(applied);
        Assert.Equal(1, applied[0].Version);
        Assert.Equal(applied.Select(m => m.Version).Order(), applied.Select(m => m.Version));
        Assert.Equal("0001_initial", applied[0].Name);
        Assert.Equal(applied.Count, await CountAsync("schema_migrations"));
        Assert.Equal(0, await CountAsync("tenants"));
    }

    [Fact]
    public async Task Running_again_applies_nothing()
    {
        var first = await Database.MigrateAsync(CancellationToken.None);
        var second = await OpenAnother().MigrateAsync(CancellationToken.None);

        Assert.Empty(second);
        Assert.Equal(first.Count, await CountAsync("schema_migrations"));
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_version_exactly_once()
    {
        var migrators = Enumerable.Range(0, 4).Select(_ => OpenAnother()).ToList();

        var results = await Task.WhenAll(migrators.Select(m => Task.Run(() => m.MigrateAsync(CancellationToken.None))));

        var all = results.SelectMany(r => r).Select(m => m.Version).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
        Assert.Equal(1, results.Count(r => r.Count > 0));
        Assert.Equal(all.Count, await CountAsync("schema_migrations"));
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The migration contract on SQLite.</summary>
public sealed class SqliteMigrationTests() : MigrationContract(new SqliteTestDatabase());

/// <summary>The migration contract on PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresMigrationTests(PostgresServer server) : MigrationContract(new PostgresTestDatabase(server));
