using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Rendering.Output;
using static Keelson.Sandbox.Server.Resources.AutoscalerV1Annotations;

namespace Keelson.Sandbox.Server.Resources;

/// <summary>
/// The spec of an <c>autoscaling/v1</c> HorizontalPodAutoscaler, converted as upstream's
/// pkg/apis/autoscaling/v1/conversion.go does: a CPU utilisation target is v1's <c>targetCPUUtilizationPercentage</c>;
/// every other metric travels as JSON in the <c>autoscaling.alpha.kubernetes.io/metrics</c> annotation, in v1's
/// <c>MetricSpec</c> shape, and <c>behavior</c> in <c>autoscaling.alpha.kubernetes.io/behavior</c>, with the Go field
/// names upstream writes there (it marshals its internal type); a v1 write reads them back.
/// <para>
/// A v1 write that leaves an annotation out sets the spec to what v1 says, as upstream does: no other metrics, no
/// behavior. That is what the user of kubectl asked for: <c>edit</c>, <c>apply</c> and every patch start from the v1
/// view, which carries the annotations, so they keep the v2-only spec; only a replace with a body written without
/// them (a hand-written v1 manifest) sets the spec to that body, as a replace of any object does. The status side
/// (<see cref="AutoscalerV1Status"/>) keeps the stored value instead, because its writers are controllers that may
/// not know the annotations, not users stating a desired spec.
/// </para>
/// </summary>
internal static class AutoscalerV1Spec
{
    /// <summary>
    /// The v1 spec of a stored v2 <paramref name="spec"/>; the metrics and behavior v1 has no field for go into
    /// <paramref name="v1"/>'s annotations.
    /// </summary>
    public static JsonObject ToV1(JsonObject spec, JsonObject v1)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(v1);
        var metrics = AutoscalerMetrics(spec["metrics"]).ToList();
        var v1Spec = Compact(new JsonObject
        {
            ["scaleTargetRef"] = spec["scaleTargetRef"]?.DeepClone(),
            ["minReplicas"] = spec["minReplicas"]?.DeepClone(),
            ["maxReplicas"] = spec["maxReplicas"]?.DeepClone(),
            ["targetCPUUtilizationPercentage"] = metrics.FirstOrDefault(IsCpuUtilization)?["resource"]?["target"]?["averageUtilization"]?.DeepClone(),
        });
        var others = metrics.Where(m => !IsCpuUtilization(m)).Select(MetricToV1).ToList();
        if (others.Count > 0)
        {
            Put(v1, MetricsAnnotation, new JsonArray([.. others]));
        }

        if (spec["behavior"] is JsonObject behavior)
        {
            Put(v1, BehaviorAnnotation, BehaviorToGo(behavior));
        }

        return v1Spec;
    }

    /// <summary>
    /// The v2 spec of a v1 write: v1's fields, the other metrics (first, as upstream orders them) and the behavior from
    /// <paramref name="annotations"/>. A malformed annotation is a 400 naming it.
    /// </summary>
    public static JsonObject ToV2(JsonObject v1Spec, JsonObject? annotations)
    {
        ArgumentNullException.ThrowIfNull(v1Spec);
        var metrics = TryRead(annotations, MetricsAnnotation, "a JSON array of autoscaling/v1 MetricSpec", ReadMetrics, out var given) ? given! : new List<JsonObject>();
        if (v1Spec["targetCPUUtilizationPercentage"] is { } target)
        {
            metrics.Add(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject
                {
                    ["name"] = Cpu,
                    ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = target.DeepClone() },
                },
            });
        }

        var behavior = TryRead(annotations, BehaviorAnnotation, "a JSON object of the autoscaling behavior (ScaleUp, ScaleDown)", ReadBehavior, out var read) ? read : null;
        return Compact(new JsonObject
        {
            ["scaleTargetRef"] = v1Spec["scaleTargetRef"]?.DeepClone(),
            ["minReplicas"] = v1Spec["minReplicas"]?.DeepClone(),
            ["maxReplicas"] = v1Spec["maxReplicas"]?.DeepClone(),

            // Without any metric, v2's defaulting gives the 80 % CPU target upstream's conversion writes here.
            ["metrics"] = metrics.Count > 0 ? new JsonArray([.. metrics]) : null,
            ["behavior"] = behavior,
        });
    }

    private static IEnumerable<JsonObject> AutoscalerMetrics(JsonNode? metrics) => (metrics as JsonArray)?.OfType<JsonObject>() ?? [];

    // Upstream's test: a Resource metric on cpu with an average utilisation target.
    private static bool IsCpuUtilization(JsonObject metric) =>
        (string?)metric["type"] == "Resource" && (string?)metric["resource"]?["name"] == Cpu && metric["resource"]?["target"]?["averageUtilization"] is not null;

    // v2 MetricSpec → v1 MetricSpec (the v2beta1 shape), as upstream's Convert_autoscaling_*MetricSource_To_v1_*; a
    // quantity v1 requires is "0" when v2 has none, as Go writes a zero Quantity.
    private static JsonObject MetricToV1(JsonObject metric)
    {
        var type = (string?)metric["type"] ?? "";
        var source = metric[SourceField(type)] as JsonObject;
        var target = source?["target"] as JsonObject ?? [];
        var v1 = source is null ? null : type switch
        {
            // A Resource source has no container: Compact leaves it out.
            "Resource" or "ContainerResource" => Compact(new JsonObject
            {
                ["name"] = source["name"]?.DeepClone(),
                ["targetAverageUtilization"] = target["averageUtilization"]?.DeepClone(),
                ["targetAverageValue"] = target["averageValue"]?.DeepClone(),
                ["container"] = source["container"]?.DeepClone(),
            }),
            "Pods" => Compact(new JsonObject
            {
                ["metricName"] = source["metric"]?["name"]?.DeepClone(),
                ["targetAverageValue"] = target["averageValue"]?.DeepClone() ?? "0",
                ["selector"] = source["metric"]?["selector"]?.DeepClone(),
            }),
            "Object" => Compact(new JsonObject
            {
                ["target"] = source["describedObject"]?.DeepClone(),
                ["metricName"] = source["metric"]?["name"]?.DeepClone(),
                ["targetValue"] = target["value"]?.DeepClone() ?? "0",
                ["selector"] = source["metric"]?["selector"]?.DeepClone(),
                ["averageValue"] = target["averageValue"]?.DeepClone(),
            }),
            "External" => Compact(new JsonObject
            {
                ["metricName"] = source["metric"]?["name"]?.DeepClone(),
                ["metricSelector"] = source["metric"]?["selector"]?.DeepClone(),
                ["targetValue"] = target["value"]?.DeepClone(),
                ["targetAverageValue"] = target["averageValue"]?.DeepClone(),
            }),
            _ => source.DeepClone().AsObject(),
        };
        return Compact(new JsonObject { ["type"] = type, [SourceField(type)] = v1 });
    }

    // The metrics annotation as v2 MetricSpecs, checked against the v2 model so a wrong type is the annotation's 400.
    private static List<JsonObject> ReadMetrics(JsonNode? annotation)
    {
        var metrics = Objects(annotation).Select(MetricToV2).ToList();
        foreach (var metric in metrics)
        {
            _ = metric.Deserialize<V2MetricSpec>(ManifestYaml.JsonOptions);
        }

        return metrics;
    }

    // v1 MetricSpec → v2 MetricSpec, as upstream's Convert_v1_*MetricSource_To_autoscaling_*: the target's type is
    // worked out from which v1 fields are set.
    private static JsonObject MetricToV2(JsonObject metric)
    {
        var type = Member(metric, "type")?.GetValue<string>() ?? "";
        var source = Member(metric, SourceField(type)) as JsonObject;
        JsonNode? Field(string name) => Member(source, name)?.DeepClone();
        var v2 = source is null ? null : type switch
        {
            "Resource" or "ContainerResource" => Compact(new JsonObject
            {
                ["name"] = Field("name"),
                ["container"] = Field("container"),
                ["target"] = Compact(new JsonObject
                {
                    ["type"] = Field("targetAverageUtilization") is null ? "AverageValue" : "Utilization",
                    ["averageUtilization"] = Field("targetAverageUtilization"),
                    ["averageValue"] = Field("targetAverageValue"),
                }),
            }),
            "Pods" => new JsonObject
            {
                ["metric"] = Compact(new JsonObject { ["name"] = Field("metricName"), ["selector"] = Field("selector") }),
                ["target"] = new JsonObject { ["type"] = "AverageValue", ["averageValue"] = Field("targetAverageValue") ?? "0" },
            },
            "Object" => new JsonObject
            {
                ["describedObject"] = Field("target"),
                ["metric"] = Compact(new JsonObject { ["name"] = Field("metricName"), ["selector"] = Field("selector") }),
                ["target"] = Compact(new JsonObject
                {
                    ["type"] = Field("averageValue") is null ? "Value" : "AverageValue",
                    ["value"] = Field("targetValue") ?? "0",
                    ["averageValue"] = Field("averageValue"),
                }),
            },
            "External" => new JsonObject
            {
                ["metric"] = Compact(new JsonObject { ["name"] = Field("metricName"), ["selector"] = Field("metricSelector") }),
                ["target"] = Compact(new JsonObject
                {
                    ["type"] = Field("targetValue") is null ? "AverageValue" : "Value",
                    ["value"] = Field("targetValue"),
                    ["averageValue"] = Field("targetAverageValue"),
                }),
            },
            _ => source.DeepClone().AsObject(),
        };
        return Compact(new JsonObject { ["type"] = type, [SourceField(type)] = v2 });
    }

    // v2 behavior → the Go field names upstream's json.Marshal of its internal type writes, nil pointers as null.
    // Tolerance (autoscaling/v2 since 1.33, after the 1.32 the sandbox serves) is written only when set.
    private static JsonObject BehaviorToGo(JsonObject behavior) => new()
    {
        ["ScaleUp"] = RulesToGo(behavior["scaleUp"] as JsonObject),
        ["ScaleDown"] = RulesToGo(behavior["scaleDown"] as JsonObject),
    };

    private static JsonObject? RulesToGo(JsonObject? rules)
    {
        if (rules is null)
        {
            return null;
        }

        var go = new JsonObject
        {
            ["StabilizationWindowSeconds"] = rules["stabilizationWindowSeconds"]?.DeepClone(),
            ["SelectPolicy"] = rules["selectPolicy"]?.DeepClone(),
            ["Policies"] = rules["policies"] is JsonArray policies
                ? new JsonArray([.. policies.OfType<JsonObject>().Select(p => (JsonNode)new JsonObject
                {
                    ["Type"] = p["type"]?.DeepClone() ?? "",
                    ["Value"] = p["value"]?.DeepClone() ?? 0,
                    ["PeriodSeconds"] = p["periodSeconds"]?.DeepClone() ?? 0,
                })])
                : null,
        };
        if (rules["tolerance"] is { } tolerance)
        {
            go["Tolerance"] = tolerance.DeepClone();
        }

        return go;
    }

    // The behavior annotation as v2 JSON, its names matched without regard to case (upstream writes Go names, a user
    // may write v2's); a behavior with neither direction is none, as upstream's comparison with the zero value.
    private static JsonObject? ReadBehavior(JsonNode? annotation)
    {
        if (annotation is null)
        {
            return null;
        }

        var given = annotation.AsObject();
        var behavior = Compact(new JsonObject
        {
            ["scaleUp"] = RulesToV2(Member(given, "scaleUp")),
            ["scaleDown"] = RulesToV2(Member(given, "scaleDown")),
        });
        _ = behavior.Deserialize<V2HorizontalPodAutoscalerBehavior>(ManifestYaml.JsonOptions);
        return behavior.Count > 0 ? behavior : null;
    }

    private static JsonNode? RulesToV2(JsonNode? rules)
    {
        if (rules is not JsonObject given)
        {
            return rules?.DeepClone();
        }

        var policies = Member(given, "policies");
        return Compact(new JsonObject
        {
            ["stabilizationWindowSeconds"] = Member(given, "stabilizationWindowSeconds")?.DeepClone(),
            ["selectPolicy"] = Member(given, "selectPolicy")?.DeepClone(),
            ["policies"] = policies is JsonArray list
                ? new JsonArray([.. list.Select(p => p is JsonObject policy
                    ? Compact(new JsonObject
                    {
                        ["type"] = Member(policy, "type")?.DeepClone(),
                        ["value"] = Member(policy, "value")?.DeepClone(),
                        ["periodSeconds"] = Member(policy, "periodSeconds")?.DeepClone(),
                    })
                    : p?.DeepClone())])
                : policies?.DeepClone(),
            ["tolerance"] = Member(given, "tolerance")?.DeepClone(),
        });
    }
}
