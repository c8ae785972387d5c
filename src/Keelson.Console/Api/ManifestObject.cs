using System.Text.Json.Nodes;

namespace Keelson.Console.Api;

/// <summary>One rendered object: where it goes, what it is, and its YAML document.</summary>
public sealed record ManifestObject(string Namespace, string Kind, string Name, string Yaml)
{
    /// <summary>What the tree shows for cluster-wide objects.</summary>
    public const string ClusterWide = "(cluster-wide)";

    /// <summary>The validator's name for the object (<c>Kind/namespace/name</c> or <c>Kind/name</c>).</summary>
    public string Reference => Namespace == ClusterWide ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    /// <summary>
    /// Pairs the objects of the JSON rendering (a <c>List</c>) with the documents of the YAML rendering of the same
    /// tenant: the renderer is deterministic and writes both in one order. A document whose kind and name disagree
    /// with its object is not used; the object's JSON is shown instead.
    /// </summary>
    public static IReadOnlyList<ManifestObject> Pair(JsonNode list, string yaml)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(yaml);
        var documents = SplitDocuments(yaml);
        var items = list["items"]?.AsArray() ?? [];
        var objects = new List<ManifestObject>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i]!;
            var kind = item["kind"]?.GetValue<string>() ?? "?";
            var name = item["metadata"]?["name"]?.GetValue<string>() ?? "?";
            var ns = item["metadata"]?["namespace"]?.GetValue<string>() ?? ClusterWide;
            var document = i < documents.Count && documents[i].Contains($"kind: {kind}", StringComparison.Ordinal) && documents[i].Contains($"name: {name}", StringComparison.Ordinal)
                ? documents[i]
                : item.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
            objects.Add(new ManifestObject(ns, kind, name, document));
        }

        return objects;
    }

    /// <summary>The documents of a multi-document YAML stream (separated by <c>---</c> lines), without empty ones.</summary>
    public static IReadOnlyList<string> SplitDocuments(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var documents = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var line in yaml.Split('\n'))
        {
            if (line.TrimEnd('\r') == "---")
            {
                Flush();
                continue;
            }

            current.Append(line).Append('\n');
        }

        Flush();
        return documents;

        void Flush()
        {
            var text = current.ToString().Trim('\n');
            if (text.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')))
            {
                documents.Add(text);
            }

            current.Clear();
        }
    }
}
