namespace Keelson.Server;

/// <summary>The <c>Keelson</c> configuration section (appsettings.json, <c>KEELSON__…</c> variables, flags).</summary>
public sealed class ServerOptions
{
    /// <summary>Where the embedded SQLite databases live.</summary>
    public string DataDirectory { get; set; } = ".keelson/server";

    /// <summary>Whether demo-mode requests need an API key too (production requests always do).</summary>
    public bool RequireApiKeyInDemo { get; set; }

    /// <summary>Keys with access to every tenant.</summary>
    public IList<string> AdminKeys { get; } = [];

    /// <summary>Keys limited to one tenant: key → tenant id.</summary>
    public IDictionary<string, string> TenantKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Mutating requests allowed per client address per minute.</summary>
    public int MutationsPerMinute { get; set; } = 120;

    /// <summary>Largest request body accepted, in bytes (a validate-manifest body carries whole manifests).</summary>
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;
}
