using Keelson.Operations.ApiKeys;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Http;

/// <summary>
/// Authenticates a request's key: configured keys (<c>Keelson:AdminKeys</c>, <c>Keelson:TenantKeys</c>) first, then keys
/// issued at run time, which live in the production database because a key is not per mode (docs/api.md, "API keys").
/// Only secrets that start with <see cref="ApiKeySecret.Marker"/> are looked up, so configured keys and junk cost no query.
/// </summary>
public sealed class IssuedKeys(IOptions<ServerOptions> options, TenantDatabases databases, TimeProvider time)
{
    // Recording every use would make every request a write; the minute is what the list shows anyway.
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    /// <summary>The issued keys' store (the production database's).</summary>
    public SqlApiKeyStore Store => databases.For(isDemo: false).ApiKeys;

    /// <summary>The caller a key (or no key) makes in a mode; null when the key is unknown, revoked or expired, or a key is required and missing.</summary>
    public async Task<Caller?> AuthenticateAsync(string? key, bool demo, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (ApiKeyFilter.Authenticate(options.Value, key, demo, http) is { } configured)
        {
            return configured;
        }

        if (key is null || !key.StartsWith(ApiKeySecret.Marker, StringComparison.Ordinal) || !databases.IsOpen)
        {
            return null;
        }

        var issued = await Store.FindAsync(ApiKeySecret.Hash(key), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (issued is null || !issued.WorksAt(now))
        {
            return null;
        }

        if (issued.LastUsedAt is not { } last || now - last >= TouchEvery)
        {
            await Store.TouchAsync(issued.Id, now, cancellationToken).ConfigureAwait(false);
        }

        return new Caller(issued.TenantId is null, issued.TenantId);
    }
}
