using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (the name column is hidden, as kubectl shows events).</summary>
public sealed class EventRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "Event";

    /// <inheritdoc/>
    public int NamePriority => 1;

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Last Seen", "string", 0, "Time since the event was last seen."),
        new("Type", "string", 0, "Type of the event (Normal or Warning)."),
        new("Reason", "string", 0, "Why the event happened."),
        new("Object", "string", 0, "The object the event is about."),
        new("Message", "string", 0, "What happened."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var e = (Corev1Event)resource;
        return
        [
            clock.Since(e.LastTimestamp ?? e.Metadata.CreationTimestamp),
            e.Type,
            e.Reason,
            $"{e.InvolvedObject?.Kind?.ToLowerInvariant()}/{e.InvolvedObject?.Name}",
            e.Message,
        ];
    }
}
