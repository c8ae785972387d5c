using System.Collections.Immutable;
using Keelson.Operations.Notifications;

namespace Keelson.Operations.Alerts;

/// <summary>One tenant's alert rule: Prometheus's alerting rule plus the seed's severity, switch and actions.</summary>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Name">The rule's name (<c>alertname</c>), unique per tenant.</param>
/// <param name="ConditionText">The condition as written.</param>
/// <param name="Condition">The parsed condition.</param>
/// <param name="For">How long the condition must hold before the alert fires.</param>
/// <param name="KeepFiringFor">How long the alert keeps firing after the condition stops holding.</param>
/// <param name="Severity">The <c>severity</c> label.</param>
/// <param name="Labels">Extra labels (templates allowed).</param>
/// <param name="Annotations">Annotations (templates allowed).</param>
/// <param name="Enabled">Disabled rules are not evaluated.</param>
/// <param name="Actions">Where notifications go.</param>
/// <param name="PromQL">An optional PromQL expression used instead when a Prometheus is configured.</param>
public sealed record AlertRule(
    string TenantId,
    string Name,
    string ConditionText,
    Condition Condition,
    TimeSpan For,
    TimeSpan KeepFiringFor,
    string Severity,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableSortedDictionary<string, string> Annotations,
    bool Enabled,
    ImmutableArray<ReceiverSpec> Actions,
    string? PromQL = null)
{
    /// <summary>The expression a PrometheusRule carries: the stored PromQL, else the condition's translation.</summary>
    public string Expression => PromQL ?? Condition.ToPromQL();

    /// <summary>
    /// The alert's labels (templates expanded with <paramref name="value"/>). A condition rule's series is the tenant's
    /// (<paramref name="series"/> null); a PromQL result series brings its own labels, without <c>__name__</c>, which the
    /// rule's labels, <c>tenant</c>, <c>severity</c> and <c>alertname</c> override — what Prometheus does with the rendered rule.
    /// </summary>
    public ImmutableSortedDictionary<string, string> AlertLabels(double value, IReadOnlyDictionary<string, string>? series = null)
    {
        IReadOnlyDictionary<string, string> templateLabels = series ?? ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("tenant", TenantId)]);
        var labels = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, label) in templateLabels.Where(l => l.Key != "__name__"))
        {
            labels[key] = label;
        }

        foreach (var (key, template) in Labels)
        {
            labels[key] = AlertTemplate.Expand(template, value, templateLabels);
        }

        labels["tenant"] = TenantId;
        labels["severity"] = Severity;
        labels["alertname"] = Name;
        return labels.ToImmutable();
    }

    /// <summary>The annotations expanded for <paramref name="value"/>; <c>$labels</c> are the series' labels, as in Prometheus (the tenant's for a condition rule).</summary>
    public ImmutableSortedDictionary<string, string> AlertAnnotations(double value, IReadOnlyDictionary<string, string>? series = null)
    {
        var labels = series ?? new Dictionary<string, string>(StringComparer.Ordinal) { ["tenant"] = TenantId };
        return Annotations.ToImmutableSortedDictionary(a => a.Key, a => AlertTemplate.Expand(a.Value, value, labels), StringComparer.Ordinal);
    }
}
