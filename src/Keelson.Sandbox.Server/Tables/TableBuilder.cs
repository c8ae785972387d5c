using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>
/// <c>meta.k8s.io/v1 Table</c> responses, which kubectl asks for on <c>get</c>: without them it prints only NAME
/// and AGE (it has no client-side printers any more), so <c>-o wide</c> would show no node.
/// </summary>
public static class TableBuilder
{
    private static readonly IRowPrinter Default = new DefaultRows();

    // Every printer in this assembly, found once: adding a kind's columns means adding a class, not editing a list.
    private static readonly Dictionary<string, IRowPrinter> Printers = typeof(IRowPrinter).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IRowPrinter).IsAssignableFrom(t) && t != typeof(DefaultRows) && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (IRowPrinter)Activator.CreateInstance(t)!)
        .ToDictionary(p => p.Kind, StringComparer.Ordinal);

    /// <summary>A table of <paramref name="objects"/>; run inside the gate, as it reads stored objects.</summary>
    public static JsonObject Build(ApiResource resource, IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, TableClock clock, bool includeObject, long resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var printer = resource.Custom is { } custom ? new PrinterColumnRows(resource.Kind, custom.Columns) : Printers.GetValueOrDefault(resource.Kind, Default);
        var columns = new JsonArray(Column(new TableColumn("Name", "string", printer.NamePriority, "Name must be unique within a namespace."), "name"));
        foreach (var column in printer.Columns)
        {
            columns.Add(Column(column, ""));
        }

        var rows = new JsonArray();
        foreach (var item in objects)
        {
            var cells = new JsonArray((JsonNode)item.Metadata.Name);
            foreach (var cell in printer.Cells(item, clock))
            {
                cells.Add(cell);
            }

            var json = ResourceViews.ToNode(item, resource);
            rows.Add(new JsonObject
            {
                ["cells"] = cells,
                ["object"] = includeObject ? json : new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = json["metadata"]?.DeepClone(),
                },
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    /// <summary>Labels in kubectl's <c>k=v,k=v</c> form, or <c>&lt;none&gt;</c>.</summary>
    public static string LabelList(IDictionary<string, string>? labels) =>
        labels is { Count: > 0 } ? string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) : "<none>";

    /// <summary>A pod template's container names and images, comma-separated, for the wide CONTAINERS and IMAGES columns.</summary>
    public static (string Names, string Images) Containers(V1PodTemplateSpec? template)
    {
        var containers = template?.Spec?.Containers ?? [];
        return (string.Join(',', containers.Select(c => c.Name)), string.Join(',', containers.Select(c => c.Image)));
    }

    private static JsonObject Column(TableColumn column, string format) => new()
    {
        ["name"] = column.Name,
        ["type"] = column.Type,
        ["format"] = format,
        ["description"] = column.Description,
        ["priority"] = column.Priority,
    };
}
