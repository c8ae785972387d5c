using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Autoscalers: REFERENCE, TARGETS, MINPODS, MAXPODS, REPLICAS, AGE.</summary>
public sealed class HorizontalPodAutoscalerRows : IRowPrinter
{
    private const int Shown = 4;

    /// <inheritdoc/>
    public string Kind => "HorizontalPodAutoscaler";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Reference", "string", 0, "Reference to the scaled resource."),
        new("Targets", "string", 0, "Current and target values of each metric."),
        new("MinPods", "string", 0, "Lower limit for the number of pods."),
        new("MaxPods", "integer", 0, "Upper limit for the number of pods."),
        new("Replicas", "integer", 0, "Current number of replicas of pods managed by this autoscaler."),
        new("Age", "string", 0, "Time since the autoscaler was created."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var hpa = (V2HorizontalPodAutoscaler)resource;
        var target = hpa.Spec?.ScaleTargetRef;
        return
        [
            $"{target?.Kind}/{target?.Name}",
            Targets(hpa.Spec?.Metrics ?? [], hpa.Status?.CurrentMetrics ?? []),
            hpa.Spec?.MinReplicas is { } min ? min.ToString(CultureInfo.InvariantCulture) : "<unset>",
            hpa.Spec?.MaxReplicas ?? 0,
            hpa.Status?.CurrentReplicas ?? 0,
            clock.Since(hpa.Metadata.CreationTimestamp),
        ];
    }

    // "cpu: 40%/70%" per metric, matched with the status metric at the same index; <unknown> before any is measured.
    private static string Targets(IList<V2MetricSpec> specs, IList<V2MetricStatus> current)
    {
        if (specs.Count == 0)
        {
            return "<none>";
        }

        var texts = specs.Select((spec, i) => Target(spec, i < current.Count ? current[i] : null)).ToList();
        var shown = string.Join(", ", texts.Take(Shown));
        return texts.Count > Shown ? string.Create(CultureInfo.InvariantCulture, $"{shown} + {texts.Count - Shown} more...") : shown;
    }

    private static string Target(V2MetricSpec spec, V2MetricStatus? status)
    {
        var (prefix, goal, now) = spec.Type switch
        {
            "Resource" => ($"{spec.Resource?.Name}: ", spec.Resource?.Target, status?.Resource?.Current),
            "ContainerResource" => ($"{spec.ContainerResource?.Name}: ", spec.ContainerResource?.Target, status?.ContainerResource?.Current),
            "Pods" => ("", spec.Pods?.Target, status?.Pods?.Current),
            "Object" => ("", spec.ObjectProperty?.Target, status?.ObjectProperty?.Current),
            "External" => ("", spec.External?.Target, status?.External?.Current),
            _ => ("", null, null),
        };
        if (goal is null)
        {
            return "<unknown type>";
        }

        if (goal.AverageUtilization is { } utilization)
        {
            var measured = now?.AverageUtilization is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value}%") : "<unknown>";
            return string.Create(CultureInfo.InvariantCulture, $"{prefix}{measured}/{utilization}%");
        }

        var wanted = goal.AverageValue ?? goal.Value;
        var actual = (goal.AverageValue is not null ? now?.AverageValue : now?.Value)?.ToString() ?? "<unknown>";
        var average = goal.AverageValue is not null && spec.Type is "Object" or "External" ? " (avg)" : "";
        return $"{prefix}{actual}/{wanted}{average}";
    }
}
