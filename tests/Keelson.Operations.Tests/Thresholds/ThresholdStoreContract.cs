using System.Collections.Immutable;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Keelson.Operations.Tests.Storage;
using Keelson.Operations.Thresholds;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Thresholds;

/// <summary>Threshold settings: one default per scope, replace keeps identity, soft delete, tenant scope separate from the database-wide one.</summary>
public abstract class ThresholdStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_new_default_replaces_the_old_one_of_its_scope_only()
    {
        await new SqlTenantStore(Database).CreateAsync(Tenants.Tenants.Seed("acme"), None);
        var store = new SqlThresholdStore(Database);
        var first = await store.CreateAsync(Setting("first", null, cpuWarning: 80) with { IsDefault = true }, None);
        var own = await store.CreateAsync(Setting("own", "acme", cpuWarning: 60) with { IsDefault = true }, None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await store.CreateAsync(Setting("second", null, cpuWarning: 70) with { IsDefault = true, PresetName = "premium", SlaLevel = 99.9 }, None);

        var reopened = new SqlThresholdStore(OpenAnother());
        var current = await reopened.DefaultAsync(null, None);
        Assert.Equal((second.Id, "second", true), (current!.Id, current.SettingId, current.IsDefault));
        Assert.Equal((70.0, 90.0, "premium", 99.9), (current.Thresholds["cpu"].Warning, current.Thresholds["cpu"].Critical, current.PresetName, current.SlaLevel));
        Assert.Equal("own", (await reopened.DefaultAsync("acme", None))!.SettingId);
        Assert.False((await reopened.GetAsync("first", None))!.IsDefault);
        Assert.True(first.Id < own.Id && own.Id < second.Id);

        var all = await reopened.ListAsync("monitoring", activeOnly: true, None);
        Assert.Equal(["own", "second", "first"], all.Select(s => s.SettingId));
        Assert.Empty(await reopened.ListAsync("other", activeOnly: true, None));
    }

    [Fact]
    public async Task Replace_keeps_the_id_and_creation_and_a_deleted_setting_cannot_be_replaced()
    {
        var store = new SqlThresholdStore(Database);
        var created = await store.CreateAsync(Setting("s1", null, cpuWarning: 80), None);
        Clock.Advance(TimeSpan.FromMinutes(5));
        var replaced = await store.ReplaceAsync(Setting("s1", "ignored-tenant", cpuWarning: 75) with { Name = "renamed" }, None);

        Assert.NotNull(replaced);
        Assert.Equal((created.Id, created.CreatedAt, (string?)null, "renamed", 75.0), (replaced.Id, replaced.CreatedAt, replaced.TenantId, replaced.Name, replaced.Thresholds["cpu"].Warning));
        Assert.Equal(created.CreatedAt.AddMinutes(5), (await store.GetAsync("s1", None))!.UpdatedAt);

        Assert.True(await store.DeactivateAsync("s1", None));
        Assert.False(await store.DeactivateAsync("s1", None));
        Assert.Null(await store.ReplaceAsync(Setting("s1", null, cpuWarning: 70), None));
        Assert.False((await store.GetAsync("s1", None))!.IsActive);
        Assert.Empty(await store.ListAsync(null, activeOnly: true, None));
        Assert.Single(await store.ListAsync(null, activeOnly: false, None));
        Assert.Null(await store.ReplaceAsync(Setting("missing", null, cpuWarning: 70), None));
    }

    [Fact]
    public async Task A_setting_for_a_missing_tenant_is_refused()
    {
        var store = new SqlThresholdStore(Database);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.CreateAsync(Setting("x", "nobody", cpuWarning: 80), None));
        Assert.Null(await store.GetAsync("x", None));
    }

    private static ThresholdSetting Setting(string id, string? tenant, double cpuWarning) => new()
    {
        SettingId = id,
        TenantId = tenant,
        Name = $"setting {id}",
        Thresholds = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
        [
            KeyValuePair.Create("cpu", new ThresholdLevel(cpuWarning, 90)),
            KeyValuePair.Create("error_rate", new ThresholdLevel(5.0, 10.5)),
        ]),
    };
}

/// <summary>On SQLite.</summary>
public sealed class SqliteThresholdStoreTests() : ThresholdStoreContract(new SqliteTestDatabase());

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresThresholdStoreTests(PostgresServer server) : ThresholdStoreContract(new PostgresTestDatabase(server));
