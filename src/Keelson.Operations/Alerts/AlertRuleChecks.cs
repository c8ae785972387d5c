using System.Collections.Immutable;
using Keelson.Operations.Notifications;

namespace Keelson.Operations.Alerts;

/// <summary>A rule field that cannot be accepted: which field, where in it (1-based column, 0 when not positional) and why.</summary>
public sealed record RuleProblem(string Field, int Column, string Detail);

/// <summary>Checks that need more than the grammar: metric names the tenant has, the seed's actions, secret-free display of URLs.</summary>
public static class AlertRuleChecks
{
    /// <summary>The first selector naming a metric outside <paramref name="known"/> (the tenant's stored series and well-known names), or null.</summary>
    public static RuleProblem? UnknownMetric(Condition condition, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var names = known.ToHashSet(StringComparer.Ordinal);
        var unknown = condition.Selectors().FirstOrDefault(s => !names.Contains(s.Metric));
        return unknown is null ? null : new RuleProblem("condition", unknown.Column,
            $"column {unknown.Column}: unknown metric '{unknown.Metric}'; known: {string.Join(", ", names.Order(StringComparer.Ordinal).Take(20))}");
    }

    /// <summary>Maps one of the seed's actions (<c>webhook</c>, <c>slack</c>, <c>email</c>) to a receiver; only absolute http(s) URLs.</summary>
    public static ReceiverSpec ToReceiver(string type, string? url, string? method, IReadOnlyList<string>? recipients, string? channel = null) => type switch
    {
        "webhook" => new WebhookReceiver(HttpUrl(url, "webhook"), string.IsNullOrEmpty(method) ? "POST" : method.ToUpperInvariant() is "POST" or "PUT" ? method.ToUpperInvariant()
            : throw new ArgumentException($"webhook method must be POST or PUT, not '{method}'")),
        "slack" => new SlackReceiver(HttpUrl(url, "slack"), channel),
        "email" => recipients is { Count: > 0 } && recipients.All(r => r.Contains('@', StringComparison.Ordinal))
            ? new EmailReceiver([.. recipients])
            : throw new ArgumentException("email actions need recipients, each an address with '@'"),
        _ => throw new ArgumentException($"unknown action type '{type}'; expected webhook, slack or email"),
    };

    /// <summary>A URL without its secret parts: scheme and host only, e.g. <c>https://hooks.slack.com/…</c>.</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return $"{url.Scheme}://{url.Host}{(url.IsDefaultPort ? string.Empty : ":" + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}/…";
    }

    private static Uri HttpUrl(string? url, string type) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? uri
            : throw new ArgumentException($"{type} actions need an absolute http(s) URL");
}
