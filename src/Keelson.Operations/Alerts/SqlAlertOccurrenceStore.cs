using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Alerts;

/// <summary>
/// Alerts as a list of occurrences across tenants, read from the evaluation's own tables: each transition into firing in
/// <c>alert_events</c> is one alert; the next transition out of firing of the same rule and series resolves it, and the
/// series' row in <c>alert_states</c> says whether it is still firing. Nothing is stored here; the list is the alert engine's history.
/// </summary>
public sealed class SqlAlertOccurrenceStore(Database database)
{
    private const string Occurrences =
        "SELECT e.id, e.tenant_id, e.rule_name, e.at, e.value, e.labels, " +
        "(SELECT MIN(r.at) FROM alert_events r WHERE r.tenant_id = e.tenant_id AND r.rule_name = e.rule_name AND r.series = e.series AND r.from_phase = 'Firing' AND r.to_phase <> 'Firing' AND r.id > e.id) AS resolved_at, " +
        "(SELECT COUNT(*) FROM alert_states s WHERE s.tenant_id = e.tenant_id AND s.rule_name = e.rule_name AND s.series = e.series AND s.phase = 'Firing' AND s.fired_at = e.at) AS firing " +
        "FROM alert_events e WHERE e.to_phase = 'Firing'";

    /// <summary>A page of occurrences matching <paramref name="filter"/>, newest first, and how many match in all.</summary>
    public async Task<(IReadOnlyList<AlertOccurrence> Items, long Total)> PageAsync(AlertOccurrenceFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        var inner = Occurrences;
        if (filter.TenantId is { } tenant)
        {
            inner += " AND e.tenant_id = @tenant";
            parameters.Add(("@tenant", tenant));
        }

        if (filter.Since is { } since)
        {
            inner += " AND e.at >= @since";
            parameters.Add(("@since", database.Dialect.Time(since)));
        }

        foreach (var (label, value, parameter) in new[] { ("severity", filter.Severity, "@severity"), ("category", filter.Category, "@category") })
        {
            if (value is null)
            {
                continue;
            }

            // Labels are serialized from a sorted dictionary by System.Text.Json, so the pair appears exactly like this;
            // a quote inside another label's value is escaped and cannot fake it.
            var pair = JsonSerializer.Serialize(new Dictionary<string, string> { [label] = value })[1..^1];
            inner += $" AND e.labels LIKE {parameter} ESCAPE '!'";
            parameters.Add((parameter, $"%{pair.Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal)}%"));
        }

        if (filter.Firing is { } firing)
        {
            where.Add(firing ? "o.firing > 0" : "o.firing = 0");
        }

        var clause = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var count = connection.Command(null, $"SELECT COUNT(*) FROM ({inner}) o{clause}", [.. parameters]);
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        await using var select = connection.Command(null, $"SELECT o.* FROM ({inner}) o{clause} ORDER BY o.at DESC, o.id DESC LIMIT @limit OFFSET @offset",
            [.. parameters, ("@limit", limit), ("@offset", offset)]);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<AlertOccurrence>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new AlertOccurrence(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.Time("at"), reader.GetDouble(4),
                JsonSerializer.Deserialize<ImmutableSortedDictionary<string, string>>(reader.GetString(5))!, reader.NullableTime("resolved_at"),
                Convert.ToInt64(reader.GetValue(7), CultureInfo.InvariantCulture) > 0));
        }

        return (items, total);
    }

    /// <summary>The occurrence with this id, or null.</summary>
    public async Task<AlertOccurrence?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null, $"SELECT o.* FROM ({Occurrences} AND e.id = @id) o", ("@id", id));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new AlertOccurrence(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.Time("at"), reader.GetDouble(4),
                JsonSerializer.Deserialize<ImmutableSortedDictionary<string, string>>(reader.GetString(5))!, reader.NullableTime("resolved_at"),
                Convert.ToInt64(reader.GetValue(7), CultureInfo.InvariantCulture) > 0)
            : null;
    }
}
