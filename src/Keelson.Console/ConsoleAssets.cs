using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Keelson.Console;

/// <summary>
/// The console's browser files, embedded in this assembly: its own (<c>/_console/…</c>), Blazor's script
/// (<c>/_framework/blazor.web.js</c>), Fluent UI's web components and styles (<c>/_content/Microsoft.FluentUI.AspNetCore.Components/…</c>)
/// and Plotly's charts (<c>/_content/Plotly.Blazor/…</c>).
/// </summary>
internal static class ConsoleAssets
{
    private const string FluentPrefix = "_content/Microsoft.FluentUI.AspNetCore.Components/";
    private const string PlotlyPrefix = "_content/Plotly.Blazor/";

    // URL path (without the leading slash) → (resource name, ETag), built once from the assembly's manifest.
    private static readonly FrozenDictionary<string, (string Resource, string ETag)> Files = Load();

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/_console/{**path}", (string path, HttpContext http) => Serve("_console/" + path, http)).ExcludeFromDescription();
        endpoints.MapGet("/_framework/blazor.web.js", (HttpContext http) => Serve("_framework/blazor.web.js", http)).ExcludeFromDescription();
        endpoints.MapGet("/" + FluentPrefix + "{**path}", (string path, HttpContext http) => Serve(FluentPrefix + path, http)).ExcludeFromDescription();
        endpoints.MapGet("/" + PlotlyPrefix + "{**path}", (string path, HttpContext http) => Serve(PlotlyPrefix + path, http)).ExcludeFromDescription();
    }

    private static IResult Serve(string path, HttpContext http)
    {
        if (!Files.TryGetValue(path, out var file))
        {
            return Results.NotFound();
        }

        var etag = new EntityTagHeaderValue(file.ETag);
        http.Response.Headers.CacheControl = "no-cache";
        var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream(file.Resource)!;
        return Results.Stream(stream, ContentType(path), entityTag: etag);
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private static FrozenDictionary<string, (string, string)> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var path = name switch
            {
                _ when name.StartsWith("console/", StringComparison.Ordinal) => "_console/" + name["console/".Length..],
                _ when name.StartsWith("framework/", StringComparison.Ordinal) => "_framework/" + name["framework/".Length..],
                _ when name.StartsWith("fluent/", StringComparison.Ordinal) => FluentPrefix + name["fluent/".Length..],
                _ when name.StartsWith("plotly/", StringComparison.Ordinal) => PlotlyPrefix + name["plotly/".Length..],
                _ => null,
            };
            if (path is not null)
            {
                files[path.Replace('\\', '/')] = (name, ETagOf(assembly, name));
            }
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ETagOf(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        return "\"" + Convert.ToHexStringLower(SHA256.HashData(stream))[..16] + "\"";
    }
}
