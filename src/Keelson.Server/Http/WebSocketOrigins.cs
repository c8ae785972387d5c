using Microsoft.Extensions.Options;

namespace Keelson.Server.Http;

/// <summary>
/// Refuses a WebSocket handshake from another site's page (403). No CORS check guards a WebSocket, so without this a page
/// anywhere could open the demo streams a server on this machine serves without a key (cross-site WebSocket hijacking).
/// A browser always sends <c>Origin</c> on a handshake; allowed are the server's own origin (its <c>Host</c>, or
/// <c>X-Forwarded-Host</c> behind a proxy), and <c>Keelson:CorsOrigins</c> and <c>Keelson:DemoOrigins</c>. Clients that
/// send no <c>Origin</c> (curl, the Python and .NET clients, the console's own server-side connections) are not browsers
/// and pass.
/// </summary>
public static class WebSocketOrigins
{
    /// <summary>Adds the check in front of every WebSocket route.</summary>
    public static IApplicationBuilder UseWebSocketOriginCheck(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
        string[] listed = [.. options.CorsOrigins.Concat(options.DemoOrigins).Select(o => o.TrimEnd('/'))];
        return app.Use(async (http, next) =>
        {
            if (http.WebSockets.IsWebSocketRequest && http.Request.Headers.Origin.FirstOrDefault() is { Length: > 0 } origin && !Allowed(http.Request, origin, listed))
            {
                await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "WebSocket from another site refused",
                    detail: $"The handshake's Origin '{origin}' is not this server's; list the page's origin in Keelson:CorsOrigins to let it connect.",
                    type: "https://keelson.dev/problems/403").ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            await next(http).ConfigureAwait(false);
        });
    }

    /// <summary>Whether a page of <paramref name="origin"/> may open a WebSocket on <paramref name="request"/>'s server.</summary>
    public static bool Allowed(HttpRequest request, string origin, IReadOnlyCollection<string> listed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(listed);
        if (listed.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var page) || page.Scheme is not ("http" or "https"))
        {
            return false;
        }

        // The handshake names the host the page connected to; the page's own origin must be that host.
        var authority = page.IsDefaultPort ? page.Host : $"{page.Host}:{page.Port}";
        var forwarded = request.Headers["X-Forwarded-Host"].FirstOrDefault()?.Split(',')[0].Trim();
        return string.Equals(authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            || (forwarded is { Length: > 0 } && string.Equals(authority, forwarded, StringComparison.OrdinalIgnoreCase));
    }
}
