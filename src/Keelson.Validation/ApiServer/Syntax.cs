using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Keelson.Validation.ApiServer;

/// <summary>
/// The name and value syntaxes of <c>k8s.io/apimachinery/pkg/util/validation</c>, each returning what is wrong or null.
/// Messages say what is allowed, as the API server's do.
/// </summary>
public static partial class Syntax
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035LabelRegex();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNamePartRegex();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigMapKeyRegex();

    [GeneratedRegex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$")]
    private static partial Regex Ipv4Regex();

    /// <summary><c>IsDNS1123Label</c>: lower-case letters, digits and '-', starting and ending alphanumeric, at most 63.</summary>
    public static string? Dns1123Label(string value) =>
        value.Length <= 63 && Dns1123LabelRegex().IsMatch(value) ? null
        : "a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

    /// <summary><c>IsDNS1123Subdomain</c>: DNS-1123 labels joined by '.', at most 253.</summary>
    public static string? Dns1123Subdomain(string value) =>
        value.Length <= 253 && Dns1123SubdomainRegex().IsMatch(value) ? null
        : "a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters";

    /// <summary><c>IsDNS1035Label</c>: as a DNS-1123 label, but starting with a letter.</summary>
    public static string? Dns1035Label(string value) =>
        value.Length <= 63 && Dns1035LabelRegex().IsMatch(value) ? null
        : "a DNS-1035 label: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters";

    /// <summary><c>IsValidPortName</c> (IANA_SVC_NAME): at most 15 lower-case letters, digits and '-', with a letter, no '--', no '-' at either end.</summary>
    public static string? PortName(string value) =>
        value.Length is >= 1 and <= 15 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && value.Any(char.IsAsciiLetterLower)
        && !value.Contains("--", StringComparison.Ordinal) && value[0] != '-' && value[^1] != '-' ? null
        : "an IANA_SVC_NAME: at most 15 characters, lower-case letters, digits and '-', at least one letter, no '--' and no '-' at either end";

    /// <summary><c>IsQualifiedName</c>: an optional DNS subdomain prefix and '/', then at most 63 alphanumerics, '-', '_' and '.'.</summary>
    public static string? QualifiedName(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? value : value[(slash + 1)..];
        var ok = name.Length <= 63 && QualifiedNamePartRegex().IsMatch(name)
            && (slash < 0 || (slash > 0 && Dns1123Subdomain(value[..slash]) is null && !name.Contains('/', StringComparison.Ordinal)));
        return ok ? null : "a qualified name: an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    }

    /// <summary><c>IsValidLabelValue</c>: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending alphanumeric.</summary>
    public static string? LabelValue(string value) =>
        value.Length == 0 || (value.Length <= 63 && QualifiedNamePartRegex().IsMatch(value)) ? null
        : "a label value: empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

    /// <summary><c>IsConfigMapKey</c>: letters, digits, '-', '_' and '.', at most 253, not '.', '..' or starting with '..'.</summary>
    public static string? ConfigMapKey(string value) =>
        value.Length <= 253 && ConfigMapKeyRegex().IsMatch(value) && value != "." && !value.StartsWith("..", StringComparison.Ordinal) ? null
        : "a key of letters, digits, '-', '_' and '.', at most 253 characters, not '.' and not starting with '..'";

    /// <summary>
    /// <c>IsRelaxedEnvVarName</c>: printable ASCII other than '=' (the rule from Kubernetes 1.32, where
    /// RelaxedEnvironmentVariableValidation is on by default; older servers also refuse names starting with a digit or holding spaces).
    /// </summary>
    public static string? EnvVarName(string value) =>
        value.Length > 0 && value.All(c => c is >= ' ' and <= '~' && c != '=') ? null
        : "an environment variable name: printable ASCII characters other than '='";

    /// <summary><c>ValidatePathSegmentName</c>: anything but '.', '..' and names holding '/' or '%' (RBAC object names).</summary>
    public static string? PathSegmentName(string value) =>
        value is "." or ".." || value.Contains('/', StringComparison.Ordinal) || value.Contains('%', StringComparison.Ordinal) ? "a path segment: not '.' or '..', without '/' or '%'" : null;

    /// <summary><c>IsValidIP</c>: an IPv4 dotted quad or an IPv6 address.</summary>
    public static string? Ip(string value) =>
        (Ipv4Regex().IsMatch(value) || value.Contains(':', StringComparison.Ordinal)) && IPAddress.TryParse(value, out _) ? null : "an IP address such as 10.0.0.1 or fd00::1";

    /// <summary><c>IsValidCIDR</c>: an IP address, '/', and a prefix length within the address's bits.</summary>
    public static string? Cidr(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && Ip(value[..slash]) is null && int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
            && bits <= (value.Contains(':', StringComparison.Ordinal) ? 128 : 32) ? null : "a CIDR such as 10.0.0.0/16 or fd00::/64";
    }

    /// <summary>An <c>IntOrString</c> port: a number 1–65535 or an IANA_SVC_NAME, as probes, targetPorts and policies use.</summary>
    public static string? NumberOrPortName(string value, bool plain) =>
        plain && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var port)
            ? port is >= 1 and <= 65535 ? null : "a port number 1–65535 or a port name"
            : PortName(value);
}
