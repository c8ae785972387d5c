using System.Collections.Immutable;

namespace Keelson.Operations.Alerts;

/// <summary>
/// One time an alert fired: the transition into firing, and how it ended — resolved at <see cref="ResolvedAt"/>, still
/// firing (<see cref="Firing"/>), or neither when its rule was deleted while it fired.
/// </summary>
/// <param name="Id">The transition's row id: stable, and the order alerts were raised in.</param>
/// <param name="TenantId">The tenant.</param>
/// <param name="RuleName">The rule (<c>alertname</c>).</param>
/// <param name="FiredAt">When it started firing.</param>
/// <param name="Value">The condition's value when it fired.</param>
/// <param name="Labels">The alert's labels (severity among them).</param>
/// <param name="ResolvedAt">When it resolved, if it did.</param>
/// <param name="Firing">Whether this occurrence is firing now.</param>
public sealed record AlertOccurrence(long Id, string TenantId, string RuleName, DateTimeOffset FiredAt, double Value, ImmutableSortedDictionary<string, string> Labels, DateTimeOffset? ResolvedAt, bool Firing)
{
    /// <summary>The <c>severity</c> label, or null.</summary>
    public string? Severity => Labels.TryGetValue("severity", out var s) ? s : null;
}

/// <summary>Which occurrences to list: all fields optional.</summary>
/// <param name="TenantId">One tenant only.</param>
/// <param name="Severity">One severity label value only.</param>
/// <param name="Firing">True: firing now; false: ended; null: both.</param>
/// <param name="Since">Fired at or after this instant.</param>
/// <param name="Category">One <c>category</c> label value only.</param>
public sealed record AlertOccurrenceFilter(string? TenantId = null, string? Severity = null, bool? Firing = null, DateTimeOffset? Since = null, string? Category = null);
