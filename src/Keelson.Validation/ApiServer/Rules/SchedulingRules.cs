using Keelson.Validation.Checks;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>Tolerations, topology spread constraints and affinity (<c>validateTolerations</c>, <c>validateTopologySpreadConstraints</c>, <c>validateAffinity</c>).</summary>
internal static class SchedulingRules
{
    private const string NodeAffinity = "$pod.affinity.nodeAffinity";
    private static readonly string[] NodeOperators = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];

    public static readonly ApiRule[] All =
    [
        Name("toleration-key", Pods, "$pod.tolerations[].key", Syntax.QualifiedName, "core validateTolerations (IsQualifiedName)"),
        Rule("toleration-empty-key", FieldRules.ValueId, Pods, "$pod.tolerations[]", s => IsMissing(s.Get("key")) && s.Scalar("operator") is not "Exists"
            ? [new Problem("operator must be Exists when key is empty (which matches every taint)", "Set operator: Exists, or give a key.", "operator", s.Get("operator"))] : [], "core validateTolerations"),
        Rule("toleration-exists-value", FieldRules.ValueId, Pods, "$pod.tolerations[]", s => s.Scalar("operator") == "Exists" && s.Scalar("value") is { Length: > 0 }
            ? [new Problem("value must be empty when operator is Exists", "Remove value, or use operator: Equal.", "value", s.Get("value"))] : [], "core validateTolerations"),
        Rule("toleration-equal-value", FieldRules.NameId, Pods, "$pod.tolerations[]", s => s.Scalar("operator") is null or "Equal" && s.Scalar("value") is { } v && Syntax.LabelValue(v) is { } rule
            ? [new Problem($"toleration value '{v}' is not valid", $"Use {rule}.", "value", s.Get("value"))] : [], "core validateTolerations (IsValidLabelValue)"),
        Rule("toleration-seconds-effect", FieldRules.ValueId, Pods, "$pod.tolerations[]", s => s.Get("tolerationSeconds") is { } seconds && s.Scalar("effect") != "NoExecute"
            ? [new Problem("effect must be NoExecute when tolerationSeconds is set", "Set effect: NoExecute, or remove tolerationSeconds.", "effect", s.Get("effect") ?? seconds)] : [], "core ValidateTolerations"),
        Rule("spread-max-skew", FieldRules.ValueId, Pods, "$pod.topologySpreadConstraints[]", s => Long(s.Get("maxSkew")) is <= 0 and var n
            ? [new Problem($"maxSkew {n} must be greater than zero", "Use 1 for an even spread.", "maxSkew", s.Get("maxSkew"))] : [], "core validateTopologySpreadConstraints (ValidateMaxSkew)"),
        Required("spread-max-skew-required", Pods, "$pod.topologySpreadConstraints[]", "maxSkew", "core validateTopologySpreadConstraints (ValidateMaxSkew)"),
        Required("spread-topology-key-required", Pods, "$pod.topologySpreadConstraints[]", "topologyKey", "core validateTopologySpreadConstraints (ValidateTopologyKey)"),
        Name("spread-topology-key", Pods, "$pod.topologySpreadConstraints[].topologyKey", Syntax.QualifiedName, "core ValidateTopologyKey (IsQualifiedName)"),
        Required("spread-when-unsatisfiable-required", Pods, "$pod.topologySpreadConstraints[]", "whenUnsatisfiable", "core ValidateWhenUnsatisfiable"),
        OneOf("spread-when-unsatisfiable", Pods, "$pod.topologySpreadConstraints[].whenUnsatisfiable", ["DoNotSchedule", "ScheduleAnyway"], "core ValidateWhenUnsatisfiable"),
        Int("spread-min-domains", Pods, "$pod.topologySpreadConstraints[].minDomains", 1, int.MaxValue, "core validateMinDomains"),
        Rule("spread-min-domains-schedule-anyway", FieldRules.ValueId, Pods, "$pod.topologySpreadConstraints[]", s => s.Get("minDomains") is { } d && s.Scalar("whenUnsatisfiable") == "ScheduleAnyway"
            ? [new Problem("minDomains can only be used with whenUnsatisfiable: DoNotSchedule, not ScheduleAnyway", "Remove minDomains, or use DoNotSchedule.", "minDomains", d)] : [], "core validateMinDomains"),
        OneOf("spread-node-affinity-policy", Pods, "$pod.topologySpreadConstraints[].nodeAffinityPolicy", ["Honor", "Ignore"], "core validateNodeInclusionPolicy"),
        OneOf("spread-node-taints-policy", Pods, "$pod.topologySpreadConstraints[].nodeTaintsPolicy", ["Honor", "Ignore"], "core validateNodeInclusionPolicy"),
        Unique("spread-duplicate", Pods, "$pod.topologySpreadConstraints", item => item is YamlMap m && m.Scalar("topologyKey") is { } key && m.Scalar("whenUnsatisfiable") is { } when ? $"{key}, {when}" : null,
            "topology spread constraint (topologyKey, whenUnsatisfiable)", "core ValidateSpreadConstraintNotRepeat"),
        Rule("spread-match-label-keys", FieldRules.ValueId, Pods, "$pod.topologySpreadConstraints[]", s => s.Get("matchLabelKeys") is { } keys && s.Get("labelSelector") is null
            ? [new Problem("matchLabelKeys must not be specified when labelSelector is not set", "Add a labelSelector, or remove matchLabelKeys.", "matchLabelKeys", keys)] : [], "core validateMatchLabelKeysInTopologySpread"),
        Selector("spread-label-selector", Pods, "$pod.topologySpreadConstraints[].labelSelector", "core validateTopologySpreadConstraints (ValidateLabelSelector)"),
        Required("node-affinity-terms", Pods, NodeAffinity + ".requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", "core ValidateNodeSelector (at least one term)"),
        Rule("node-selector-requirement", FieldRules.ValueId, Pods, NodeAffinity + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[].matchExpressions[]", NodeRequirement, "core ValidateNodeSelectorRequirement"),
        Rule("node-preference-requirement", FieldRules.ValueId, Pods, NodeAffinity + ".preferredDuringSchedulingIgnoredDuringExecution[].preference.matchExpressions[]", NodeRequirement, "core ValidateNodeSelectorRequirement"),
        Rule("node-field-requirement", FieldRules.ValueId, Pods, NodeAffinity + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[].matchFields[]", FieldRequirement, "core validateNodeFieldSelectorRequirement"),
        Int("node-preference-weight", Pods, NodeAffinity + ".preferredDuringSchedulingIgnoredDuringExecution[].weight", 1, 100, "core ValidatePreferredSchedulingTerms"),
        .. PodAffinity("podAffinity"), .. PodAffinity("podAntiAffinity"),
    ];

    /// <summary>A label selector's requirements, wherever one is written.</summary>
    internal static ApiRule Selector(string name, string[] kinds, string path, string upstream) =>
        Rule(name, FieldRules.ValueId, kinds, path, s => SelectorProblems(s.Node), upstream);

    internal static IEnumerable<Problem> SelectorProblems(YamlElement node)
    {
        if ((node as YamlMap)?.Get("matchExpressions") is not YamlSeq expressions)
        {
            yield break;
        }

        for (var i = 0; i < expressions.Count; i++)
        {
            if (expressions[i] is not YamlMap e)
            {
                continue;
            }

            var at = $"matchExpressions{Index(i)}";
            var op = e.Scalar("operator");
            var values = e.Get("values");
            if (IsMissing(e.Get("key")))
            {
                yield return new Problem("required field 'key' is missing", "Name the label the requirement tests.", at + ".key", e);
            }
            else if (Syntax.QualifiedName(e.Scalar("key") ?? "") is { } rule)
            {
                yield return new Problem($"key '{e.Scalar("key")}' is not a label key", $"Use {rule}.", at + ".key", e.Get("key"));
            }

            if (op is null || !LabelSelector.Operators.Contains(op, StringComparer.Ordinal))
            {
                yield return NotAllowed(op ?? "", LabelSelector.Operators) with { Field = at + ".operator", At = e.Get("operator") ?? e };
            }
            else if (op is "In" or "NotIn" && IsMissing(values))
            {
                yield return new Problem($"values must be non-empty when operator is {op}", "List the label values to match.", at + ".values", e);
            }
            else if (op is "Exists" or "DoesNotExist" && values is YamlSeq { Count: > 0 })
            {
                yield return new Problem($"values must be empty when operator is {op}", "Remove values.", at + ".values", values);
            }
        }
    }

    private static IEnumerable<Problem> NodeRequirement(RuleSite s)
    {
        var op = s.Scalar("operator");
        var values = s.Get("values") as YamlSeq;
        if (Syntax.QualifiedName(s.Scalar("key") ?? "") is { } rule)
        {
            yield return new Problem($"key '{s.Scalar("key")}' is not a label key", $"Use {rule}.", "key", s.Get("key"));
        }

        if (op is null || !NodeOperators.Contains(op, StringComparer.Ordinal))
        {
            yield return NotAllowed(op ?? "", NodeOperators) with { Field = "operator", At = s.Get("operator") };
        }
        else if (op is "In" or "NotIn" && values is not { Count: > 0 })
        {
            yield return new Problem($"values must be specified when operator is {op}", "List the node label values to match.", "values");
        }
        else if (op is "Exists" or "DoesNotExist" && values is { Count: > 0 })
        {
            yield return new Problem($"values may not be specified when operator is {op}", "Remove values.", "values", values);
        }
        else if (op is "Gt" or "Lt" && values is not { Count: 1 })
        {
            yield return new Problem($"values must be a single value when operator is {op}", "Give exactly one value (an integer the node label is compared with).", "values", values);
        }
    }

    private static IEnumerable<Problem> FieldRequirement(RuleSite s)
    {
        if (s.Scalar("key") is { } key && key != "metadata.name")
        {
            yield return NotAllowed(key, ["metadata.name"]) with { Field = "key", At = s.Get("key") };
        }

        if (s.Scalar("operator") is { } op && op is not ("In" or "NotIn"))
        {
            yield return NotAllowed(op, ["In", "NotIn"]) with { Field = "operator", At = s.Get("operator") };
        }
        else if (s.Get("values") is not YamlSeq { Count: 1 })
        {
            yield return new Problem("matchFields must have exactly one value", "Give the one node name to match.", "values", s.Get("values"));
        }
    }

    private static ApiRule[] PodAffinity(string kind) =>
    [
        Required($"{kind}-topology-key", Pods, $"$pod.affinity.{kind}.requiredDuringSchedulingIgnoredDuringExecution[]", "topologyKey", "core validatePodAffinityTerm (ValidateTopologyKey)"),
        Required($"{kind}-preferred-topology-key", Pods, $"$pod.affinity.{kind}.preferredDuringSchedulingIgnoredDuringExecution[].podAffinityTerm", "topologyKey", "core validatePodAffinityTerm (ValidateTopologyKey)"),
        Name($"{kind}-topology-key-syntax", Pods, $"$pod.affinity.{kind}.requiredDuringSchedulingIgnoredDuringExecution[].topologyKey", Syntax.QualifiedName, "core ValidateTopologyKey (IsQualifiedName)"),
        Int($"{kind}-weight", Pods, $"$pod.affinity.{kind}.preferredDuringSchedulingIgnoredDuringExecution[].weight", 1, 100, "core validateWeightedPodAffinityTerms"),
        Selector($"{kind}-label-selector", Pods, $"$pod.affinity.{kind}.requiredDuringSchedulingIgnoredDuringExecution[].labelSelector", "core validatePodAffinityTerm (ValidateLabelSelector)"),
    ];
}
