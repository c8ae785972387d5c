namespace Keelson.Operations.ApiKeys;

/// <summary>An API key issued at run time, as stored: everything but the secret, which only its creator ever sees.</summary>
/// <param name="Id">The key's id (<c>key_</c> + 16 hex digits), used to revoke it.</param>
/// <param name="Prefix">The secret's first characters (e.g. <c>kls_AbCd</c>), so people can tell keys apart.</param>
/// <param name="Name">What the key is for, e.g. <c>ci deployer</c>.</param>
/// <param name="TenantId">The one tenant the key may access; null for an admin key.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
/// <param name="LastUsedAt">When it last authenticated a request (to the minute); null if never.</param>
/// <param name="RevokedAt">When it was revoked; null while it works.</param>
public sealed record ApiKeyRecord(
    string Id,
    string Prefix,
    string Name,
    string? TenantId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the key authenticates requests at <paramref name="now"/>.</summary>
    public bool WorksAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
