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
        if (disposing)
        {
            DeleteDirectory(directory);
        }
    }

    /// <summary>
    /// Deletes a test's data directory. The host has stopped, but a background writer that was cancelled (the sandbox's
    /// checkpoint, a SQLite journal) can still be closing a file for a moment, so a failed delete is tried again; what
    /// still cannot be deleted after two seconds is left in the temporary folder rather than failing the test class.
    /// </summary>
    internal static void DeleteDirectory(string path)
    {
        for (var attempt = 1; Directory.Exists(path); attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(100);
            }
            catch (IOException)
            {
                return;
            }
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
