using System.Collections.Frozen;
using Keelson.Rendering.Crds;

namespace Keelson.Validation.Schema.Crds;

/// <summary>
/// The custom resources whose structure Keelson knows: the CRDs it renders, at the versions it renders them. Any
/// other custom resource, or another version of one of these, is reported as not checked.
/// </summary>
public static class CrdSchemas
{
    private static readonly FrozenDictionary<(string ApiVersion, string Kind), Shape> Schemas = new Dictionary<(string, string), Shape>
    {
        [(ServiceMonitor.Version, "ServiceMonitor")] = ServiceMonitorSchema.Resource,
        [(ServiceMonitor.Version, "PrometheusRule")] = PrometheusRuleSchema.Resource,
        [(ScaledObject.Version, "ScaledObject")] = ScaledObjectSchema.Resource,
        [(SparkApplication.Version, "SparkApplication")] = SparkApplicationSchema.Resource,
        [(SparkApplication.Version, "ScheduledSparkApplication")] = ScheduledSparkApplicationSchema.Resource,
    }.ToFrozenDictionary();

    /// <summary>Every apiVersion and kind with a schema.</summary>
    public static IReadOnlyList<(string ApiVersion, string Kind)> Kinds { get; } = [.. Schemas.Keys.Order()];

    /// <summary>The versions of a kind Keelson has a schema for (empty for kinds it has none for).</summary>
    public static IReadOnlyList<string> VersionsOf(string kind) => [.. Kinds.Where(k => k.Kind == kind).Select(k => k.ApiVersion)];

    /// <summary>The schema of an apiVersion and kind, or null.</summary>
    internal static Shape? Find(string apiVersion, string kind) => Schemas.GetValueOrDefault((apiVersion, kind));
}
