using Microsoft.Data.Sqlite;

namespace Keelson.Cli.Tests.Commands;

public sealed class DbCommandTests
{
    [Fact]
    public async Task Db_migrate_on_sqlite_applies_once_then_reports_up_to_date()
    {
        var folder = Directory.CreateTempSubdirectory("keelson-db-").FullName;
        try
        {
            var file = Path.Combine(folder, "nested", "keelson.db");

            var (exit, output, error) = await Cli.Run("db", "migrate", "--provider", "sqlite", "--connection", file);
            var (again, secondOutput, _) = await Cli.Run("db", "migrate", "--connection", file);

            Assert.True(exit == 0, error);
            Assert.Contains("applied 1 0001_initial", output, StringComparison.Ordinal);
            Assert.Equal(0, again);
            Assert.DoesNotContain("applied 1", secondOutput, StringComparison.Ordinal);
            Assert.Contains("(0 applied now)", secondOutput, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Db_migrate_names_the_allowed_providers_and_needs_a_postgres_connection()
    {
        var (badProvider, _, providerError) = await Cli.Run("db", "migrate", "--provider", "mysql");
        var (noConnection, _, connectionError) = await Cli.Run("db", "migrate", "--provider", "postgres");

        Assert.Equal(KeelsonCli.BadInput, badProvider);
        Assert.Contains("'sqlite' or 'postgres'", providerError, StringComparison.Ordinal);
        Assert.Equal(KeelsonCli.BadInput, noConnection);
        Assert.Contains("PostgreSQL connection string", connectionError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Db_migrate_reports_an_unreachable_postgres_server_plainly()
    {
        var (exit, _, error) = await Cli.Run("db", "migrate", "--provider", "postgres", "--connection", "Host=127.0.0.1;Port=1;Username=x;Database=x;Timeout=2");

        Assert.Equal(KeelsonCli.Findings, exit);
        Assert.StartsWith("keelson: the postgres database:", error, StringComparison.Ordinal);
    }
}
