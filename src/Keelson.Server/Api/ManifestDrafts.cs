using System.Collections.Concurrent;

namespace Keelson.Server.Api;

/// <summary>
/// The last service body <c>generate-manifests</c> rendered per mode and tenant id, kept in memory for an hour: the
/// ECP-AI deployment wizard offers its package download (a <c>GET</c> naming only the cloud) after generating the
/// manifests and before it creates the tenant, so the download packages what was just generated. One replica's memory;
/// nothing is written to a database.
/// </summary>
public sealed class ManifestDrafts(TimeProvider time)
{
    /// <summary>How long a generated body stays downloadable.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    // Bounded so a client generating for many ids cannot grow the server's memory without limit.
    private const int MaxDrafts = 1000;
    private readonly ConcurrentDictionary<(bool Demo, string TenantId), (TenantRequest Request, DateTimeOffset At)> drafts = new();

    /// <summary>Remembers the body last rendered for the tenant id.</summary>
    public void Remember(bool demo, string tenantId, TenantRequest request)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        if (drafts.Count >= MaxDrafts)
        {
            // The oldest go first: a wizard that is still open generated its body most recently.
            foreach (var old in drafts.OrderBy(d => d.Value.At).Take(drafts.Count - MaxDrafts + 1))
            {
                drafts.TryRemove(old.Key, out _);
            }
        }

        drafts[(demo, tenantId)] = (request, now);
    }

    /// <summary>The body last rendered for the tenant id within <see cref="Lifetime"/>, or null.</summary>
    public TenantRequest? Find(bool demo, string tenantId) =>
        drafts.TryGetValue((demo, tenantId), out var draft) && time.GetUtcNow() - draft.At <= Lifetime ? draft.Request : null;
}
