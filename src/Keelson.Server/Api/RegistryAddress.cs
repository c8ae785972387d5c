using System.Globalization;
using System.Text.RegularExpressions;

namespace Keelson.Server.Api;

/// <summary>
/// A container registry address as people write it — <c>harbor.ecp-ai.com</c>, <c>localhost:5000</c>,
/// <c>https://registry.example.com/v2</c> — checked without contacting it.
/// </summary>
/// <param name="Scheme"><c>https</c> unless the address said <c>http</c>.</param>
/// <param name="Host">The host name or IP address, lower case.</param>
/// <param name="Port">The port when given.</param>
/// <param name="Path">Any path after the host, without the leading slash; empty when none.</param>
public sealed partial record RegistryAddress(string Scheme, string Host, int? Port, string Path)
{
    /// <summary>The address as an image reference prefix: host, port and path, no scheme.</summary>
    public string Prefix => Host + (Port is { } p ? string.Create(CultureInfo.InvariantCulture, $":{p}") : "") + (Path.Length > 0 ? "/" + Path : "");

    /// <summary>The address, or why it is not one.</summary>
    public static (RegistryAddress? Address, string? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.Trim();
        var scheme = "https";
        var separator = rest.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
        {
            scheme = rest[..separator].ToLowerInvariant();
            if (scheme is not ("http" or "https"))
            {
                return (null, $"'{text}' has scheme '{scheme}'; a registry address is a host such as harbor.example.com, optionally with http:// or https://, a port and a path");
            }

            rest = rest[(separator + 3)..];
        }

        var match = Address().Match(rest);
        if (!match.Success)
        {
            return (null, $"'{text}' is not a registry address; write a host such as harbor.example.com or localhost:5000, optionally with https:// and a path");
        }

        int? port = null;
        if (match.Groups["port"].Success)
        {
            var value = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
            if (value is < 1 or > 65535)
            {
                return (null, $"'{text}' has port {value}; ports are 1 to 65535");
            }

            port = value;
        }

        return (new RegistryAddress(scheme, match.Groups["host"].Value.ToLowerInvariant(), port, match.Groups["path"].Value.Trim('/')), null);
    }

    [GeneratedRegex(@"^(?<host>[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)(:(?<port>[0-9]{1,5}))?(?<path>(/[a-z0-9]+([._-][a-z0-9]+)*)*)/?$")]
    private static partial Regex Address();
}
