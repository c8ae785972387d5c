using k8s.Models;
using Keelson.Rendering.Crds;

namespace Keelson.Operations.Alerts;

/// <summary>A tenant's stored alert rules as a prometheus-operator PrometheusRule (the expression is the PromQL translation).</summary>
public static class AlertRuleRendering
{
    /// <summary>One group <c>keelson-alerts</c> with the tenant's enabled rules, ordered by name.</summary>
    public static PrometheusRule Render(string tenantId, string @namespace, IEnumerable<AlertRule> rules) => Wrap(tenantId, @namespace, Rules(tenantId, rules));

    /// <summary>The tenant's enabled rules as prometheus-operator rule entries, ordered by name.</summary>
    public static IList<Keelson.Rendering.Crds.AlertRule> Rules(string tenantId, IEnumerable<AlertRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var rendered = new List<Keelson.Rendering.Crds.AlertRule>();
        foreach (var rule in rules.Where(r => r.Enabled && r.TenantId == tenantId).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var labels = new SortedDictionary<string, string>(rule.Labels, StringComparer.Ordinal) { ["severity"] = rule.Severity, ["tenant"] = tenantId };
            rendered.Add(new Keelson.Rendering.Crds.AlertRule
            {
                Alert = rule.Name,
                Expr = rule.PromQL ?? rule.Condition.ToPromQL(),
                For = PromDuration.Format(rule.For),
                KeepFiringFor = rule.KeepFiringFor > TimeSpan.Zero ? PromDuration.Format(rule.KeepFiringFor) : null,
                Labels = labels,
                Annotations = new SortedDictionary<string, string>(rule.Annotations, StringComparer.Ordinal),
            });
        }

        return rendered;
    }

    /// <summary>Rule entries (already rendered, e.g. pinned in a deployment's request) as the tenant's PrometheusRule.</summary>
    public static PrometheusRule Wrap(string tenantId, string @namespace, IList<Keelson.Rendering.Crds.AlertRule> rules) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{tenantId}-alerts", NamespaceProperty = @namespace, Labels = new Dictionary<string, string> { ["keelson.dev/tenant"] = tenantId } },
        Spec = new PrometheusRuleSpec { Groups = [new RuleGroup { Name = $"{tenantId}-keelson-alerts", Rules = rules }] },
    };
}
