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

    /// <summary>The alert's labels for the tenant's series (templates expanded with <paramref name="value"/>): rule labels, then tenant, severity and alertname.</summary>
    public ImmutableSortedDictionary<string, string> AlertLabels(double value)
    {
        var series = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("tenant", TenantId)]);
        var labels = series.ToBuilder();
        foreach (var (key, template) in Labels)
        {
            labels[key] = AlertTemplate.Expand(template, value, series);
        }

        labels["severity"] = Severity;
        labels["alertname"] = Name;
        return labels.ToImmutable();
    }

    /// <summary>The annotations expanded for <paramref name="value"/>; <c>$labels</c> are the series' labels, as in Prometheus.</summary>
    public ImmutableSortedDictionary<string, string> AlertAnnotations(double value)
    {
        var series = new Dictionary<string, string>(StringComparer.Ordinal) { ["tenant"] = TenantId };
        return Annotations.ToImmutableSortedDictionary(a => a.Key, a => AlertTemplate.Expand(a.Value, value, series), StringComparer.Ordinal);
    }
}
