using System.Collections.Immutable;
using System.Text.Json;

namespace Keelson.Operations.Alerts;

/// <summary>
/// Which alert a state belongs to: the rule and the result series it came from. A condition rule has one series per
/// tenant (<see cref="Series"/> empty); a PromQL rule keeps one alert per result series, as Prometheus does, keyed by the
/// series' labels without <c>__name__</c> as canonical JSON (label names in ordinal order).
/// </summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Series">The series' labels as canonical JSON, or empty for the tenant's single condition series.</param>
public readonly record struct AlertKey(string Rule, string Series)
{
    /// <summary>The key of a condition rule's one alert.</summary>
    public static AlertKey Of(string rule) => new(rule, string.Empty);

    /// <summary>The key of a PromQL rule's alert for the result series <paramref name="labels"/> (<c>__name__</c> is dropped, as Prometheus drops it).</summary>
    public static AlertKey Of(string rule, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var kept = labels.Where(l => l.Key != "__name__").ToImmutableSortedDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        return new AlertKey(rule, kept.Count == 0 ? "{}" : JsonSerializer.Serialize(kept));
    }

    /// <summary>True for a PromQL rule's per-series alert.</summary>
    public bool IsSeries => Series.Length > 0;

    /// <summary>The series' labels (empty for a condition rule's alert).</summary>
    public ImmutableSortedDictionary<string, string> SeriesLabels => Series.Length == 0
        ? ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal)
        : JsonSerializer.Deserialize<Dictionary<string, string>>(Series)!.ToImmutableSortedDictionary(StringComparer.Ordinal);
}
