using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;

namespace Keelson.Console.Api;

/// <summary>
/// Where the console's components reach the API: <c>Keelson:Console:ApiUrl</c> when set, else the address this server
/// listens on (a wildcard host such as <c>0.0.0.0</c> or <c>+</c> becomes loopback). The browser's own URL is not used:
/// behind a proxy it may not resolve from the server.
/// </summary>
public sealed class ApiAddress(IServer server, IConfiguration configuration)
{
    private Uri? resolved;

    /// <summary>The base address, ending in <c>/</c>.</summary>
    public Uri Base => resolved ??= Resolve();

    private Uri Resolve()
    {
        if (configuration["Keelson:Console:ApiUrl"] is { Length: > 0 } configured)
        {
            return new Uri(configured.TrimEnd('/') + "/");
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server listens on no address; set Keelson:Console:ApiUrl.");
        var builder = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (builder.Host is "0.0.0.0" or "localhost")
        {
            builder.Host = "127.0.0.1";
        }
        else if (builder.Host is "[::]" or "::")
        {
            builder.Host = "[::1]";
        }

        builder.Path = "/";
        return builder.Uri;
    }
}
