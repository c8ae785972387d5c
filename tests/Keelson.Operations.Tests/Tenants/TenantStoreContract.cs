using System.Text.Json.Nodes;
using Keelson.Operations.Audit;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Tenants;

/// <summary>What every <see cref="ITenantStore"/> must do, run against each provider (and through the Redis cache).</summary>
public abstract class TenantStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The store under test; the SQL store unless a subclass wraps it.</summary>
    protected virtual ITenantStore Store(Keelson.Operations.Storage.Database database) => new SqlTenantStore(database);

    [Fact]
    public async Task Create_then_get_round_trips_every_column()
    {
        var store = Store(Database);
        var created = await store.CreateAsync(Tenants.Seed("global-call-center", status: TenantStatus.Running), None);

        var read = await store.GetAsync("global-call-center", None);

        Assert.NotNull(read);
        Assert.Equal(1, created.Version);
        Assert.Equal(Clock.GetUtcNow(), read.CreatedAt);
        Assert.Equal(Clock.GetUtcNow(), read.UpdatedAt);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(created.ServiceRequirementsJson), JsonNode.Parse(read.ServiceRequirementsJson)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(created.ResourcesJson), JsonNode.Parse(read.ResourcesJson)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(created.SlaTargetJson), JsonNode.Parse(read.SlaTargetJson)));

        // JSON text may be normalized by the database (JSONB); everything else comes back exactly.
        Assert.Equal(WithoutJson(created), WithoutJson(read));
    }

    private static TenantRecord WithoutJson(TenantRecord t) => t with { ServiceRequirementsJson = "", ResourcesJson = "", SlaTargetJson = "" };

    [Fact]
    public async Task Times_from_the_system_clock_read_back_exactly()
    {
        await using var real = Keelson.Operations.Storage.Database.Open(Options, TimeProvider.System);
        var store = Store(real);

        var created = await store.CreateAsync(Tenants.Seed("t1"), None);
        var read = await store.GetAsync("t1", None);

        Assert.Equal((created.CreatedAt, created.UpdatedAt), (read!.CreatedAt, read.UpdatedAt));
    }

    [Fact]
    public async Task Get_of_an_unknown_tenant_is_null()
    {
        Assert.Null(await Store(Database).GetAsync("nobody", None));
    }

    [Fact]
    public async Task List_pages_in_creation_order_with_the_seeds_counts_over_all_tenants()
    {
        var store = Store(Database);
        await store.CreateAsync(Tenants.Seed("a", status: TenantStatus.Running), None);
        await store.CreateAsync(Tenants.Seed("b", isDemo: true), None);
        await store.CreateAsync(Tenants.Seed("c", isDemo: true, status: TenantStatus.Running), None);
        await store.CreateAsync(Tenants.Seed("d", status: TenantStatus.Failed), None);
        await store.CreateAsync(Tenants.Seed("e"), None);

        var first = await store.ListAsync(0, 2, null, None);
        var last = await store.ListAsync(4, 2, null, None);
        var beyond = await store.ListAsync(10, 2, null, None);

        Assert.Equal(["a", "b"], first.Items.Select(t => t.TenantId));
        Assert.Equal(["e"], last.Items.Select(t => t.TenantId));
        Assert.Empty(beyond.Items);
        Assert.All(new[] { first, last, beyond }, page =>
        {
            Assert.Equal(5, page.TotalCount);
            Assert.Equal(2, page.DemoCount);
            Assert.Equal(2, page.ActiveCount);
        });
    }

    [Fact]
    public async Task A_search_keeps_ids_and_names_containing_it_and_presets_or_statuses_equal_to_it_ignoring_case_and_counts_only_those()
    {
        var store = Store(Database);
        await store.CreateAsync(Tenants.Seed("acme-east", status: TenantStatus.Running) with { Name = "Acme East" }, None);
        await store.CreateAsync(Tenants.Seed("west", isDemo: true) with { Name = "ACME west 50% off" }, None);
        await store.CreateAsync(Tenants.Seed("globex", status: TenantStatus.Running) with { Name = "Globex", Preset = "small" }, None);
        await store.CreateAsync(Tenants.Seed("initech") with { Name = "Initech 5x0" }, None);

        var acme = await store.ListAsync(0, 10, "  aCmE ", None);
        Assert.Equal(["acme-east", "west"], acme.Items.Select(t => t.TenantId));
        Assert.Equal((2, 1, 1), (acme.TotalCount, acme.DemoCount, acme.ActiveCount));

        // Paging applies to the matches.
        Assert.Equal(["west"], (await store.ListAsync(1, 10, "acme", None)).Items.Select(t => t.TenantId));
        Assert.Equal(["acme-east", "globex"], (await store.ListAsync(0, 10, "RUNNING", None)).Items.Select(t => t.TenantId));
        Assert.Equal(["globex"], (await store.ListAsync(0, 10, "small", None)).Items.Select(t => t.TenantId));
        // A preset or a status must be whole: "smal" is nobody's.
        Assert.Equal(0, (await store.ListAsync(0, 10, "smal", None)).TotalCount);

        // LIKE's wildcards are the user's characters, not patterns.
        Assert.Equal(["west"], (await store.ListAsync(0, 10, "0%", None)).Items.Select(t => t.TenantId));
        Assert.Equal(0, (await store.ListAsync(0, 10, "5_0", None)).TotalCount);
        Assert.Equal(4, (await store.ListAsync(0, 10, " ", None)).TotalCount);
    }

    [Fact]
    public async Task List_of_an_empty_database_has_zero_counts()
    {
        Assert.Equal(new TenantPage([], 0, 0, 0), await Store(Database).ListAsync(0, 20, null, None) with { Items = [] });
    }

    [Fact]
    public async Task Creating_a_taken_tenant_id_throws_DuplicateTenantException()
    {
        var store = Store(Database);
        await store.CreateAsync(Tenants.Seed("my-ai-service"), None);

        var e = await Assert.ThrowsAsync<DuplicateTenantException>(() => store.CreateAsync(Tenants.Seed("my-ai-service"), None));

        Assert.Equal("my-ai-service", e.TenantId);
        Assert.Equal(1, (await store.ListAsync(0, 10, null, None)).TotalCount);
    }

    [Fact]
    public async Task A_tenant_id_that_is_not_a_DNS_label_is_refused()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Store(Database).CreateAsync(Tenants.Seed("My_Service"), None));
        Assert.Contains("DNS label", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_with_the_current_version_stores_it_and_bumps_the_version()
    {
        var store = Store(Database);
        var created = await store.CreateAsync(Tenants.Seed("t1"), None);
        Clock.Advance(TimeSpan.FromMinutes(3));

        var updated = await store.UpdateAsync(created with { Status = TenantStatus.Deploying, GpuLimit = 8 }, None);
        var read = await store.GetAsync("t1", None);

        Assert.Equal(2, updated.Version);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal(Clock.GetUtcNow(), updated.UpdatedAt);
        Assert.NotNull(read);
        Assert.Equal((TenantStatus.Deploying, 8, 2L, Clock.GetUtcNow()), (read.Status, read.GpuLimit!.Value, read.Version, read.UpdatedAt));
    }

    [Fact]
    public async Task SetStatus_changes_only_the_status_whatever_the_version_and_reads_back_through_any_cache()
    {
        var store = Store(Database);
        await store.CreateAsync(Tenants.Seed("t1"), None);
        var before = (await store.GetAsync("t1", None))!;
        Assert.Equal(TenantStatus.Pending, before.Status);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.True(await store.SetStatusAsync("t1", TenantStatus.Running, None));
        var read = await store.GetAsync("t1", None);

        Assert.Equal((TenantStatus.Running, 2L, Clock.GetUtcNow()), (read!.Status, read.Version, read.UpdatedAt));
        Assert.Equal(before with { Status = TenantStatus.Running, Version = 2, UpdatedAt = Clock.GetUtcNow() }, read);
        Assert.False(await store.SetStatusAsync("nobody", TenantStatus.Running, None));
    }

    [Fact]
    public async Task Update_from_a_stale_read_throws_ConcurrencyException_and_keeps_the_first_write()
    {
        var store = Store(Database);
        await store.CreateAsync(Tenants.Seed("t1"), None);
        var alice = (await store.GetAsync("t1", None))!;
        var bob = (await store.GetAsync("t1", None))!;

        await store.UpdateAsync(alice with { Name = "Alice" }, None);
        var e = await Assert.ThrowsAsync<ConcurrencyException>(() => store.UpdateAsync(bob with { Name = "Bob" }, None));

        Assert.Equal(1, e.ExpectedVersion);
        Assert.Equal("Alice", (await store.GetAsync("t1", None))!.Name);
    }

    [Fact]
    public async Task Update_of_a_missing_tenant_throws_RecordNotFoundException()
    {
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Store(Database).UpdateAsync(Tenants.Seed("gone") with { Version = 1 }, None));
    }

    [Fact]
    public async Task Delete_removes_the_tenant_and_says_whether_there_was_one()
    {
        var store = Store(Database);
        await store.CreateAsync(Tenants.Seed("t1"), None);
        await store.GetAsync("t1", None);

        Assert.True(await store.DeleteAsync("t1", None));
        Assert.False(await store.DeleteAsync("t1", None));
        Assert.Null(await store.GetAsync("t1", None));
        Assert.Equal(0, (await store.ListAsync(0, 10, null, None)).TotalCount);
    }

    private static AuditEntry Entry(string action, string tenantId) =>
        new() { Time = new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero), Actor = "admin", Action = action, TenantId = tenantId, DetailsJson = "{}" };

    [Fact]
    public async Task A_change_and_its_audit_entry_are_written_together_or_not_at_all()
    {
        var store = Store(Database);
        var audit = new SqlAuditLog(Database);
        var created = await store.CreateAsync(Tenants.Seed("t1"), Entry("tenant.create", "t1"), None);
        await store.UpdateAsync(created, Entry("tenant.update", "t1"), None);

        // Refused changes leave no entry: a taken id, a stale version, a tenant that is not there.
        await Assert.ThrowsAsync<DuplicateTenantException>(() => store.CreateAsync(Tenants.Seed("t1"), Entry("tenant.create", "t1"), None));
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.UpdateAsync(created, Entry("tenant.update", "t1"), None));
        Assert.False(await store.DeleteAsync("nobody", Entry("tenant.delete", "nobody"), None));
        Assert.Equal(["tenant.update", "tenant.create"], (await audit.ListAsync(null, 0, 10, None)).Select(e => e.Action));

        // The entry fails in the database after the tenant row was written (NULL actor): the tenant row is rolled back with it.
        var broken = Entry("tenant.create", "t2") with { Actor = null! };
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.CreateAsync(Tenants.Seed("t2"), broken, None));
        Assert.Null(await store.GetAsync("t2", None));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.DeleteAsync("t1", Entry("tenant.delete", "t1") with { Actor = null! }, None));
        Assert.NotNull(await store.GetAsync("t1", None));

        Assert.True(await store.DeleteAsync("t1", Entry("tenant.delete", "t1"), None));
        Assert.Equal(["tenant.delete", "tenant.update", "tenant.create"], (await audit.ListAsync("t1", 0, 10, None)).Select(e => e.Action));
    }
}

/// <summary>The tenant contract on SQLite.</summary>
public sealed class SqliteTenantStoreTests() : TenantStoreContract(new SqliteTestDatabase());

/// <summary>The tenant contract on PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresTenantStoreTests(PostgresServer server) : TenantStoreContract(new PostgresTestDatabase(server));
