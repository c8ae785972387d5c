using static Keelson.Validation.Schema.Crds.CrdShapes;

namespace Keelson.Validation.Schema.Crds;

/// <summary>The Spark operator's <c>sparkoperator.k8s.io/v1beta2</c> ScheduledSparkApplication: a cron schedule around a SparkApplication spec.</summary>
internal static class ScheduledSparkApplicationSchema
{
    /// <summary>The spec: every field of the CRD.</summary>
    public static Shape Spec { get; } = Obj("ScheduledSparkApplicationSpec",
        ("schedule!", Str), ("timeZone", Str), ("template!", SparkApplicationSchema.Spec), ("suspend", Bool),
        ("concurrencyPolicy", Enum("Allow", "Forbid", "Replace")), ("successfulRunHistoryLimit", Int), ("failedRunHistoryLimit", Int));

    /// <summary>The whole object; the CRD does not require the spec, though without one nothing runs.</summary>
    public static Shape Resource { get; } = CrdShapes.Resource("ScheduledSparkApplication", Spec, specRequired: false);
}
