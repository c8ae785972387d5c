using System.Text.RegularExpressions;

namespace Keelson.Operations.Tenants;

/// <summary>Tenant ids are DNS labels because each names a namespace.</summary>
public static partial class TenantIds
{
    /// <summary>True for an RFC 1123 label: lower-case letters, digits and '-', starting and ending alphanumeric, at most 63.</summary>
    public static bool IsValid(string? tenantId) => tenantId is { Length: > 0 and <= 63 } && Label().IsMatch(tenantId);

    /// <summary>Throws naming the rule when <paramref name="tenantId"/> is not a DNS label.</summary>
    public static void Require(string tenantId)
    {
        if (!IsValid(tenantId))
        {
            throw new ArgumentException($"tenant_id '{tenantId}' must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit.", nameof(tenantId));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
