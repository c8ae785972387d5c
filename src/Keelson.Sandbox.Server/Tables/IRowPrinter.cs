using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>
/// The columns <c>kubectl get</c> shows for one kind, as the API server's table convertor defines them; columns
/// of priority 1 appear only with <c>-o wide</c>. Adding a kind's columns means adding one printer.
/// </summary>
public interface IRowPrinter
{
    /// <summary>The kind printed.</summary>
    string Kind { get; }

    /// <summary>The NAME column's priority: 1 hides it outside wide output, as for events.</summary>
    int NamePriority => 0;

    /// <summary>The columns after NAME, in order.</summary>
    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>One cell per column of <see cref="Columns"/>, its ages measured with <paramref name="clock"/>.</summary>
    IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock);
}

/// <summary>A column of a <c>meta.k8s.io/v1 Table</c>.</summary>
/// <param name="Name">Header, as kubectl upper-cases it.</param>
/// <param name="Type">OpenAPI type of the cells: string, integer, number, boolean, date.</param>
/// <param name="Priority">0 always shown, 1 only in wide output.</param>
/// <param name="Description">What the column means.</param>
public sealed record TableColumn(string Name, string Type, int Priority, string Description);
