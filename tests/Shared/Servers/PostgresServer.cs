using Npgsql;

namespace Keelson.Testing;

/// <summary>A throw-away PostgreSQL cluster on loopback for one test run: initdb into a temp folder, pg_ctl start on a free port,
/// a fresh database per test, stopped and deleted at the end. As root (CI), the server runs as the 'postgres' user, since PostgreSQL refuses root.</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Package = "postgresql";
    private static readonly string[] BinFolders = ["/usr/lib/postgresql/*/bin"];
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(2);
    private string root = string.Empty;
    private string pgCtl = string.Empty;
    private int port;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var initdb = ExternalProcess.Find("initdb", Package, BinFolders);
        pgCtl = ExternalProcess.Find("pg_ctl", Package, BinFolders);
        root = Directory.CreateTempSubdirectory("keelson-pg-").FullName;
        if (ExternalProcess.IsRoot)
        {
            // PostgreSQL refuses to run as root; Debian's postgresql package creates this user.
            try
            {
                await ExternalProcess.RunAsync("id", ["-u", "postgres"], Slow).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException("Running as root, the tests start PostgreSQL as the 'postgres' user, which does not exist: install the Debian package 'postgresql' (./test does).", e);
            }

            await ExternalProcess.RunAsync("chown", ["-R", "postgres:", root], Slow).ConfigureAwait(false);
        }

        await RunAsync(initdb, ["-D", Data, "-U", "keelson", "-A", "trust", "-E", "UTF8", "--no-sync"]).ConfigureAwait(false);
        port = ExternalProcess.FreePort();
        await ResumeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the server at once (connections cut, as in an outage); <see cref="ResumeAsync"/> starts it again on the same port.</summary>
    public Task StopAsync() => RunAsync(pgCtl, ["-D", Data, "-m", "immediate", "-w", "stop"]);

    /// <summary>Starts the server (again) on its port, with its data.</summary>
    public Task ResumeAsync() => RunAsync(pgCtl, [
        "-D", Data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "120",
        "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200",
        "start"]);

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return ConnectionString(name);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (port != 0)
        {
            await RunAsync(pgCtl, ["-D", Data, "-m", "immediate", "-w", "stop"]).ConfigureAwait(false);
        }

        if (root.Length > 0)
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private string Data => Path.Combine(root, "data");

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={port};Username=keelson;Database={database};Timeout=30;Command Timeout=60";

    private static Task<string> RunAsync(string binary, IReadOnlyList<string> arguments) =>
        ExternalProcess.IsRoot
            ? ExternalProcess.RunAsync(ExternalProcess.Find("runuser", "util-linux", "/usr/sbin", "/sbin"), ["-u", "postgres", "--", binary, .. arguments], Slow)
            : ExternalProcess.RunAsync(binary, arguments, Slow);
}

/// <summary>Every PostgreSQL test class shares one server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "postgres";
}
