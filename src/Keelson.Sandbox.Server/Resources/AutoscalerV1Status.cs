using System.Text.Json.Nodes;
using static Keelson.Sandbox.Server.Resources.AutoscalerV1Annotations;

namespace Keelson.Sandbox.Server.Resources;

/// <summary>
/// What an <c>autoscaling/v1</c> HorizontalPodAutoscaler cannot say of the stored v2 status, carried the way upstream's
/// v1 conversion carries it: the conditions and the metrics other than CPU utilisation as JSON in the
/// <c>autoscaling.alpha.kubernetes.io/conditions</c> and <c>current-metrics</c> annotations of the v1 view (metrics in
/// v1's <c>MetricStatus</c> shape), read back from a v1 write. Where a v1 status write leaves an annotation out, the
/// stored value is kept rather than lost (upstream would drop it), so a v1 client cannot erase what it cannot see.
/// The annotations are never stored: a v2 read does not show them.
/// </summary>
internal static class AutoscalerV1Status
{
    /// <summary>Puts the v2 status's conditions and other metrics into <paramref name="v1"/>'s annotations.</summary>
    public static void Annotate(JsonObject v1, JsonObject? v2Status)
    {
        ArgumentNullException.ThrowIfNull(v1);
        if (v2Status?["conditions"] is JsonArray { Count: > 0 } conditions)
        {
            Put(v1, ConditionsAnnotation, conditions.DeepClone());
        }

        var others = Others(v2Status?["currentMetrics"] as JsonArray).Select(ToV1).ToList();
        if (others.Count > 0)
        {
            Put(v1, CurrentMetricsAnnotation, new JsonArray([.. others]));
        }
    }

    /// <summary>
    /// The v2 status a v1 status write stores: v1's fields from <paramref name="v1"/>, the conditions and other metrics
    /// from its annotations, or else from <paramref name="stored"/>. A malformed annotation is a 400 naming it.
    /// </summary>
    public static JsonObject? ToV2(JsonObject v1, JsonObject? stored)
    {
        ArgumentNullException.ThrowIfNull(v1);
        if (v1["status"] is not JsonObject status)
        {
            return null;
        }

        var v2 = new JsonObject();
        foreach (var field in new[] { "observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas" })
        {
            if (status[field] is { } value)
            {
                v2[field] = value.DeepClone();
            }
        }

        var annotations = Of(v1);
        var metrics = TryRead(annotations, CurrentMetricsAnnotation, "a JSON array of autoscaling/v1 MetricStatus", a => Objects(a).Select(ToV2Metric).ToList(), out var given)
            ? given!
            : Others(stored?["currentMetrics"] as JsonArray).Select(m => m.DeepClone().AsObject()).ToList();
        if (status["currentCPUUtilizationPercentage"] is { } cpu)
        {
            metrics.Insert(0, new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = Cpu, ["current"] = CpuCurrent(stored, cpu) },
            });
        }

        if (metrics.Count > 0)
        {
            v2["currentMetrics"] = new JsonArray([.. metrics]);
        }

        var conditions = TryRead(annotations, ConditionsAnnotation, "a JSON array of autoscaling/v1 HorizontalPodAutoscalerCondition", a => (JsonNode)new JsonArray([.. Objects(a).Select(c => c.DeepClone())]), out var written)
            ? written
            : stored?["conditions"]?.DeepClone();
        if (conditions is JsonArray { Count: > 0 })
        {
            v2["conditions"] = conditions;
        }

        return v2;
    }

    // The stored CPU metric's current value with v1's utilisation (its averageValue kept).
    private static JsonObject CpuCurrent(JsonObject? stored, JsonNode utilization)
    {
        var current = (stored?["currentMetrics"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(IsCpuUtilization)?["resource"]?["current"]?.DeepClone() as JsonObject ?? [];
        current["averageUtilization"] = utilization.DeepClone();
        return current;
    }

    private static IEnumerable<JsonObject> Others(JsonArray? metrics) => (metrics ?? []).OfType<JsonObject>().Where(m => !IsCpuUtilization(m));

    private static bool IsCpuUtilization(JsonObject metric) =>
        (string?)metric["type"] == "Resource" && (string?)metric["resource"]?["name"] == Cpu && metric["resource"]?["current"]?["averageUtilization"] is not null;

    // v2 MetricStatus → v1 MetricStatus (the v2beta1 shape), as upstream's Convert_autoscaling_MetricStatus_To_v1_MetricStatus.
    private static JsonObject ToV1(JsonObject metric)
    {
        var type = (string?)metric["type"] ?? "";
        var source = metric[SourceField(type)] as JsonObject ?? [];
        var current = source["current"] as JsonObject ?? [];
        var v1 = type switch
        {
            "Resource" or "ContainerResource" => Compact(new JsonObject
            {
                ["name"] = source["name"]?.DeepClone(),
                ["container"] = source["container"]?.DeepClone(),
                ["currentAverageUtilization"] = current["averageUtilization"]?.DeepClone(),
                ["currentAverageValue"] = current["averageValue"]?.DeepClone() ?? "0",
            }),
            "Pods" => Compact(new JsonObject
            {
                ["metricName"] = source["metric"]?["name"]?.DeepClone(),
                ["selector"] = source["metric"]?["selector"]?.DeepClone(),
                ["currentAverageValue"] = current["averageValue"]?.DeepClone() ?? "0",
            }),
            "Object" => Compact(new JsonObject
            {
                ["target"] = source["describedObject"]?.DeepClone(),
                ["metricName"] = source["metric"]?["name"]?.DeepClone(),
                ["selector"] = source["metric"]?["selector"]?.DeepClone(),
                ["currentValue"] = current["value"]?.DeepClone() ?? "0",
                ["averageValue"] = current["averageValue"]?.DeepClone(),
            }),
            "External" => Compact(new JsonObject
            {
                ["metricName"] = source["metric"]?["name"]?.DeepClone(),
                ["metricSelector"] = source["metric"]?["selector"]?.DeepClone(),
                ["currentValue"] = current["value"]?.DeepClone() ?? "0",
                ["currentAverageValue"] = current["averageValue"]?.DeepClone(),
            }),
            _ => source.DeepClone().AsObject(),
        };
        return new JsonObject { ["type"] = type, [SourceField(type)] = v1 };
    }

    // v1 MetricStatus → v2 MetricStatus, the reverse of ToV1.
    private static JsonObject ToV2Metric(JsonObject metric)
    {
        var type = (string?)metric["type"] ?? "";
        var source = metric[SourceField(type)] as JsonObject ?? [];
        var v2 = type switch
        {
            "Resource" or "ContainerResource" => Compact(new JsonObject
            {
                ["name"] = source["name"]?.DeepClone(),
                ["container"] = source["container"]?.DeepClone(),
                ["current"] = Compact(new JsonObject { ["averageUtilization"] = source["currentAverageUtilization"]?.DeepClone(), ["averageValue"] = source["currentAverageValue"]?.DeepClone() }),
            }),
            "Pods" => new JsonObject
            {
                ["metric"] = Compact(new JsonObject { ["name"] = source["metricName"]?.DeepClone(), ["selector"] = source["selector"]?.DeepClone() }),
                ["current"] = Compact(new JsonObject { ["averageValue"] = source["currentAverageValue"]?.DeepClone() }),
            },
            "Object" => new JsonObject
            {
                ["describedObject"] = source["target"]?.DeepClone(),
                ["metric"] = Compact(new JsonObject { ["name"] = source["metricName"]?.DeepClone(), ["selector"] = source["selector"]?.DeepClone() }),
                ["current"] = Compact(new JsonObject { ["value"] = source["currentValue"]?.DeepClone(), ["averageValue"] = source["averageValue"]?.DeepClone() }),
            },
            "External" => new JsonObject
            {
                ["metric"] = Compact(new JsonObject { ["name"] = source["metricName"]?.DeepClone(), ["selector"] = source["metricSelector"]?.DeepClone() }),
                ["current"] = Compact(new JsonObject { ["value"] = source["currentValue"]?.DeepClone(), ["averageValue"] = source["currentAverageValue"]?.DeepClone() }),
            },
            _ => source.DeepClone().AsObject(),
        };
        return new JsonObject { ["type"] = type, [SourceField(type)] = Compact(v2) };
    }
}
