using System.Text.RegularExpressions;

namespace Keelson.Server.Http;

/// <summary>Echoes <c>X-Request-ID</c> (or makes one up) and puts it in every log line of the request.</summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    /// <summary>The header name.</summary>
    public const string Header = "X-Request-ID";

    // Only ids a log reader can trust: no control characters or very long values echoed back.
    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex Safe();

    /// <summary>Runs the rest of the pipeline inside a logging scope carrying the request id.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var given = context.Request.Headers[Header].ToString();
        var id = Safe().IsMatch(given) ? given : context.TraceIdentifier;
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = id }))
        {
            await next(context).ConfigureAwait(false);
        }
    }
}
