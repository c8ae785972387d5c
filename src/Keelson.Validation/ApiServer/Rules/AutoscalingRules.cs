using System.Globalization;
using System.Text.RegularExpressions;
using Keelson.Validation.Checks;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>HorizontalPodAutoscaler v2 and PodDisruptionBudget (<c>autoscaling/validation</c>, <c>policy/validation</c>).</summary>
internal static partial class AutoscalingRules
{
    private static readonly string[] Hpa = ["HorizontalPodAutoscaler"];
    private static readonly string[] Pdb = ["PodDisruptionBudget"];
    private static readonly string[] MetricTypes = ["Object", "Pods", "Resource", "ContainerResource", "External"];

    // The source field each metric type must fill, and only it.
    private static readonly Dictionary<string, string> Sources = new(StringComparer.Ordinal)
    {
        ["Object"] = "object", ["Pods"] = "pods", ["Resource"] = "resource", ["ContainerResource"] = "containerResource", ["External"] = "external",
    };

    [GeneratedRegex("^[0-9]+%$")]
    private static partial Regex Percent();

    public static readonly ApiRule[] All =
    [
        Int("hpa-max-replicas", Hpa, "spec.maxReplicas", 1, int.MaxValue, "autoscaling validateHorizontalPodAutoscalerSpec"),
        Int("hpa-min-replicas", Hpa, "spec.minReplicas", 1, int.MaxValue, "autoscaling validateHorizontalPodAutoscalerSpec (without the alpha HPAScaleToZero gate)"),
        Rule("hpa-min-above-max", FieldRules.ValueId, Hpa, "spec", s => Long(s.Get("minReplicas")) is { } min && Long(s.Get("maxReplicas")) is { } max && max < min
            ? [new Problem(string.Create(CultureInfo.InvariantCulture, $"maxReplicas {max} must be greater than or equal to minReplicas {min}"), "Raise maxReplicas or lower minReplicas.", "maxReplicas", s.Get("maxReplicas"))] : [],
            "autoscaling validateHorizontalPodAutoscalerSpec"),
        Required("hpa-target-kind", Hpa, "spec.scaleTargetRef", "kind", "autoscaling ValidateCrossVersionObjectReference"),
        Required("hpa-target-name", Hpa, "spec.scaleTargetRef", "name", "autoscaling ValidateCrossVersionObjectReference"),
        Name("hpa-target-name-syntax", Hpa, "spec.scaleTargetRef.name", Syntax.PathSegmentName, "autoscaling ValidateCrossVersionObjectReference (IsValidPathSegmentName)"),
        Required("hpa-metric-type", Hpa, "spec.metrics[]", "type", "autoscaling validateMetricSpec"),
        OneOf("hpa-metric-type-value", Hpa, "spec.metrics[].type", MetricTypes, "autoscaling validateMetricSpec"),
        Rule("hpa-metric-source", FieldRules.ValueId, Hpa, "spec.metrics[]", MetricSource, "autoscaling validateMetricSpec (must populate the given metric source, and only it)"),
        Rule("hpa-metric-target", FieldRules.ValueId, Hpa, "spec.metrics[]", MetricTarget, "autoscaling validateMetricTarget"),
        Required("hpa-resource-name", Hpa, "spec.metrics[].resource", "name", "autoscaling validateResourceSource"),
        Required("hpa-container-resource-name", Hpa, "spec.metrics[].containerResource", "name", "autoscaling validateContainerResourceSource"),
        Required("hpa-container-resource-container", Hpa, "spec.metrics[].containerResource", "container", "autoscaling validateContainerResourceSource"),
        Required("hpa-pods-metric-name", Hpa, "spec.metrics[].pods.metric", "name", "autoscaling validateMetricIdentifier"),
        Required("hpa-object-metric-name", Hpa, "spec.metrics[].object.metric", "name", "autoscaling validateMetricIdentifier"),
        Required("hpa-external-metric-name", Hpa, "spec.metrics[].external.metric", "name", "autoscaling validateMetricIdentifier"),
        Required("hpa-object-described-kind", Hpa, "spec.metrics[].object.describedObject", "kind", "autoscaling ValidateCrossVersionObjectReference"),
        Required("hpa-object-described-name", Hpa, "spec.metrics[].object.describedObject", "name", "autoscaling ValidateCrossVersionObjectReference"),
        .. Behavior("scaleUp"), .. Behavior("scaleDown"),
        Rule("pdb-min-and-max", FieldRules.ValueId, Pdb, "spec", s => s.Get("minAvailable") is not null && s.Get("maxUnavailable") is { } max
            ? [new Problem("minAvailable and maxUnavailable cannot be both set", "Keep one: maxUnavailable (usually 1) follows scaling; minAvailable does not.", "maxUnavailable", max)] : [], "policy ValidatePodDisruptionBudgetSpec"),
        Rule("pdb-min-available", FieldRules.ValueId, Pdb, "spec.minAvailable", s => IntOrPercent(s.Node, "minAvailable"), "policy ValidatePodDisruptionBudgetSpec (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent)"),
        Rule("pdb-max-unavailable", FieldRules.ValueId, Pdb, "spec.maxUnavailable", s => IntOrPercent(s.Node, "maxUnavailable"), "policy ValidatePodDisruptionBudgetSpec (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent)"),
        SchedulingRules.Selector("pdb-selector", Pdb, "spec.selector", "policy ValidatePodDisruptionBudgetSpec (ValidateLabelSelector)"),
        OneOf("pdb-unhealthy-pod-eviction-policy", Pdb, "spec.unhealthyPodEvictionPolicy", ["IfHealthyBudget", "AlwaysAllow"], "policy ValidatePodDisruptionBudgetSpec"),
    ];

    private static ApiRule[] Behavior(string direction) =>
    [
        OneOf($"hpa-{direction}-select-policy", Hpa, $"spec.behavior.{direction}.selectPolicy", ["Max", "Min", "Disabled"], "autoscaling validateScalingRules"),
        Int($"hpa-{direction}-stabilization", Hpa, $"spec.behavior.{direction}.stabilizationWindowSeconds", 0, 3600, "autoscaling validateScalingRules (MaxStabilizationWindowSeconds)"),
        OneOf($"hpa-{direction}-policy-type", Hpa, $"spec.behavior.{direction}.policies[].type", ["Pods", "Percent"], "autoscaling validateScalingPolicy"),
        Int($"hpa-{direction}-policy-value", Hpa, $"spec.behavior.{direction}.policies[].value", 1, int.MaxValue, "autoscaling validateScalingPolicy"),
        Int($"hpa-{direction}-policy-period", Hpa, $"spec.behavior.{direction}.policies[].periodSeconds", 1, 1800, "autoscaling validateScalingPolicy (MaxPeriodSeconds)"),
    ];

    private static IEnumerable<Problem> MetricSource(RuleSite s)
    {
        if (s.Scalar("type") is not { } type || !Sources.TryGetValue(type, out var source))
        {
            yield break;
        }

        if (s.Get(source) is null)
        {
            yield return new Problem($"a {type} metric must set '{source}'", $"Add {source}: with the metric's details.", source);
        }

        foreach (var other in Sources.Values.Where(o => o != source && s.Get(o) is not null))
        {
            yield return new Problem($"a {type} metric must set only '{source}', not '{other}'", $"Remove {other}, or change type.", other, s.Get(other));
        }
    }

    private static IEnumerable<Problem> MetricTarget(RuleSite s)
    {
        if (s.Scalar("type") is not { } type || !Sources.TryGetValue(type, out var source) || (s.Get(source) as YamlMap)?.Get("target") is not YamlMap target)
        {
            yield break;
        }

        var at = source + ".target";
        var kind = target.Scalar("type");
        string[] allowed = ["Utilization", "Value", "AverageValue"];
        if (kind is null)
        {
            yield return new Problem("required field 'type' is missing", "Set Utilization, Value or AverageValue.", at + ".type", target);
            yield break;
        }

        if (!allowed.Contains(kind, StringComparer.Ordinal))
        {
            yield return NotAllowed(kind, allowed) with { Field = at + ".type", At = target.Get("type") };
            yield break;
        }

        var (field, positive) = kind switch
        {
            "Utilization" => ("averageUtilization", Long(target.Get("averageUtilization")) is > 0),
            "Value" => ("value", target.Scalar("value") is { } v && KubeQuantity.Parse(v) is > 0),
            _ => ("averageValue", target.Scalar("averageValue") is { } a && KubeQuantity.Parse(a) is > 0),
        };
        if (!positive && target.Get(field) is null)
        {
            yield return new Problem($"'{field}' is required when the target type is {kind}", $"Set {field} to a positive value.", $"{at}.{field}", target);
        }
        else if (!positive)
        {
            yield return new Problem($"{field} must be positive", "Set a value above 0.", $"{at}.{field}", target.Get(field));
        }
    }

    private static IEnumerable<Problem> IntOrPercent(YamlElement node, string field)
    {
        if (node is not YamlValue v)
        {
            yield break;
        }

        if (v.IsPlain && Long(v) is { } n)
        {
            if (n < 0)
            {
                yield return new Problem($"{field} {n} is negative", "It must be greater than or equal to 0.");
            }
        }
        else if (!Percent().IsMatch(v.Value))
        {
            yield return new Problem($"{field} '{v.Value}' is not an integer or a percentage", "Use a number of pods such as 1, or a percentage such as 25%.");
        }
        else if (int.TryParse(v.Value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 100)
        {
            yield return new Problem($"{field} '{v.Value}' must not be greater than 100%", "Use at most 100%.");
        }
    }
}
