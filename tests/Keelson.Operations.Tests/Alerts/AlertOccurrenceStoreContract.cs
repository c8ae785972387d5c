using System.Collections.Immutable;
using Keelson.Operations.Alerts;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Alerts;

/// <summary>Alert occurrences are the evaluation's own history: each firing is one, resolved by the next transition out of firing.</summary>
public abstract class AlertOccurrenceStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Each_series_of_a_promql_rule_is_its_own_occurrence_resolved_within_its_series()
    {
        var t0 = Clock.GetUtcNow();
        var states = new SqlAlertStateStore(Database);
        var a = Labels("NodeHot", "acme", "critical").SetItem("node", "a");
        var b = Labels("NodeHot", "acme", "critical").SetItem("node", "b");
        AlertKey KeyA() => AlertKey.Of("NodeHot", a);
        AlertKey KeyB() => AlertKey.Of("NodeHot", b);
        var firingA = new AlertState(AlertPhase.Firing, t0, t0, null, null, 91);
        var firingB = new AlertState(AlertPhase.Firing, t0.AddMinutes(1), t0.AddMinutes(1), null, null, 92);
        await states.SaveAsync("acme", new Dictionary<AlertKey, AlertState> { [KeyA()] = firingA },
            [new AlertTransition("acme", "NodeHot", t0, AlertPhase.Inactive, AlertPhase.Firing, 91, a, KeyA().Series)], None);
        await states.SaveAsync("acme", new Dictionary<AlertKey, AlertState> { [KeyA()] = firingA, [KeyB()] = firingB },
            [new AlertTransition("acme", "NodeHot", t0.AddMinutes(1), AlertPhase.Inactive, AlertPhase.Firing, 92, b, KeyB().Series)], None);
        await states.SaveAsync("acme", new Dictionary<AlertKey, AlertState> { [KeyA()] = firingA with { Phase = AlertPhase.Inactive, ResolvedAt = t0.AddMinutes(2) }, [KeyB()] = firingB },
            [new AlertTransition("acme", "NodeHot", t0.AddMinutes(2), AlertPhase.Firing, AlertPhase.Inactive, 91, a, KeyA().Series)], None);

        var (items, total) = await new SqlAlertOccurrenceStore(OpenAnother()).PageAsync(new AlertOccurrenceFilter(TenantId: "acme"), 0, 10, None);
        Assert.Equal(2, total);
        Assert.Equal([("b", true, (DateTimeOffset?)null), ("a", false, t0.AddMinutes(2))], items.Select(o => (o.Labels["node"], o.Firing, o.ResolvedAt)));
    }

    [Fact]
    public async Task Firings_are_listed_newest_first_with_how_they_ended_and_filtered()
    {
        var t0 = Clock.GetUtcNow();
        var states = new SqlAlertStateStore(Database);
        var cpu = Labels("HighCpu", "acme", "critical");
        var firing = new AlertState(AlertPhase.Firing, t0, t0, null, null, 95);
        await states.SaveAsync("acme", new Dictionary<AlertKey, AlertState> { [AlertKey.Of("HighCpu")] = firing },
            [new AlertTransition("acme", "HighCpu", t0, AlertPhase.Inactive, AlertPhase.Pending, 95, cpu), new AlertTransition("acme", "HighCpu", t0, AlertPhase.Pending, AlertPhase.Firing, 95, cpu)], None);
        await states.SaveAsync("acme", new Dictionary<AlertKey, AlertState> { [AlertKey.Of("HighCpu")] = firing with { Phase = AlertPhase.Inactive, ResolvedAt = t0.AddMinutes(3) } },
            [new AlertTransition("acme", "HighCpu", t0.AddMinutes(3), AlertPhase.Firing, AlertPhase.Inactive, 40, cpu)], None);
        await states.SaveAsync("acme", new Dictionary<AlertKey, AlertState> { [AlertKey.Of("HighCpu")] = new AlertState(AlertPhase.Firing, t0.AddMinutes(5), t0.AddMinutes(5), null, null, 97) },
            [new AlertTransition("acme", "HighCpu", t0.AddMinutes(5), AlertPhase.Inactive, AlertPhase.Firing, 97, cpu)], None);
        await states.SaveAsync("other", new Dictionary<AlertKey, AlertState> { [AlertKey.Of("SlowReplies")] = new AlertState(AlertPhase.Firing, t0.AddMinutes(4), t0.AddMinutes(4), null, null, 700) },
            [new AlertTransition("other", "SlowReplies", t0.AddMinutes(4), AlertPhase.Inactive, AlertPhase.Firing, 700, Labels("SlowReplies", "other", "warn_ing"))], None);

        var store = new SqlAlertOccurrenceStore(OpenAnother());
        var (all, total) = await store.PageAsync(new AlertOccurrenceFilter(), 0, 10, None);
        Assert.Equal(3, total);
        Assert.Equal([("acme", 97.0, true, (DateTimeOffset?)null), ("other", 700.0, true, null), ("acme", 95.0, false, t0.AddMinutes(3))],
            all.Select(o => (o.TenantId, o.Value, o.Firing, o.ResolvedAt)));
        Assert.Equal("critical", all[0].Severity);

        var (page, pageTotal) = await store.PageAsync(new AlertOccurrenceFilter(), 1, 1, None);
        Assert.Equal((3L, "SlowReplies"), (pageTotal, page.Single().RuleName));

        Assert.Equal([95.0], (await store.PageAsync(new AlertOccurrenceFilter(Firing: false), 0, 10, None)).Items.Select(o => o.Value));
        Assert.Equal([97.0, 95.0], (await store.PageAsync(new AlertOccurrenceFilter(TenantId: "acme"), 0, 10, None)).Items.Select(o => o.Value));
        Assert.Equal([700.0], (await store.PageAsync(new AlertOccurrenceFilter(Severity: "warn_ing"), 0, 10, None)).Items.Select(o => o.Value));
        Assert.Empty((await store.PageAsync(new AlertOccurrenceFilter(Severity: "warnXing"), 0, 10, None)).Items);
        Assert.Equal(2, (await store.PageAsync(new AlertOccurrenceFilter(Since: t0.AddMinutes(4)), 0, 10, None)).Total);

        var one = await store.GetAsync(all[2].Id, None);
        Assert.Equal(("HighCpu", false, t0.AddMinutes(3)), (one!.RuleName, one.Firing, one.ResolvedAt));
        Assert.Null(await store.GetAsync(all[2].Id + 1000, None));
    }

    private static ImmutableSortedDictionary<string, string> Labels(string alert, string tenant, string severity) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [KeyValuePair.Create("alertname", alert), KeyValuePair.Create("severity", severity), KeyValuePair.Create("tenant", tenant)]);
}

/// <summary>On SQLite.</summary>
public sealed class SqliteAlertOccurrenceStoreTests() : AlertOccurrenceStoreContract(new SqliteTestDatabase());

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresAlertOccurrenceStoreTests(PostgresServer server) : AlertOccurrenceStoreContract(new PostgresTestDatabase(server));
