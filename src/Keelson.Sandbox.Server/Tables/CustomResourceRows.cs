using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Server.Protocol;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>
/// Custom resources with the <c>additionalPrinterColumns</c> their upstream CRDs declare: each cell read from the
/// object's JSON, empty where the field is missing, as the API server prints it.
/// </summary>
public abstract class CustomResourceRows : IRowPrinter
{
    /// <inheritdoc/>
    public abstract string Kind { get; }

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns => [.. Printed.Select(c => c.Column), new("Age", "date", 0, "Time since the object was created.")];

    /// <summary>The columns before AGE, each with how to read it from the object.</summary>
    protected abstract IReadOnlyList<(TableColumn Column, Func<JsonNode, string> Read)> Printed { get; }

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var json = ApiJson.ToNode((object)resource);
        return [.. Printed.Select(c => (JsonNode?)c.Read(json)), clock.Since(resource.Metadata.CreationTimestamp)];
    }

    /// <summary>The scalar at a dotted path, as text, or empty.</summary>
    protected static string Field(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var name in path.Split('.'))
        {
            current = current is JsonObject o ? o[name] : null;
        }

        return current is JsonValue value ? value.ToString() : "";
    }

    /// <summary>The status of the condition of <paramref name="type"/>, or empty.</summary>
    protected static string Condition(JsonNode node, string type) =>
        node["status"]?["conditions"] is JsonArray conditions
            ? conditions.OfType<JsonObject>().Where(c => c["type"]?.ToString() == type).Select(c => c["status"]?.ToString() ?? "").FirstOrDefault() ?? ""
            : "";

    /// <summary>A field of each item of an array, space-separated as a <c>[*]</c> JSONPath prints.</summary>
    protected static string Each(JsonNode node, string arrayPath, string field)
    {
        JsonNode? current = node;
        foreach (var name in arrayPath.Split('.'))
        {
            current = current is JsonObject o ? o[name] : null;
        }

        return current is JsonArray items ? string.Join(' ', items.OfType<JsonObject>().Select(i => Field(i, field)).Where(t => t.Length > 0)) : "";
    }
}

/// <summary>KEDA scaled objects: SCALETARGETKIND, SCALETARGETNAME, MIN, MAX, TRIGGERS, AUTHENTICATION, READY, ACTIVE, FALLBACK, AGE.</summary>
public sealed class ScaledObjectRows : CustomResourceRows
{
    /// <inheritdoc/>
    public override string Kind => "ScaledObject";

    /// <inheritdoc/>
    protected override IReadOnlyList<(TableColumn Column, Func<JsonNode, string> Read)> Printed { get; } =
    [
        (new("ScaleTargetKind", "string", 0, ".status.scaleTargetKind"), o => Field(o, "status.scaleTargetKind")),
        (new("ScaleTargetName", "string", 0, ".spec.scaleTargetRef.name"), o => Field(o, "spec.scaleTargetRef.name")),
        (new("Min", "integer", 0, ".spec.minReplicaCount"), o => Field(o, "spec.minReplicaCount")),
        (new("Max", "integer", 0, ".spec.maxReplicaCount"), o => Field(o, "spec.maxReplicaCount")),
        (new("Triggers", "string", 0, ".spec.triggers[*].type"), o => Each(o, "spec.triggers", "type")),
        (new("Authentication", "string", 0, ".spec.triggers[*].authenticationRef.name"), o => Each(o, "spec.triggers", "authenticationRef.name")),
        (new("Ready", "string", 0, "The Ready condition."), o => Condition(o, "Ready")),
        (new("Active", "string", 0, "The Active condition."), o => Condition(o, "Active")),
        (new("Fallback", "string", 0, "The Fallback condition."), o => Condition(o, "Fallback")),
    ];
}

/// <summary>Spark applications: STATUS, ATTEMPTS, START, FINISH, AGE.</summary>
public sealed class SparkApplicationRows : CustomResourceRows
{
    /// <inheritdoc/>
    public override string Kind => "SparkApplication";

    /// <inheritdoc/>
    protected override IReadOnlyList<(TableColumn Column, Func<JsonNode, string> Read)> Printed { get; } =
    [
        (new("Status", "string", 0, ".status.applicationState.state"), o => Field(o, "status.applicationState.state")),
        (new("Attempts", "string", 0, ".status.executionAttempts"), o => Field(o, "status.executionAttempts")),
        (new("Start", "string", 0, ".status.lastSubmissionAttemptTime"), o => Field(o, "status.lastSubmissionAttemptTime")),
        (new("Finish", "string", 0, ".status.terminationTime"), o => Field(o, "status.terminationTime")),
    ];
}
