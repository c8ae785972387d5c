using static Keelson.Validation.Schema.Crds.CrdShapes;

namespace Keelson.Validation.Schema.Crds;

/// <summary>prometheus-operator's <c>monitoring.coreos.com/v1</c> PrometheusRule, described completely: groups and rules.</summary>
internal static class PrometheusRuleSchema
{
    // A rule records a series or raises an alert; the operator rejects one that does both or neither.
    private static readonly Shape Rule = Obj("Rule", [["alert", "record"]],
        ("record", Str), ("alert", Str), ("expr!", IntOrStr), ("for", Duration), ("keep_firing_for", Duration),
        ("labels", StringMap), ("annotations", StringMap));

    private static readonly Shape RuleGroup = Obj("RuleGroup",
        ("name!", Str), ("labels", StringMap), ("interval", Duration), ("query_offset", Duration), ("rules", ListOf(Rule)),
        ("partial_response_strategy", Str), ("limit", Int));

    /// <summary>The spec: every field of the CRD.</summary>
    public static Shape Spec { get; } = Obj("PrometheusRuleSpec", ("groups", ListOf(RuleGroup)));

    /// <summary>The whole object.</summary>
    public static Shape Resource { get; } = CrdShapes.Resource("PrometheusRule", Spec);
}
