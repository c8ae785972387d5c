using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Protocol;

namespace Keelson.Sandbox.Server.Resources;

/// <summary>
/// Upstream's round-trip annotations of an <c>autoscaling/v1</c> HorizontalPodAutoscaler (k8s.io/kubernetes
/// pkg/apis/autoscaling/annotations.go): what the v1 view cannot say in its own fields, as JSON text, and the JSON
/// helpers the spec and status conversions share. The annotations exist only in the v1 view: a write in either
/// version removes them before the object is stored, as upstream's <c>DropRoundTripHorizontalPodAutoscalerAnnotations</c>.
/// </summary>
internal static class AutoscalerV1Annotations
{
    /// <summary>The spec's metrics other than a CPU utilisation target, in v1's <c>MetricSpec</c> shape.</summary>
    public const string MetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";

    /// <summary>The spec's <c>behavior</c>.</summary>
    public const string BehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";

    /// <summary>The status's current metrics, in v1's <c>MetricStatus</c> shape.</summary>
    public const string CurrentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics";

    /// <summary>The status's conditions.</summary>
    public const string ConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";

    /// <summary>The resource name of the one metric v1 has fields for.</summary>
    public const string Cpu = "cpu";

    private static readonly string[] RoundTrip = [MetricsAnnotation, BehaviorAnnotation, CurrentMetricsAnnotation, ConditionsAnnotation];

    /// <summary>The annotations of an object's JSON, or null when it has none.</summary>
    public static JsonObject? Of(JsonObject body) => body?["metadata"]?["annotations"] as JsonObject;

    /// <summary>Sets annotation <paramref name="name"/> of <paramref name="body"/> to the JSON text of <paramref name="value"/>.</summary>
    public static void Put(JsonObject body, string name, JsonNode value)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(value);
        var metadata = body["metadata"] as JsonObject ?? [];
        body["metadata"] = metadata;
        var annotations = metadata["annotations"] as JsonObject ?? [];
        metadata["annotations"] = annotations;
        annotations[name] = value.ToJsonString();
    }

    /// <summary>Removes the round-trip annotations from an object's JSON, and the annotations map if that empties it.</summary>
    public static void Drop(JsonObject body)
    {
        if (Of(body) is not { } annotations)
        {
            return;
        }

        foreach (var name in RoundTrip)
        {
            annotations.Remove(name);
        }

        if (annotations.Count == 0)
        {
            (body["metadata"] as JsonObject)?.Remove("annotations");
        }
    }

    /// <summary>
    /// Whether annotation <paramref name="name"/> is given; if so, <paramref name="value"/> is <paramref name="read"/>
    /// of its parsed JSON (null for <c>null</c>, which Go reads as an empty value). Text that is not JSON, or that
    /// <paramref name="read"/> cannot take, is a 400 naming the annotation and <paramref name="shape"/>, what it must hold.
    /// </summary>
    public static bool TryRead<T>(JsonObject? annotations, string name, string shape, Func<JsonNode?, T> read, out T? value)
    {
        ArgumentNullException.ThrowIfNull(read);
        value = default;
        if (annotations is null || !annotations.TryGetPropertyValue(name, out var given))
        {
            return false;
        }

        try
        {
            var text = given?.GetValue<string>() ?? throw new JsonException("the annotation is null");
            value = read(JsonNode.Parse(text));
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            // Upstream ignores an annotation it cannot read, which loses what it held without a word; refusing
            // the write tells the user which annotation to fix.
            throw ApiException.BadRequest($"metadata.annotations[{name}]: must be {shape}, as the autoscaling/v1 view writes it: {e.Message}");
        }
    }

    /// <summary>The items of a JSON array as objects (none for null); anything else is a <see cref="JsonException"/>.</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? array) =>
        array is null ? [] : array.AsArray().Select(item => item as JsonObject ?? throw new JsonException($"{item?.ToJsonString() ?? "null"} is not an object"));

    /// <summary>
    /// The member <paramref name="name"/> of <paramref name="node"/>, matched without regard to case when there is no
    /// exact match, as Go's <c>encoding/json</c> reads the annotations.
    /// </summary>
    public static JsonNode? Member(JsonObject? node, string name) =>
        node is null ? null
        : node.TryGetPropertyValue(name, out var exact) ? exact
        : node.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The member of a MetricSpec or MetricStatus that holds its source: "Resource" → "resource", "ContainerResource" → "containerResource".</summary>
    public static string SourceField(string type) => type.Length == 0 ? "" : char.ToLowerInvariant(type[0]) + type[1..];

    /// <summary>The same object without its null members.</summary>
    public static JsonObject Compact(JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (var key in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(key);
        }

        return node;
    }
}
