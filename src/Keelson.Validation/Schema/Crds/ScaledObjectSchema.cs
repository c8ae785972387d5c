using k8s.Models;
using static Keelson.Validation.Schema.Crds.CrdShapes;

namespace Keelson.Validation.Schema.Crds;

/// <summary>
/// KEDA's <c>keda.sh/v1alpha1</c> ScaledObject, described completely down to the HPA behavior (a core type). Trigger
/// <c>metadata</c> is a string map whose keys depend on the scaler, so only its values' type is checked.
/// </summary>
internal static class ScaledObjectSchema
{
    private static readonly Shape ScaleTarget = Obj("ScaleTarget", ("name!", Str), ("apiVersion", Str), ("kind", Str), ("envSourceContainerName", Str));

    private static readonly Shape Trigger = Obj("ScaleTriggers",
        ("type!", Str), ("name", Str), ("useCachedMetrics", Bool), ("metadata!", StringMap),
        ("authenticationRef", Obj("AuthenticationRef", ("name!", Str), ("kind", Str))),
        ("metricType", Enum("Utilization", "AverageValue", "Value")));

    private static readonly Shape Advanced = Obj("AdvancedConfig",
        ("horizontalPodAutoscalerConfig", Obj("HorizontalPodAutoscalerConfig", ("name", Str), ("behavior", Model<V2HorizontalPodAutoscalerBehavior>()))),
        ("restoreToOriginalReplicaCount", Bool),
        ("scalingModifiers", Obj("ScalingModifiers", ("formula", Str), ("target", Str), ("activationTarget", Str), ("metricType", Enum("AverageValue", "Value")))));

    private static readonly Shape Fallback = Obj("Fallback",
        ("failureThreshold!", Int), ("replicas!", Int), ("behavior", Enum("static", "currentReplicas", "currentReplicasIfHigher", "currentReplicasIfLower")));

    /// <summary>The spec: every field of the CRD.</summary>
    public static Shape Spec { get; } = Obj("ScaledObjectSpec",
        ("scaleTargetRef!", ScaleTarget), ("pollingInterval", Int), ("initialCooldownPeriod", Int), ("cooldownPeriod", Int),
        ("idleReplicaCount", Int), ("minReplicaCount", Int), ("maxReplicaCount", Int), ("advanced", Advanced),
        ("triggers!", ListOf(Trigger)), ("fallback", Fallback));

    /// <summary>The whole object.</summary>
    public static Shape Resource { get; } = CrdShapes.Resource("ScaledObject", Spec);
}
