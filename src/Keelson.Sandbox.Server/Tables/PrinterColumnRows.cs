using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Server.CustomResources;
using Keelson.Sandbox.Server.Protocol;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>
/// A CustomResourceDefinition's <c>additionalPrinterColumns</c>, as the API extensions server's table convertor
/// prints them: each cell read with the column's JSONPath (several matches joined by spaces, none an empty cell),
/// <c>date</c> columns as an age. A definition without columns prints NAME and AGE.
/// </summary>
public sealed class PrinterColumnRows(string kind, IReadOnlyList<PrinterColumn> columns) : IRowPrinter
{
    private static readonly IReadOnlyList<PrinterColumn> AgeOnly = [new("Age", "date", "", "", 0, ".metadata.creationTimestamp")];

    private readonly IReadOnlyList<PrinterColumn> printed = columns.Count > 0 ? columns : AgeOnly;

    /// <inheritdoc/>
    public string Kind => kind;

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns => [.. printed.Select(c => new TableColumn(c.Name, c.Type, c.Priority, c.Description))];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var json = ApiJson.ToNode((object)resource);
        return [.. printed.Select(c => Cell(json, c, clock))];
    }

    private static JsonNode? Cell(JsonNode json, PrinterColumn column, TableClock clock)
    {
        var found = JsonPathCells.Select(json, column.JsonPath);
        if (found.Count == 0)
        {
            return null;
        }

        if (column.Type == "date" && found[0] is JsonValue text && text.GetValueKind() == JsonValueKind.String
            && DateTime.TryParse(text.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            return clock.Since(at);
        }

        if (found.Count == 1 && found[0] is JsonValue single && column.Type is "integer" or "number" or "boolean")
        {
            return single.DeepClone();
        }

        return string.Join(' ', found.Select(f => f is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : f?.ToJsonString() ?? ""));
    }
}

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0]</c>, <c>.a[*].b</c> and filters
/// <c>.a[?(@.type=="Ready")].status</c>.
/// </summary>
public static class JsonPathCells
{
    /// <summary>The values <paramref name="path"/> reaches in <paramref name="root"/>, in document order.</summary>
    public static IReadOnlyList<JsonNode?> Select(JsonNode root, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var current = new List<JsonNode?> { root };
        var text = path.Trim().TrimStart('{').TrimEnd('}').Trim();
        var i = 0;
        while (i < text.Length && current.Count > 0)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != '.' && text[end] != '[')
                {
                    end++;
                }

                var name = text[(i + 1)..end];
                current = [.. current.OfType<JsonObject>().Where(o => o.ContainsKey(name)).Select(o => o[name])];
                i = end;
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0)
                {
                    return [];
                }

                var index = text[(i + 1)..end];
                current = [.. current.OfType<JsonArray>().SelectMany(a => Index(a, index))];
                i = end + 1;
            }
            else if (text[i] == '@' || text[i] == '$')
            {
                i++;
            }
            else
            {
                return [];
            }
        }

        return current.Where(c => c is not null).ToList();
    }

    private static IEnumerable<JsonNode?> Index(JsonArray array, string index)
    {
        if (index == "*")
        {
            return array;
        }

        if (int.TryParse(index, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            var at = n < 0 ? array.Count + n : n;
            return at >= 0 && at < array.Count ? [array[at]] : [];
        }

        // ?(@.field=="value") or ?(@.field=='value')
        if (index.StartsWith("?(@.", StringComparison.Ordinal) && index.EndsWith(')') && index.IndexOf("==", StringComparison.Ordinal) is var eq and > 0)
        {
            var field = index[4..eq];
            var value = index[(eq + 2)..^1].Trim().Trim('"', '\'');
            return array.Where(item => item is JsonObject o && Select(o, "." + field) is [JsonValue v] && (v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) == value);
        }

        return [];
    }
}
