using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Keelson.Server.Http;

/// <summary>Who is calling: an admin, a tenant-scoped key, or nobody (allowed only in open demo mode).</summary>
public sealed record Caller(bool Admin, string? Tenant)
{
    /// <summary>Whether the caller may act on <paramref name="tenantId"/>.</summary>
    public bool MayAccess(string tenantId) => Admin || Tenant == tenantId;
}

/// <summary>
/// API keys (<c>Authorization: Bearer KEY</c>, <c>X-API-Key: KEY</c>, or Basic credentials with the key as password): production requests always need one; demo
/// requests may run open, but only from loopback and unless <see cref="ServerOptions.RequireApiKeyInDemo"/>. Keys are
/// compared in constant time and never logged or echoed.
/// </summary>
public sealed class ApiKeyFilter(IssuedKeys keys) : IEndpointFilter
{
    internal const string ItemKey = "keelson.caller";

    /// <summary>The caller the filter established for this request.</summary>
    public static Caller CallerOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[ItemKey] as Caller ?? new Caller(false, null);
    }

    /// <inheritdoc/>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var key = Key(http.Request);
        var caller = await keys.AuthenticateAsync(key, DemoModeFilter.IsDemo(http), http, http.RequestAborted).ConfigureAwait(false);
        if (caller is null)
        {
            return key is not null
                ? Problem(StatusCodes.Status401Unauthorized, "The API key is not valid", "Check the key; it may have been revoked or have expired. Keys are configured by the Keelson operator or issued by an admin (POST /api/v1/api-keys).")
                : Problem(StatusCodes.Status401Unauthorized, "An API key is required",
                    "Send Authorization: Bearer KEY or X-API-Key: KEY. Production requests always need a key; demo requests without one are accepted only from loopback.");
        }

        http.Items[ItemKey] = caller;
        if (http.Request.RouteValues.TryGetValue("tenant_id", out var tenant) && tenant is string id && !caller.MayAccess(id))
        {
            return Problems.Forbidden(caller);
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The caller a configured key (or no key) makes in a mode; null when the key is not configured, or a key is required and missing. Issued keys: <see cref="IssuedKeys"/>.</summary>
    public static Caller? Authenticate(ServerOptions settings, string? key, bool demo, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(http);
        if (key is not null)
        {
            return settings.AdminKeys.Any(k => Same(k, key)) ? new Caller(true, null)
                : settings.TenantKeys.FirstOrDefault(k => Same(k.Key, key)) is { Key: not null } scoped ? new Caller(false, scoped.Value)
                : null;
        }

        // The open demo: a developer on the same machine, the seed's examples without keys.
        return demo && !settings.RequireApiKeyInDemo && IsLoopback(http) ? new Caller(true, null) : null;
    }

    /// <summary>The key a request carries in its headers, if any.</summary>
    public static string? Key(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim();
        }

        // Basic credentials carry the key as the password (the user name is ignored), so clients that only know
        // ~/.netrc — Python requests, curl -n — can send a key without code changes.
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 ? pair[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return "";
            }
        }

        var header = request.Headers["X-API-Key"].ToString();
        return header.Length > 0 ? header : null;
    }

    private static bool Same(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    private static bool IsLoopback(HttpContext http) =>
        http.Connection.RemoteIpAddress is null || IPAddress.IsLoopback(http.Connection.RemoteIpAddress);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, type: $"https://keelson.dev/problems/{status}");
}
