using System.Collections.Immutable;
using Keelson.Operations.Alerts;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Alerts;

/// <summary>Alert states survive a new store over the same database (a restarted replica); history is kept newest first.</summary>
public abstract class AlertStateStoreContract(TestDatabase target) : StoreContract(target)
{
    [Fact]
    public async Task States_round_trip_and_history_accumulates()
    {
        var at = Clock.GetUtcNow();
        var pending = new AlertState(AlertPhase.Pending, at, null, null, null, 91.5);
        var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("alertname", "HighCpu"), KeyValuePair.Create("tenant", "acme")]);
        await new SqlAlertStateStore(Database).SaveAsync("acme", new Dictionary<AlertKey, AlertState> { [AlertKey.Of("HighCpu")] = pending },
            [new AlertTransition("acme", "HighCpu", at, AlertPhase.Inactive, AlertPhase.Pending, 91.5, labels)], default);
        var firing = pending with { Phase = AlertPhase.Firing, FiredAt = at.AddMinutes(1), Value = 97 };
        await new SqlAlertStateStore(Database).SaveAsync("acme", new Dictionary<AlertKey, AlertState> { [AlertKey.Of("HighCpu")] = firing },
            [new AlertTransition("acme", "HighCpu", at.AddMinutes(1), AlertPhase.Pending, AlertPhase.Firing, 97, labels)], default);

        var reopened = new SqlAlertStateStore(OpenAnother());
        Assert.Equal(firing, (await reopened.LoadAsync("acme", default))[AlertKey.Of("HighCpu")]);
        Assert.Empty(await reopened.LoadAsync("other", default));
        var history = await reopened.HistoryAsync("acme", 10, default);
        Assert.Equal([AlertPhase.Firing, AlertPhase.Pending], history.Select(h => h.To));
        Assert.Equal(labels, history[0].Labels);
    }

    [Fact]
    public async Task A_promql_rule_keeps_one_state_per_series_beside_the_condition_state()
    {
        var at = Clock.GetUtcNow();
        ImmutableSortedDictionary<string, string> Series(string node) =>
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("alertname", "NodeHot"), KeyValuePair.Create("node", node), KeyValuePair.Create("tenant", "acme")]);
        var states = new Dictionary<AlertKey, AlertState>
        {
            [AlertKey.Of("HighCpu")] = new(AlertPhase.Firing, at, at, null, null, 91),
            [AlertKey.Of("NodeHot", Series("a"))] = new(AlertPhase.Pending, at.AddSeconds(-30), null, null, null, 1),
            [AlertKey.Of("NodeHot", Series("b"))] = new(AlertPhase.Firing, at.AddMinutes(-5), at, null, null, 2),
        };
        await new SqlAlertStateStore(Database).SaveAsync("acme", states, [], default);

        var loaded = await new SqlAlertStateStore(OpenAnother()).LoadAsync("acme", default);
        Assert.Equal(states.OrderBy(s => s.Key.Rule, StringComparer.Ordinal).ThenBy(s => s.Key.Series, StringComparer.Ordinal),
            loaded.OrderBy(s => s.Key.Rule, StringComparer.Ordinal).ThenBy(s => s.Key.Series, StringComparer.Ordinal));
        Assert.Equal("b", loaded.Keys.Single(k => k.IsSeries && loaded[k].Phase == AlertPhase.Firing).SeriesLabels["node"]);
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteAlertStateStoreTests() : AlertStateStoreContract(new SqliteTestDatabase());

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresAlertStateStoreTests(PostgresServer server) : AlertStateStoreContract(new PostgresTestDatabase(server));
