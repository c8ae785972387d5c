using System.Globalization;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Cell texts shared by several printers: label selectors, access modes, quantities and counts as kubectl writes them.</summary>
public static class Selectors
{
    /// <summary>A label selector in the API server's form (<c>app=web,tier in (a,b),!gone</c>), or <c>&lt;none&gt;</c> when it selects everything.</summary>
    public static string Format(V1LabelSelector? selector)
    {
        var terms = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector?.MatchLabels ?? new Dictionary<string, string>())
        {
            terms.Add((key, $"{key}={value}"));
        }

        foreach (var expression in selector?.MatchExpressions ?? [])
        {
            var values = string.Join(',', (expression.Values ?? []).Order(StringComparer.Ordinal));
            terms.Add((expression.Key, expression.OperatorProperty switch
            {
                "In" => $"{expression.Key} in ({values})",
                "NotIn" => $"{expression.Key} notin ({values})",
                "DoesNotExist" => $"!{expression.Key}",
                _ => expression.Key,
            }));
        }

        return terms.Count == 0 ? "<none>" : string.Join(',', terms.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Text));
    }

    /// <summary>Access modes abbreviated as kubectl prints them: RWO, ROX, RWX, RWOP.</summary>
    public static string AccessModes(IList<string>? modes) => string.Join(',', (modes ?? []).Distinct(StringComparer.Ordinal).Select(mode => mode switch
    {
        "ReadWriteOnce" => "RWO",
        "ReadOnlyMany" => "ROX",
        "ReadWriteMany" => "RWX",
        "ReadWriteOncePod" => "RWOP",
        _ => mode,
    }));

    /// <summary>The storage quantity of a resource list, or empty.</summary>
    public static string Storage(IDictionary<string, ResourceQuantity>? resources) =>
        resources is not null && resources.TryGetValue("storage", out var quantity) ? quantity.ToString() : "";

    /// <summary>A timestamp as the API server's date columns carry it (RFC 3339, UTC).</summary>
    public static string Timestamp(DateTime? time) =>
        time is { } at ? at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "<unknown>";

    /// <summary>A list joined by commas, or <c>&lt;none&gt;</c>.</summary>
    public static string JoinOrNone(IEnumerable<string> items, string separator = ",") =>
        string.Join(separator, items) is { Length: > 0 } joined ? joined : "<none>";
}
