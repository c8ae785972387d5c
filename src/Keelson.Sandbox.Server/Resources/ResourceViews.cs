using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Server.Protocol;

namespace Keelson.Sandbox.Server.Resources;

/// <summary>
/// Objects as a resource's version shows them. Most resources are served in the version they are stored in;
/// <c>autoscaling/v1</c> HorizontalPodAutoscalers are a view of the stored <c>autoscaling/v2</c> objects, converted on
/// the way out and back on the way in, as the API server converts between versions of one resource.
/// </summary>
internal static class ResourceViews
{
    /// <summary>A stored object as JSON in <paramref name="resource"/>'s version.</summary>
    public static JsonObject ToNode(IKubernetesObject<V1ObjectMeta> stored, ApiResource resource)
    {
        var node = ApiJson.ToNode(stored, resource.ApiVersion, resource.Kind);
        if (resource.Custom is not null)
        {
            // A definition's versions convert with strategy None: only the apiVersion changes.
            node["apiVersion"] = resource.ApiVersion;
        }

        return IsAutoscalingV1(resource) ? AutoscalerToV1(node) : node;
    }

    /// <summary>A body written to <paramref name="resource"/>, as the stored version's JSON.</summary>
    public static JsonObject ToStored(JsonObject body, ApiResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (IsAutoscalingV1(resource))
        {
            return AutoscalerToV2(body);
        }

        if (resource is { Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler" })
        {
            // v2 says everything itself: round-trip annotations written through it are dropped, as upstream's v2 conversion does.
            AutoscalerV1Annotations.Drop(body);
        }

        return body;
    }

    /// <summary>
    /// The stored version's JSON of <paramref name="stored"/> with the status of <paramref name="body"/>, a status write
    /// to <paramref name="resource"/>: a v1 HPA's status keeps the v2 conditions and metrics v1 cannot express.
    /// </summary>
    public static JsonObject WithStatus(IKubernetesObject<V1ObjectMeta> stored, JsonObject body, ApiResource resource)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(resource);
        if (!IsAutoscalingV1(resource))
        {
            var updated = ToNode(stored, resource);
            SetStatus(updated, body["status"]?.DeepClone());
            return updated;
        }

        var v2 = ApiJson.ToNode(stored, "autoscaling/v2", resource.Kind);
        SetStatus(v2, AutoscalerV1Status.ToV2(body, v2["status"] as JsonObject));
        return v2;
    }

    /// <summary>The model type objects of <paramref name="resource"/> are stored as.</summary>
    public static Type StoredType(ApiResource resource) =>
        IsAutoscalingV1(resource) ? typeof(V2HorizontalPodAutoscaler) : resource.ModelType;

    /// <summary>Whether <paramref name="resource"/> is a converted view rather than the stored version.</summary>
    public static bool IsView(ApiResource resource) => IsAutoscalingV1(resource);

    private static bool IsAutoscalingV1(ApiResource resource) => resource is { Group: "autoscaling", Version: "v1", Kind: "HorizontalPodAutoscaler" };

    // v2 → v1: the CPU utilisation target and current value move to v1's own fields; the rest of the spec
    // (AutoscalerV1Spec) and of the status (AutoscalerV1Status) go to upstream's round-trip annotations.
    private static JsonObject AutoscalerToV1(JsonObject v2)
    {
        var spec = v2["spec"] as JsonObject ?? [];
        var status = v2["status"] as JsonObject;
        var v1 = new JsonObject
        {
            ["apiVersion"] = "autoscaling/v1",
            ["kind"] = "HorizontalPodAutoscaler",
            ["metadata"] = v2["metadata"]?.DeepClone(),
        };

        // Only the annotations this conversion writes are round-trip annotations, as upstream clears them first.
        AutoscalerV1Annotations.Drop(v1);
        v1["spec"] = AutoscalerV1Spec.ToV1(spec, v1);
        if (status is not null)
        {
            var v1Status = new JsonObject
            {
                ["observedGeneration"] = status["observedGeneration"]?.DeepClone(),
                ["lastScaleTime"] = status["lastScaleTime"]?.DeepClone(),
                ["currentReplicas"] = status["currentReplicas"]?.DeepClone() ?? 0,
                ["desiredReplicas"] = status["desiredReplicas"]?.DeepClone() ?? 0,
            };
            if (CpuUtilization(status["currentMetrics"], "current") is { } current)
            {
                v1Status["currentCPUUtilizationPercentage"] = current;
            }

            v1["status"] = AutoscalerV1Annotations.Compact(v1Status);
            AutoscalerV1Status.Annotate(v1, status);
        }

        return v1;
    }

    // v1 → v2: the spec from v1's fields and the round-trip annotations (AutoscalerV1Spec), which are then dropped.
    private static JsonObject AutoscalerToV2(JsonObject v1)
    {
        var v2 = new JsonObject
        {
            ["apiVersion"] = "autoscaling/v2",
            ["kind"] = "HorizontalPodAutoscaler",
            ["metadata"] = v1["metadata"]?.DeepClone(),
            ["spec"] = AutoscalerV1Spec.ToV2(v1["spec"] as JsonObject ?? [], AutoscalerV1Annotations.Of(v1)),
        };
        AutoscalerV1Annotations.Drop(v2);
        return v2;
    }

    private static void SetStatus(JsonObject into, JsonNode? status)
    {
        if (status is null)
        {
            into.Remove("status");
        }
        else
        {
            into["status"] = status;
        }
    }

    private static JsonNode? CpuUtilization(JsonNode? metrics, string field) =>
        (metrics as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(m => (string?)m["type"] == "Resource" && (string?)m["resource"]?["name"] == AutoscalerV1Annotations.Cpu)?["resource"]?[field]?["averageUtilization"]?.DeepClone();
}
