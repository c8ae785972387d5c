using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Rendering.Crds;

namespace Keelson.Rendering.Output;

/// <summary>
/// A Helm chart of the rendered objects. Templates use a deliberately small part of Helm's language —
/// <c>{{ .Values.a.b }}</c>, <c>| quote</c>, <c>toYaml … | nindent N</c>, <c>if .Values.x.enabled</c>, and
/// raw strings <c>{{`…`}}</c> for text that must stay a template (alert annotations) —
/// so that Keelson's tests can evaluate them without Helm and prove the chart with its default values
/// yields exactly the objects of the plain YAML output.
/// </summary>
public static class HelmLayout
{
    /// <summary>The chart's files.</summary>
    public static IReadOnlyList<OutputFile> Files(Manifest manifest)
    {
        var values = new JsonObject();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var templates = new List<OutputFile>();
        foreach (var o in manifest.Objects)
        {
            var chart = new ChartTemplate(ManifestYaml.ToJsonNode(o.Resource));
            var condition = Parameterise(o, chart, values, keys);
            var body = chart.Text();
            if (condition is not null)
            {
                body = $"{{{{- if {condition} }}}}\n{body}{{{{- end }}}}\n";
            }

            templates.Add(new OutputFile($"templates/{o.Resource.Kind.ToLowerInvariant()}-{o.Resource.Metadata.Name}.yaml", body));
        }

        values["ingress"] = new JsonObject { ["enabled"] = true };
        values["monitoring"] = new JsonObject { ["enabled"] = manifest.Objects.Any(o => o.Group == ObjectGroup.Monitoring) };

        var files = new List<OutputFile>
        {
            new("Chart.yaml", ChartYaml(manifest)),
            new("values.yaml", "# Defaults reproduce Keelson's plan exactly; change them per environment.\n" + ManifestYaml.Document(values)),
            new("values.schema.json", Schema(values).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"),
            new("templates/NOTES.txt", Notes(manifest)),
        };
        files.AddRange(templates.OrderBy(t => t.Path, StringComparer.Ordinal));
        return files;
    }

    /// <summary>A values key for an object name: lower camel case, since Helm paths cannot contain '-'.</summary>
    public static string Key(string name)
    {
        var parts = name.Split('-', StringSplitOptions.RemoveEmptyEntries);
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static string? Parameterise(RenderedObject o, ChartTemplate chart, JsonObject values, Dictionary<string, string> keys)
    {
        var resource = o.Resource;
        var key = Key(resource.Metadata.Name);
        if (keys.TryGetValue(key, out var owner) && owner != resource.Metadata.Name)
        {
            throw new InvalidOperationException($"Objects '{owner}' and '{resource.Metadata.Name}' map to the same chart value key '{key}'.");
        }

        JsonObject Section()
        {
            keys[key] = resource.Metadata.Name;
            return values[key] as JsonObject ?? (JsonObject)(values[key] = new JsonObject());
        }

        switch (resource)
        {
            case V1Deployment or V1StatefulSet:
                var section = Section();
                chart.Value(["spec", "replicas"], $".Values.{key}.replicas", section, "replicas");
                Container(chart, ["spec", "template", "spec", "containers", "0"], key, section);
                return null;
            case V1Job:
                Container(chart, ["spec", "template", "spec", "containers", "0"], key, Section());
                return null;
            case V1CronJob:
                Container(chart, ["spec", "jobTemplate", "spec", "template", "spec", "containers", "0"], key, Section());
                return null;
            case V2HorizontalPodAutoscaler:
                var scaling = AutoscalingSection(Section());
                chart.Value(["spec", "minReplicas"], $".Values.{key}.autoscaling.minReplicas", scaling, "minReplicas");
                chart.Value(["spec", "maxReplicas"], $".Values.{key}.autoscaling.maxReplicas", scaling, "maxReplicas");
                return $".Values.{key}.autoscaling.enabled";
            case ScaledObject:
                var keda = AutoscalingSection(Section());
                chart.Value(["spec", "minReplicaCount"], $".Values.{key}.autoscaling.minReplicas", keda, "minReplicas");
                chart.Value(["spec", "maxReplicaCount"], $".Values.{key}.autoscaling.maxReplicas", keda, "maxReplicas");
                return $".Values.{key}.autoscaling.enabled";
            case V1Ingress ingress:
                var hosts = new JsonObject();
                Section()["hosts"] = hosts;
                var byHost = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var host in ingress.Spec.Rules.Select(r => r.Host).Distinct())
                {
                    var hostKey = byHost.Count == 0 ? "primary" : "host" + (byHost.Count + 1).ToString(CultureInfo.InvariantCulture);
                    byHost[host] = hostKey;
                    hosts[hostKey] = host;
                }

                for (var r = 0; r < ingress.Spec.Rules.Count; r++)
                {
                    chart.Quoted(["spec", "rules", Index(r), "host"], $".Values.{key}.hosts.{byHost[ingress.Spec.Rules[r].Host]}");
                }

                for (var t = 0; t < (ingress.Spec.Tls?.Count ?? 0); t++)
                {
                    for (var h = 0; h < ingress.Spec.Tls![t].Hosts.Count; h++)
                    {
                        chart.Quoted(["spec", "tls", Index(t), "hosts", Index(h)], $".Values.{key}.hosts.{byHost[ingress.Spec.Tls[t].Hosts[h]]}");
                    }
                }

                return ".Values.ingress.enabled";
            default:
                return o.Group == ObjectGroup.Monitoring ? ".Values.monitoring.enabled" : null;
        }
    }

    private static JsonObject AutoscalingSection(JsonObject section)
    {
        var scaling = section["autoscaling"] as JsonObject ?? (JsonObject)(section["autoscaling"] = new JsonObject());
        scaling["enabled"] = true;
        return scaling;
    }

    private static void Container(ChartTemplate chart, string[] path, string key, JsonObject section)
    {
        chart.Quoted([.. path, "image"], $".Values.{key}.image", section, "image");
        chart.Block([.. path, "resources"], $".Values.{key}.resources", section, "resources");
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string ChartYaml(Manifest manifest)
    {
        var spec = manifest.Plan.Spec;
        var chart = new JsonObject
        {
            ["apiVersion"] = "v2",
            ["name"] = spec.Metadata.Tenant,
            ["description"] = $"{spec.Metadata.DisplayName}: rendered by Keelson from a {manifest.Plan.Preset} plan on {spec.Cluster.Name}",
            ["type"] = "application",
            ["version"] = "0.1.0",
            ["appVersion"] = "1.0.0",
            ["keywords"] = new JsonArray("keelson", manifest.Plan.Preset),
        };
        return ManifestYaml.Document(chart);
    }

    private static string Notes(Manifest manifest)
    {
        var text = new StringBuilder();
        text.Append("Keelson rendered {{ .Chart.Name }} into namespace ").Append(manifest.Namespace).Append(".\n\n");
        text.Append("Secrets are placeholders: fill them before the pods can start (see docs/rendering.md).\n");
        foreach (var host in manifest.OfType<V1Ingress>().SelectMany(i => i.Spec.Rules.Select(r => r.Host)).Distinct().Order(StringComparer.Ordinal))
        {
            text.Append("Route: https://").Append(host).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A JSON Schema for values.yaml: the types of the defaults, no unknown keys at the top two levels.</summary>
    private static JsonObject Schema(JsonObject values)
    {
        static JsonObject Of(JsonNode? node, int depth) => node switch
        {
            JsonObject o when depth < 3 => new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Of(p.Value, depth + 1)))),
                ["additionalProperties"] = false,
            },
            JsonObject => new JsonObject { ["type"] = "object" },
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => new JsonObject { ["type"] = "boolean" },
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
            _ => new JsonObject { ["type"] = "string" },
        };

        var schema = Of(values, 0);
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        return schema;
    }
}
