using System.Globalization;
using System.Text.RegularExpressions;
using Keelson.Validation.Checks;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>Deployment, StatefulSet, DaemonSet, ReplicaSet (<c>k8s.io/kubernetes/pkg/apis/apps/validation</c>).</summary>
internal static partial class WorkloadRules
{
    // Deployment's defaults (progressDeadlineSeconds 600, rolling update 25%/25%); a DaemonSet rolls 1 unavailable, 0 surge.
    private const long DefaultProgressDeadline = 600;

    [GeneratedRegex("^[0-9]+%$")]
    private static partial Regex Percent();

    public static readonly ApiRule[] All =
    [
        Rule("workload-selector-empty", FieldRules.ValueId, Workloads, "spec.selector", s => s.Map is { } m && LabelSelector.Parse(m)!.IsEmpty
            ? [new Problem($"an empty selector is not valid for a {s.Document.Kind}", "Select the pod template's labels with matchLabels.")] : [], "apps ValidateDeploymentSpec / ValidateStatefulSetSpec / ValidateDaemonSetSpec / ValidateReplicaSetSpec"),
        SelectorMatchesTemplate("workload-selector-template", Workloads, "apps ValidatePodTemplateSpecForReplicaSet / ValidatePodTemplateSpecForStatefulSet / ValidateDaemonSetSpec"),
        SchedulingRules.Selector("workload-selector-requirements", Workloads, "spec.selector", "apps ValidateDeploymentSpec ... (ValidateLabelSelector)"),
        Int("replicas", K("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"), "spec.replicas", 0, int.MaxValue, "apps ValidateDeploymentSpec (ValidateNonnegativeField)"),
        Int("min-ready-seconds", [.. Workloads, "ReplicationController"], "spec.minReadySeconds", 0, int.MaxValue, "apps ValidateDeploymentSpec (ValidateNonnegativeField)"),
        Int("revision-history-limit", K("Deployment", "StatefulSet", "DaemonSet"), "spec.revisionHistoryLimit", 0, int.MaxValue, "apps ValidateDeploymentSpec (ValidateNonnegativeField)"),
        Rule("progress-deadline", FieldRules.ValueId, K("Deployment"), "spec", ProgressDeadline, "apps ValidateDeploymentSpec (must be greater than minReadySeconds)"),
        Rule("deployment-recreate-rolling-update", FieldRules.ValueId, K("Deployment"), "spec.strategy", s => s.Scalar("type") == "Recreate" && s.Get("rollingUpdate") is { } r
            ? [new Problem("rollingUpdate may not be specified when strategy type is Recreate", "Remove rollingUpdate, or use type: RollingUpdate.", "rollingUpdate", r)] : [], "apps ValidateDeploymentStrategy"),
        Rule("deployment-rolling-update", FieldRules.ValueId, K("Deployment"), "spec.strategy.rollingUpdate", s => RollingUpdate(s, "25%", "25%"), "apps ValidateRollingUpdateDeployment"),
        OneOf("daemonset-update-strategy", K("DaemonSet"), "spec.updateStrategy.type", ["RollingUpdate", "OnDelete"], "apps ValidateDaemonSetUpdateStrategy"),
        Rule("daemonset-rolling-update", FieldRules.ValueId, K("DaemonSet"), "spec.updateStrategy.rollingUpdate", DaemonSetRollingUpdate, "apps ValidateRollingUpdateDaemonSet"),
        OneOf("statefulset-pod-management", K("StatefulSet"), "spec.podManagementPolicy", ["OrderedReady", "Parallel"], "apps ValidateStatefulSetSpec"),
        OneOf("statefulset-update-strategy", K("StatefulSet"), "spec.updateStrategy.type", ["RollingUpdate", "OnDelete"], "apps ValidateStatefulSetSpec"),
        Rule("statefulset-on-delete-rolling-update", FieldRules.ValueId, K("StatefulSet"), "spec.updateStrategy", s => s.Scalar("type") == "OnDelete" && s.Get("rollingUpdate") is { } r
            ? [new Problem("rollingUpdate is only allowed for updateStrategy RollingUpdate", "Remove rollingUpdate, or use type: RollingUpdate.", "rollingUpdate", r)] : [], "apps ValidateStatefulSetSpec"),
        Int("statefulset-partition", K("StatefulSet"), "spec.updateStrategy.rollingUpdate.partition", 0, int.MaxValue, "apps ValidateStatefulSetSpec (ValidateNonnegativeField)"),
        Int("statefulset-ordinals-start", K("StatefulSet"), "spec.ordinals.start", 0, int.MaxValue, "apps ValidateStatefulSetSpec (ValidateNonnegativeField)"),
        OneOf("statefulset-pvc-retention-deleted", K("StatefulSet"), "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", ["Retain", "Delete"], "apps ValidatePersistentVolumeClaimRetentionPolicyType"),
        OneOf("statefulset-pvc-retention-scaled", K("StatefulSet"), "spec.persistentVolumeClaimRetentionPolicy.whenScaled", ["Retain", "Delete"], "apps ValidatePersistentVolumeClaimRetentionPolicyType"),
    ];

    /// <summary>The selector must select the pod template (<c>selector.Matches(template labels)</c>); reported at the template's labels, as upstream does.</summary>
    internal static ApiRule SelectorMatchesTemplate(string name, string[] kinds, string upstream) =>
        Rule(name, FieldRules.ValueId, kinds, "spec", s => Mismatch(s), upstream);

    private static IEnumerable<Problem> Mismatch(RuleSite s)
    {
        if (LabelSelector.Parse(s.Get("selector")) is not { IsEmpty: false, IsWellFormed: true } selector || s.Get("template") is not YamlMap template)
        {
            yield break;
        }

        var labels = template.At("metadata.labels") as YamlMap;
        if (!selector.Matches(labels))
        {
            yield return new Problem("selector does not match the template's labels", "The pods this object creates must carry labels its selector selects; make template.metadata.labels match spec.selector.",
                "template.metadata.labels", (YamlElement?)labels ?? template);
        }
    }

    private static IEnumerable<Problem> ProgressDeadline(RuleSite s)
    {
        var deadline = Long(s.Get("progressDeadlineSeconds")) ?? DefaultProgressDeadline;
        var minReady = Long(s.Get("minReadySeconds")) ?? 0;
        if (deadline >= 0 && deadline <= minReady)
        {
            var at = s.Get("progressDeadlineSeconds") ?? s.Get("minReadySeconds");
            yield return new Problem(string.Create(CultureInfo.InvariantCulture, $"progressDeadlineSeconds {deadline} must be greater than minReadySeconds {minReady}"),
                "Raise progressDeadlineSeconds (default 600) above minReadySeconds.", s.Get("progressDeadlineSeconds") is null ? "minReadySeconds" : "progressDeadlineSeconds", at);
        }
        else if (deadline < 0)
        {
            yield return new Problem($"progressDeadlineSeconds {deadline} is negative", "It must be greater than or equal to 0.", "progressDeadlineSeconds", s.Get("progressDeadlineSeconds"));
        }
    }

    /// <summary>A Deployment's maxUnavailable and maxSurge: non-negative integers or percentages (maxUnavailable at most 100%), not both zero.</summary>
    private static IEnumerable<Problem> RollingUpdate(RuleSite s, string defaultUnavailable, string defaultSurge)
    {
        foreach (var p in IntOrPercent(s, ["maxUnavailable"]))
        {
            yield return p;
        }

        static bool Zero(string value) => value is "0" or "0%";
        var unavailable = s.Scalar("maxUnavailable") ?? defaultUnavailable;
        var surge = s.Scalar("maxSurge") ?? defaultSurge;
        if (Zero(unavailable) && Zero(surge))
        {
            yield return new Problem("maxUnavailable may not be 0 when maxSurge is 0", "The rollout could never replace a pod; allow one unavailable or one surge pod.", "maxUnavailable", s.Get("maxUnavailable"));
        }
    }

    /// <summary>A DaemonSet's: each a non-negative integer or a percentage up to 100%, and exactly one of them non-zero (defaults 1 and 0).</summary>
    private static IEnumerable<Problem> DaemonSetRollingUpdate(RuleSite s)
    {
        foreach (var p in IntOrPercent(s, ["maxUnavailable", "maxSurge"]))
        {
            yield return p;
        }

        static bool Zero(string value) => value is "0" or "0%";
        var unavailable = !Zero(s.Scalar("maxUnavailable") ?? "1");
        var surge = !Zero(s.Scalar("maxSurge") ?? "0");
        if (unavailable && surge)
        {
            yield return new Problem("maxSurge may not be set when maxUnavailable is non-zero (its default is 1)", "Set maxUnavailable: 0 to surge, or remove maxSurge.", "maxSurge", s.Get("maxSurge"));
        }
        else if (!unavailable && !surge)
        {
            yield return new Problem("maxUnavailable cannot be 0 when maxSurge is 0", "Allow one unavailable pod, or one surge pod.", "maxUnavailable", s.Get("maxUnavailable"));
        }
    }

    /// <summary>Each field a non-negative integer or a percentage; those listed in <paramref name="atMost100"/> at most 100%.</summary>
    private static IEnumerable<Problem> IntOrPercent(RuleSite s, string[] atMost100)
    {
        foreach (var field in (string[])["maxUnavailable", "maxSurge"])
        {
            if (s.Get(field) is YamlValue v)
            {
                if (v.IsPlain && Long(v) is { } n ? n < 0 : !Percent().IsMatch(v.Value))
                {
                    yield return new Problem($"{field} '{v.Value}' is not valid", "Use a non-negative integer or a percentage such as 25%.", field, v);
                }
                else if (atMost100.Contains(field) && Percent().IsMatch(v.Value) && int.TryParse(v.Value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 100)
                {
                    yield return new Problem($"{field} '{v.Value}' must not be greater than 100%", "Use at most 100%.", field, v);
                }
            }
        }
    }
}
