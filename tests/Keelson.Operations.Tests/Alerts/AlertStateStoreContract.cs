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
        await new SqlAlertStateStore(Database).SaveAsync("acme", new Dictionary<string, AlertState> { ["HighCpu"] = pending },
            [new AlertTransition("acme", "HighCpu", at, AlertPhase.Inactive, AlertPhase.Pending, 91.5, labels)], default);
        var firing = pending with { Phase = AlertPhase.Firing, FiredAt = at.AddMinutes(1), Value = 97 };
        await new SqlAlertStateStore(Database).SaveAsync("acme", new Dictionary<string, AlertState> { ["HighCpu"] = firing },
            [new AlertTransition("acme", "HighCpu", at.AddMinutes(1), AlertPhase.Pending, AlertPhase.Firing, 97, labels)], default);

        var reopened = new SqlAlertStateStore(OpenAnother());
        Assert.Equal(firing, (await reopened.LoadAsync("acme", default))["HighCpu"]);
        Assert.Empty(await reopened.LoadAsync("other", default));
        var history = await reopened.HistoryAsync("acme", 10, default);
        Assert.Equal([AlertPhase.Firing, AlertPhase.Pending], history.Select(h => h.To));
        Assert.Equal(labels, history[0].Labels);
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteAlertStateStoreTests() : AlertStateStoreContract(new SqliteTestDatabase());

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresAlertStateStoreTests(PostgresServer server) : AlertStateStoreContract(new PostgresTestDatabase(server));
