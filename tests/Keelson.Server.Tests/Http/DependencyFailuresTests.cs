using System.Net.Sockets;
using Keelson.Server.Http;
using Microsoft.Data.Sqlite;
using Npgsql;
using StackExchange.Redis;

namespace Keelson.Server.Tests.Http;

public sealed class DependencyFailuresTests
{
    [Fact]
    public void Outages_name_their_dependency_and_answer_503()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
        Assert.Equal("the demo database (PostgreSQL)", DependencyFailures.Classify(refused, demo: true));
        Assert.Equal("the production database (PostgreSQL)", DependencyFailures.Classify(new InvalidOperationException("wrapped", refused), demo: false));
        Assert.Equal("the database (PostgreSQL)", DependencyFailures.Classify(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), null));
        Assert.Equal("the demo database (SQLite)", DependencyFailures.Classify(new SqliteException("database is locked", 5), demo: true));
        // The client's own constructors, as it throws them; only their newer overloads' extra argument differs.
#pragma warning disable CS0618
        Assert.Equal("the cache (Redis)", DependencyFailures.Classify(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is available"), demo: true));
        Assert.Equal("the cache (Redis)", DependencyFailures.Classify(new RedisTimeoutException("Timeout performing GET", CommandStatus.Sent), null));
#pragma warning restore CS0618
        Assert.Equal(503, DependencyFailures.StatusCodeOf(refused));
    }

    [Fact]
    public void Errors_answered_by_a_running_server_and_bugs_stay_what_they_are()
    {
        Assert.Null(DependencyFailures.Classify(new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505"), true));
        Assert.Null(DependencyFailures.Classify(new SqliteException("constraint failed", 19), true));
        Assert.Null(DependencyFailures.Classify(new InvalidOperationException("a bug"), true));
        Assert.Equal(500, DependencyFailures.StatusCodeOf(new InvalidOperationException("a bug")));
        Assert.Equal(400, DependencyFailures.StatusCodeOf(new Microsoft.AspNetCore.Http.BadHttpRequestException("bad offset", 400)));
    }
}
