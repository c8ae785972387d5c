namespace Keelson.Sandbox.Fields;

/// <summary>
/// One entry of <c>metadata.managedFields</c>: a manager, the operation it used (<c>Apply</c> or <c>Update</c>), the
/// version and subresource it wrote through, when it last changed something, and the fields it owns.
/// </summary>
public sealed record ManagerEntry(string Manager, string Operation, string ApiVersion, string? Subresource, DateTime? Time, FieldSet Fields)
{
    /// <summary>The operation of server-side apply.</summary>
    public const string Apply = "Apply";

    /// <summary>The operation of every other write.</summary>
    public const string Update = "Update";

    /// <summary>
    /// Who the entry belongs to, as the API server tells managers apart: name, operation, subresource and, for
    /// updates only, the version (an applier keeps one entry whatever version it applies with).
    /// </summary>
    public (string Manager, string Operation, string ApiVersion, string Subresource) Identity =>
        (Manager, Operation, Operation == Apply ? "" : ApiVersion, Subresource ?? "");

    /// <summary>The manager as the API server names it in a conflict: <c>"kubectl"</c>, <c>"kubectl" with subresource "scale" using apps/v1</c>.</summary>
    public string Describe()
    {
        var name = $"\"{Manager}\"";
        if (!string.IsNullOrEmpty(Subresource))
        {
            name += $" with subresource \"{Subresource}\"";
        }

        return Operation == Update ? $"{name} using {ApiVersion}" : name;
    }
}

/// <summary>A field another manager owns with a different value than an apply sets.</summary>
public sealed record FieldConflict(ManagerEntry Owner, FieldPath Path);

/// <summary>An apply that would change fields other managers own (409 Conflict unless forced).</summary>
public sealed class FieldConflictException(IReadOnlyList<FieldConflict> conflicts) : Exception(MessageOf(conflicts))
{
    /// <summary>Each conflicting field with its owner, by manager then path.</summary>
    public IReadOnlyList<FieldConflict> Conflicts { get; } = conflicts;

    // The API server's message: one conflict on a line, several grouped by manager.
    private static string MessageOf(IReadOnlyList<FieldConflict> conflicts)
    {
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: conflict with {conflicts[0].Owner.Describe()}: {conflicts[0].Path}";
        }

        var lines = conflicts.GroupBy(c => c.Owner.Describe(), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => new[] { $"conflicts with {g.Key}:" }.Concat(g.Select(c => $"- {c.Path}")));
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
