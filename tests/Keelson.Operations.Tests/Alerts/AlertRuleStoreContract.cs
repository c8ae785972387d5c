using System.Collections.Immutable;
using Keelson.Operations.Alerts;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Alerts;

/// <summary>What <see cref="SqlAlertRuleStore"/> must do on each provider: rules per tenant, versions, and the evaluation lease.</summary>
public abstract class AlertRuleStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_rule_round_trips_and_names_are_unique_per_tenant()
    {
        var store = await WithTenantsAsync("acme", "other");
        var created = await store.CreateAsync(Rule("acme", "high_cpu_usage"), None);

        Assert.Equal(1, created.Version);
        var read = await new SqlAlertRuleStore(OpenAnother()).GetAsync("acme", "high_cpu_usage", None);
        Assert.NotNull(read);
        Assert.Equal(("cpu_usage > 80", TimeSpan.FromMinutes(5), "critical", "https://hooks.example.com/x?token=s3cret"),
            (read.Condition, read.For, read.Severity, read.Actions[0].Url));
        Assert.Equal(["admin@company.com"], read.Actions[1].Recipients!);
        Assert.Equal("{{ $value }}", read.Annotations["summary"]);
        Assert.Equal(created.CreatedAt, read.CreatedAt);

        await Assert.ThrowsAsync<DuplicateAlertRuleException>(() => store.CreateAsync(Rule("acme", "high_cpu_usage"), None));
        await store.CreateAsync(Rule("other", "high_cpu_usage"), None);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.CreateAsync(Rule("nobody", "high_cpu_usage"), None));
        Assert.Single(await store.ListAsync("acme", None));
        Assert.Equal(["acme", "other"], await store.TenantsAsync(None));
    }

    [Fact]
    public async Task Replace_checks_the_version_and_enable_disable_bump_it()
    {
        var store = await WithTenantsAsync("acme");
        var created = await store.CreateAsync(Rule("acme", "r"), None);

        var replaced = await store.ReplaceAsync(created with { Condition = "cpu_usage > 90" }, 1, None);
        Assert.Equal((2L, "cpu_usage > 90"), (replaced.Version, replaced.Condition));
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.ReplaceAsync(created with { Condition = "cpu_usage > 95" }, 1, None));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.ReplaceAsync(created with { Name = "gone" }, null, None));

        var disabled = await store.SetEnabledAsync("acme", "r", false, None);
        Assert.Equal((false, 3L), (disabled!.Enabled, disabled.Version));
        Assert.Null(await store.SetEnabledAsync("acme", "gone", true, None));
        Assert.Equal("cpu_usage > 90", (await store.GetAsync("acme", "r", None))!.Condition);
    }

    [Fact]
    public async Task Delete_removes_the_rule_and_its_state_and_active_joins_the_severity()
    {
        var store = await WithTenantsAsync("acme");
        await store.CreateAsync(Rule("acme", "a"), None);
        await store.CreateAsync(Rule("acme", "b") with { Severity = "warning" }, None);
        var at = Clock.GetUtcNow();
        await new SqlAlertStateStore(Database).SaveAsync("acme", new Dictionary<AlertKey, AlertState>
        {
            [AlertKey.Of("a")] = new(AlertPhase.Firing, at, at, null, null, 91),
            [AlertKey.Of("b")] = new(AlertPhase.Pending, at, null, null, null, 85),
        }, [], None);

        var active = await store.ActiveAsync(null, None);
        Assert.Equal([("a", "critical", AlertPhase.Firing), ("b", "warning", AlertPhase.Pending)], active.Select(a => (a.RuleName, a.Severity, a.State.Phase)));
        Assert.Empty(await store.ActiveAsync("other", None));

        Assert.True(await store.DeleteAsync("acme", "a", None));
        Assert.False(await store.DeleteAsync("acme", "a", None));
        Assert.Equal(["b"], (await store.ActiveAsync("acme", None)).Select(a => a.RuleName));
    }

    [Fact]
    public async Task One_replica_holds_a_tenants_evaluation_lease_until_it_runs_out_or_is_released()
    {
        await WithTenantsAsync("acme");
        var (a, b) = (new SqlAlertRuleStore(OpenAnother()), new SqlAlertRuleStore(OpenAnother()));
        var now = Clock.GetUtcNow();
        var first = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).TryLeaseAsync("acme", $"r{i}", now, now.AddSeconds(30), None))));
        Assert.Equal(1, first.Count(l => l.Held));
        var holder = $"r{Array.FindIndex(first, l => l.Held)}";
        var other = holder == "r0" ? "r1" : "r0";

        Assert.Equal((true, TimeSpan.FromSeconds(15)), ((await a.TryLeaseAsync("acme", holder, now.AddSeconds(10), now.AddSeconds(40), None)) is var renewed ? renewed.Held : false, renewed.Interval));
        Assert.True(await a.MarkEvaluatedAsync("acme", holder, now.AddSeconds(10), None));
        Assert.False(await a.MarkEvaluatedAsync("acme", other, now.AddSeconds(10), None));
        Assert.False((await b.TryLeaseAsync("acme", other, now.AddSeconds(39), now.AddSeconds(60), None)).Held);

        var taken = await b.TryLeaseAsync("acme", other, now.AddSeconds(40), now.AddSeconds(70), None);
        Assert.Equal((true, (DateTimeOffset?)now.AddSeconds(10)), (taken.Held, taken.EvaluatedAt));
        Assert.True(await b.ReleaseLeaseAsync("acme", other, None));
        Assert.True((await a.TryLeaseAsync("acme", holder, now.AddSeconds(41), now.AddSeconds(71), None)).Held);

        await a.SetIntervalAsync("acme", TimeSpan.FromSeconds(30), None);
        Assert.Equal(TimeSpan.FromSeconds(30), await b.IntervalAsync("acme", None));
        Assert.Equal(SqlAlertRuleStore.DefaultInterval, await b.IntervalAsync("nobody", None));
    }

    private static AlertRuleRecord Rule(string tenant, string name) => new()
    {
        TenantId = tenant,
        Name = name,
        Condition = "cpu_usage > 80",
        For = TimeSpan.FromMinutes(5),
        Severity = "critical",
        Annotations = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("summary", "{{ $value }}")]),
        Actions = [new AlertAction("webhook", "https://hooks.example.com/x?token=s3cret", "POST"), new AlertAction("email", Recipients: ["admin@company.com"])],
    };

    private async Task<SqlAlertRuleStore> WithTenantsAsync(params string[] tenants)
    {
        foreach (var tenant in tenants)
        {
            await new SqlTenantStore(Database).CreateAsync(Tenants.Tenants.Seed(tenant), None);
        }

        return new SqlAlertRuleStore(Database);
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteAlertRuleStoreTests() : AlertRuleStoreContract(new SqliteTestDatabase());

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresAlertRuleStoreTests(PostgresServer server) : AlertRuleStoreContract(new PostgresTestDatabase(server));
