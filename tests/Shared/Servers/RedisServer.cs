using System.Diagnostics;
using StackExchange.Redis;

namespace Keelson.Testing;

/// <summary>A throw-away redis-server on a free loopback port with persistence off, killed at the end.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? process;

    /// <summary>The StackExchange.Redis configuration string.</summary>
    public string Connection { get; private set; } = string.Empty;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var binary = ExternalProcess.Find("redis-server", "redis-server", "/usr/bin", "/usr/sbin", "/usr/local/bin");
        var port = ExternalProcess.FreePort();
        process = ExternalProcess.Start(binary, ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        Connection = $"127.0.0.1:{port}";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(Connection + ",connectTimeout=1000").ConfigureAwait(false);
                await probe.GetDatabase().PingAsync().ConfigureAwait(false);
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Kills the server; a test that stops it early to see an outage may call this before the fixture does.</summary>
    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref process, null) is not { } running)
        {
            return;
        }

        if (!running.HasExited)
        {
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync().ConfigureAwait(false);
        }

        running.Dispose();
    }
}

/// <summary>Every Redis test class shares one server.</summary>
[CollectionDefinition(Name)]
public sealed class RedisTests : ICollectionFixture<RedisServer>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "redis";
}
