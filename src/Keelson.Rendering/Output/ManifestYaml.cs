using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Rendering.Crds;

namespace Keelson.Rendering.Output;

/// <summary>Serialises objects as multi-document YAML or as a JSON <c>List</c>, and reads them back.</summary>
public static class ManifestYaml
{
    /// <summary>The CRD kinds Keelson renders, for reading manifests back into typed objects.</summary>
    public static readonly IReadOnlyDictionary<string, Type> CustomKinds = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [$"{SparkApplication.Version}/SparkApplication"] = typeof(SparkApplication),
        [$"{SparkApplication.Version}/ScheduledSparkApplication"] = typeof(ScheduledSparkApplication),
        [$"{ScaledObject.Version}/ScaledObject"] = typeof(ScaledObject),
        [$"{ServiceMonitor.Version}/ServiceMonitor"] = typeof(ServiceMonitor),
        [$"{ServiceMonitor.Version}/PrometheusRule"] = typeof(PrometheusRule),
    };

    // KubernetesClient's own serializer options (its converters for quantities, IntOrString, dates), captured
    // through its public configuration hook so objects serialise straight to a JsonDocument.
    private static readonly Lazy<JsonSerializerOptions> KubernetesOptions = new(() =>
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesJson did not expose its serializer options.");
    });

    /// <summary>KubernetesClient's serializer options, for reading and writing typed objects with <see cref="JsonSerializer"/>.</summary>
    public static JsonSerializerOptions JsonOptions => KubernetesOptions.Value;

    /// <summary>One YAML document.</summary>
    public static string Document(IKubernetesObject<V1ObjectMeta> resource)
    {
        var text = new StringBuilder(4096);
        Append(text, resource);
        return text.ToString();
    }

    /// <summary>Documents separated by <c>---</c>, ending with a newline.</summary>
    public static string Documents(IEnumerable<IKubernetesObject<V1ObjectMeta>> resources)
    {
        var text = new StringBuilder(64 * 1024);
        foreach (var resource in resources)
        {
            if (text.Length > 0)
            {
                text.Append("---\n");
            }

            Append(text, resource);
        }

        return text.ToString();
    }

    /// <summary>The JSON form of an object, with KubernetesClient's converters, as a mutable node.</summary>
    public static JsonObject ToJsonNode(IKubernetesObject<V1ObjectMeta> resource) =>
        (JsonObject)JsonSerializer.SerializeToNode(resource, resource.GetType(), KubernetesOptions.Value)!;

    /// <summary>One YAML document for a JSON object node.</summary>
    public static string Document(JsonObject node)
    {
        using var json = JsonDocument.Parse(node.ToJsonString());
        var text = new StringBuilder(4096);
        JsonToYaml.Append(text, json.RootElement);
        return text.ToString();
    }

    private static void Append(StringBuilder text, IKubernetesObject<V1ObjectMeta> resource)
    {
        using var json = JsonSerializer.SerializeToDocument(resource, resource.GetType(), KubernetesOptions.Value);
        JsonToYaml.Append(text, json.RootElement);
    }

    /// <summary>A <c>v1/List</c> of the objects, indented, ending with a newline.</summary>
    public static string JsonList(IEnumerable<IKubernetesObject<V1ObjectMeta>> resources)
    {
        var items = new JsonArray();
        foreach (var resource in resources)
        {
            items.Add(JsonNode.Parse(KubernetesJson.Serialize(resource)));
        }

        var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items };
        return list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Reads multi-document YAML into typed objects, including Keelson's CRD kinds.</summary>
    public static IReadOnlyList<object> Read(string yaml) => KubernetesYaml.LoadAllFromString(yaml, CustomKinds.ToDictionary(k => k.Key, k => k.Value));
}
