using k8s.Models;
using Keelson.Rendering.Crds;

namespace Keelson.Operations.Alerts;

/// <summary>A tenant's stored alert rules as a prometheus-operator PrometheusRule (the expression is the PromQL translation).</summary>
public static class AlertRuleRendering
{
    /// <summary>One group <c>keelson-alerts</c> with the tenant's enabled rules, ordered by name.</summary>
    public static PrometheusRule Render(string tenantId, string @namespace, IEnumerable<AlertRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var group = new RuleGroup { Name = $"{tenantId}-keelson-alerts" };
        foreach (var rule in rules.Where(r => r.Enabled && r.TenantId == tenantId).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var labels = new SortedDictionary<string, string>(rule.Labels, StringComparer.Ordinal) { ["severity"] = rule.Severity, ["tenant"] = tenantId };
            group.Rules.Add(new Keelson.Rendering.Crds.AlertRule
            {
                Alert = rule.Name,
                Expr = rule.PromQL ?? rule.Condition.ToPromQL(),
                For = PromDuration.Format(rule.For),
                KeepFiringFor = rule.KeepFiringFor > TimeSpan.Zero ? PromDuration.Format(rule.KeepFiringFor) : null,
                Labels = labels,
                Annotations = new SortedDictionary<string, string>(rule.Annotations, StringComparer.Ordinal),
            });
        }

        return new PrometheusRule
        {
            Metadata = new V1ObjectMeta { Name = $"{tenantId}-alerts", NamespaceProperty = @namespace, Labels = new Dictionary<string, string> { ["keelson.dev/tenant"] = tenantId } },
            Spec = new PrometheusRuleSpec { Groups = [group] },
        };
    }
}
