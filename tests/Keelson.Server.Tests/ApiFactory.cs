using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Keelson.Server.Tests;

/// <summary>The server over fresh SQLite demo and production databases in a temporary directory.</summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    private readonly string directory = Directory.CreateTempSubdirectory("keelson-api-").FullName;

    /// <summary>The data directory: databases, and the embedded sandbox's state and kubeconfig under <c>sandbox/</c>.</summary>
    public string DataDirectory => directory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:DataDirectory", directory);

        // The embedded sandbox's clock runs fast and verify polls often, so a deployment takes a second or two, not minutes.
        builder.UseSetting("Keelson:Clusters:SandboxSpeed", "60");
        builder.UseSetting("Keelson:Deployments:PollInterval", "00:00:00.200");
        ConfigureSettings(builder);
    }

    /// <summary>More settings for a derived fixture.</summary>
    protected virtual void ConfigureSettings(IWebHostBuilder builder)
    {
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>The server with an admin key, a key scoped to tenant <c>dep-mine</c>, and keys required in demo mode too.</summary>
public sealed class KeyedApiFactory : ApiFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:AdminKeys:0", "admin-key-1");
        builder.UseSetting("Keelson:TenantKeys:mine-key-1", "dep-mine");
        builder.UseSetting("Keelson:RequireApiKeyInDemo", "true");
    }
}
