using System.Globalization;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using StackExchange.Redis;

namespace Keelson.Server.Http;

/// <summary>
/// Tells an outage of a dependency (PostgreSQL, SQLite locked or missing, Redis) from a bug, so the API answers 503
/// with <c>Retry-After</c> and the dependency's name instead of a generic 500. The name is all a client learns: the
/// exception's message can carry hosts, ports or a connection string, so it is never written to a response or a log.
/// </summary>
public static partial class DependencyFailures
{
    /// <summary>Seconds a client is told to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The problem type of a dependency outage.</summary>
    public const string ProblemType = "https://keelson.dev/problems/dependency-unavailable";

    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN: another writer holds the file, or the file/folder is gone.
    private static readonly HashSet<int> SqliteUnavailable = [5, 6, 14];

    // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections: the server is going or not taking more.
    private static readonly HashSet<string> PostgresUnavailable = ["57P01", "57P02", "57P03", "53300"];

    /// <summary>
    /// The unavailable dependency <paramref name="exception"/> (or one it wraps) reports, e.g. "the demo database
    /// (PostgreSQL)"; null when it is not an outage. <paramref name="demo"/> names which database the request used, when known.
    /// </summary>
    public static string? Classify(Exception? exception, bool? demo)
    {
        var database = demo switch { true => "the demo database", false => "the production database", null => "the database" };
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException p when PostgresUnavailable.Contains(p.SqlState) || p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.IsTransient:
                    return $"{database} (PostgreSQL)";
                case PostgresException:
                    // A constraint or syntax error answered by a running server is not an outage.
                    return null;
                case NpgsqlException n when n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException:
                    return $"{database} (PostgreSQL)";
                case SqliteException s when SqliteUnavailable.Contains(s.SqliteErrorCode & 0xFF):
                    return $"{database} (SQLite)";
                case RedisConnectionException or RedisTimeoutException:
                    return "the cache (Redis)";
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return Classify(aggregate.InnerExceptions[0], demo);
                default:
                    break;
            }
        }

        return null;
    }

    /// <summary>The HTTP status for an unhandled exception: a bad request's own, 503 for an outage, else 500.</summary>
    public static int StatusCodeOf(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when Classify(exception, null) is not null => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// Fills the problem for an outage: its title and detail name the dependency, <c>Retry-After</c> is set; false
    /// (nothing changed) for any other exception.
    /// </summary>
    public static bool Describe(ProblemDetailsContext context, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logger);
        var http = context.HttpContext;
        var dependency = Classify(context.Exception, http.Items.ContainsKey(DemoModeFilter.ItemKey) ? DemoModeFilter.IsDemo(http) : null);
        if (dependency is null)
        {
            return false;
        }

        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        context.ProblemDetails.Status = StatusCodes.Status503ServiceUnavailable;
        context.ProblemDetails.Type = ProblemType;
        context.ProblemDetails.Title = $"{Capitalized(dependency)} is unavailable";
        context.ProblemDetails.Detail = $"{Capitalized(dependency)} is not answering. Try again in {RetryAfterSeconds} seconds; /health/ready turns 200 when it is back.";
        context.ProblemDetails.Extensions["dependency"] = dependency;
        // The type only: the message may hold a host, a port or worse.
        LogUnavailable(logger, dependency, http.Request.Method, http.Request.Path, context.Exception!.GetType().Name);
        return true;
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Dependency} is unavailable: {Method} {Path} answered 503 ({ExceptionType})")]
    private static partial void LogUnavailable(ILogger logger, string dependency, string method, string path, string exceptionType);
}
