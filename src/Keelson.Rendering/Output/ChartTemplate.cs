using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Keelson.Rendering.Output;

/// <summary>
/// One object on its way to a chart template: fields are swapped for sentinel strings in the JSON tree,
/// the tree is written as YAML, and the sentinels are replaced by template expressions.
/// </summary>
internal sealed partial class ChartTemplate(JsonObject node)
{
    [GeneratedRegex(@"\{\{.*?\}\}")]
    private static partial Regex Braces();

    private readonly List<(string Sentinel, string Replacement, bool Block)> swaps = [];

    /// <summary>Replaces a scalar with <c>{{ expr }}</c> and records its default in <paramref name="values"/>.</summary>
    public void Value(string[] path, string expression, JsonObject? values = null, string? key = null) =>
        Swap(path, $"{{{{ {expression} }}}}", values, key, block: false);

    /// <summary>Replaces a string with <c>{{ expr | quote }}</c>.</summary>
    public void Quoted(string[] path, string expression, JsonObject? values = null, string? key = null) =>
        Swap(path, $"{{{{ {expression} | quote }}}}", values, key, block: false);

    /// <summary>Replaces a mapping with <c>{{- toYaml expr | nindent N }}</c>.</summary>
    public void Block(string[] path, string expression, JsonObject? values = null, string? key = null) =>
        Swap(path, expression, values, key, block: true);

    /// <summary>The template text.</summary>
    public string Text()
    {
        // Text that is itself a template (alert annotations, dashboard legends) must reach the cluster as
        // written: Helm's raw-string action {{`...`}} passes it through untouched.
        var yaml = Braces().Replace(ManifestYaml.Document(node), m => "{{`" + m.Value + "`}}");
        foreach (var (sentinel, replacement, block) in swaps)
        {
            if (!block)
            {
                yaml = yaml.Replace(sentinel, replacement, StringComparison.Ordinal);
                continue;
            }

            // The block goes one level below its key: nindent's width is the key's column plus two.
            var at = yaml.IndexOf(sentinel, StringComparison.Ordinal);
            var lineStart = yaml.LastIndexOf('\n', at) + 1;
            var line = yaml[lineStart..at];
            var keyColumn = line.Length - line.TrimStart(' ', '-').Length;
            var width = keyColumn + 2;
            yaml = yaml.Replace(sentinel, $"{{{{- toYaml {replacement} | nindent {width.ToString(CultureInfo.InvariantCulture)} }}}}", StringComparison.Ordinal);
        }

        return yaml;
    }

    private void Swap(string[] path, string replacement, JsonObject? values, string? key, bool block)
    {
        JsonNode parent = node;
        foreach (var step in path[..^1])
        {
            parent = parent is JsonArray array ? array[int.Parse(step, CultureInfo.InvariantCulture)]! : parent[step]!;
        }

        var last = path[^1];
        var current = parent is JsonArray list ? list[int.Parse(last, CultureInfo.InvariantCulture)] : parent[last];
        if (values is not null && key is not null)
        {
            values[key] = current?.DeepClone();
        }

        var sentinel = "KEELSONVALUE" + swaps.Count.ToString("D4", CultureInfo.InvariantCulture) + "X";
        if (parent is JsonArray items)
        {
            items[int.Parse(last, CultureInfo.InvariantCulture)] = sentinel;
        }
        else
        {
            parent[last] = sentinel;
        }

        swaps.Add((sentinel, replacement, block));
    }
}
