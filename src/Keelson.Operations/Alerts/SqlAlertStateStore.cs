using System.Collections.Immutable;
using System.Text.Json;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Alerts;

/// <summary>Alert states and transition history in the operations database (tables <c>alert_states</c>, <c>alert_events</c>).</summary>
public sealed class SqlAlertStateStore(Database database) : IAlertStateStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<AlertKey, AlertState>> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            "SELECT rule_name, phase, active_at, fired_at, resolved_at, keep_firing_since, value, series FROM alert_states WHERE tenant_id = @tenant", ("@tenant", tenantId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var states = new Dictionary<AlertKey, AlertState>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            states[new AlertKey(reader.GetString(0), reader.GetString(7))] = new AlertState(Enum.Parse<AlertPhase>(reader.GetString(1)), reader.Time("active_at"), reader.NullableTime("fired_at"),
                reader.NullableTime("resolved_at"), reader.NullableTime("keep_firing_since"), reader.GetDouble(6));
        }

        return states;
    }

    /// <inheritdoc />
    public async Task SaveAsync(string tenantId, IReadOnlyDictionary<AlertKey, AlertState> states, IReadOnlyList<AlertTransition> transitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(transitions);
        var dialect = database.Dialect;
        object? Time(DateTimeOffset? t) => t is { } value ? dialect.Time(value) : DBNull.Value;
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await using (var delete = connection.Command(transaction, "DELETE FROM alert_states WHERE tenant_id = @tenant", ("@tenant", tenantId)))
            {
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var (key, state) in states.OrderBy(s => s.Key.Rule, StringComparer.Ordinal).ThenBy(s => s.Key.Series, StringComparer.Ordinal))
            {
                await using var insert = connection.Command(transaction,
                    "INSERT INTO alert_states (tenant_id, rule_name, series, phase, active_at, fired_at, resolved_at, keep_firing_since, value) VALUES (@tenant, @rule, @series, @phase, @active, @fired, @resolved, @keep, @value)",
                    ("@tenant", tenantId), ("@rule", key.Rule), ("@series", key.Series), ("@phase", state.Phase.ToString()), ("@active", dialect.Time(state.ActiveAt)), ("@fired", Time(state.FiredAt)),
                    ("@resolved", Time(state.ResolvedAt)), ("@keep", Time(state.KeepFiringSince)), ("@value", state.Value));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var t in transitions)
            {
                await using var insert = connection.Command(transaction,
                    "INSERT INTO alert_events (tenant_id, rule_name, series, at, from_phase, to_phase, value, labels) VALUES (@tenant, @rule, @series, @at, @from, @to, @value, @labels)",
                    ("@tenant", t.TenantId), ("@rule", t.RuleName), ("@series", t.Series), ("@at", dialect.Time(t.At)), ("@from", t.From.ToString()), ("@to", t.To.ToString()), ("@value", t.Value),
                    ("@labels", JsonSerializer.Serialize(t.Labels)));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant's transitions, newest first.</summary>
    public async Task<IReadOnlyList<AlertTransition>> HistoryAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            "SELECT rule_name, at, from_phase, to_phase, value, labels FROM alert_events WHERE tenant_id = @tenant ORDER BY at DESC, id DESC LIMIT @limit", ("@tenant", tenantId), ("@limit", limit));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<AlertTransition>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new AlertTransition(tenantId, reader.GetString(0), reader.Time("at"), Enum.Parse<AlertPhase>(reader.GetString(2)), Enum.Parse<AlertPhase>(reader.GetString(3)),
                reader.GetDouble(4), JsonSerializer.Deserialize<ImmutableSortedDictionary<string, string>>(reader.GetString(5))!));
        }

        return events;
    }

    /// <summary>A page of the tenant's transitions (of one rule when <paramref name="ruleName"/> is set), newest first, and how many there are.</summary>
    public async Task<(IReadOnlyList<AlertTransition> Events, long Total)> HistoryPageAsync(string tenantId, string? ruleName, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var filter = ruleName is null ? "tenant_id = @tenant" : "tenant_id = @tenant AND rule_name = @rule";
        (string, object?)[] where = ruleName is null ? [("@tenant", tenantId)] : [("@tenant", tenantId), ("@rule", ruleName)];
        await using var count = connection.Command(null, $"SELECT COUNT(*) FROM alert_events WHERE {filter}", where);
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        await using var select = connection.Command(null,
            $"SELECT rule_name, at, from_phase, to_phase, value, labels FROM alert_events WHERE {filter} ORDER BY at DESC, id DESC LIMIT @limit OFFSET @offset",
            [.. where, ("@limit", limit), ("@offset", offset)]);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<AlertTransition>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new AlertTransition(tenantId, reader.GetString(0), reader.Time("at"), Enum.Parse<AlertPhase>(reader.GetString(2)), Enum.Parse<AlertPhase>(reader.GetString(3)),
                reader.GetDouble(4), JsonSerializer.Deserialize<ImmutableSortedDictionary<string, string>>(reader.GetString(5))!));
        }

        return (events, total);
    }
}
