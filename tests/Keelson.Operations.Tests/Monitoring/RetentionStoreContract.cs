using Keelson.Operations.Audit;
using Keelson.Operations.Monitoring;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Monitoring;

/// <summary>What <see cref="SqlRetentionStore"/> must do, on each provider, and a writer cutting by what it holds.</summary>
public abstract class RetentionStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private DateTimeOffset Now => Clock.GetUtcNow();

    [Fact]
    public async Task Set_retention_is_read_back_replaced_and_cleared_with_an_audit_entry_each()
    {
        var store = new SqlRetentionStore(Database);
        Assert.Null(await store.GetAsync(None));

        var first = await store.SetAsync(new RetentionWindows(TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromDays(365)), Audit("settings.retention.set"), None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await store.SetAsync(new RetentionWindows(TimeSpan.FromHours(36), TimeSpan.FromDays(30), TimeSpan.FromDays(365)), Audit("settings.retention.set"), None);
        var read = await store.GetAsync(None);

        Assert.Equal(first.UpdatedAt.AddMinutes(1), second.UpdatedAt);
        Assert.Equal(second, read);
        Assert.Equal((TimeSpan.FromHours(36), "admin"), (read!.Windows.Raw, read.UpdatedBy));

        Assert.True(await store.ClearAsync(Audit("settings.retention.clear"), None));
        Assert.False(await store.ClearAsync(Audit("settings.retention.clear"), None));
        Assert.Null(await store.GetAsync(None));
        var trail = await new SqlAuditLog(Database).ListAsync(null, 0, 10, None);
        Assert.Equal(["settings.retention.clear", "settings.retention.set", "settings.retention.set"], trail.Select(e => e.Action));
    }

    [Fact]
    public async Task A_writer_cuts_by_the_retention_set_at_run_time_instead_of_its_options()
    {
        var retention = new SqlRetentionStore(Database);
        var metrics = new SqlMetricStore(Database);
        await using var writer = new MetricWriter(metrics, new MetricStoreOptions(), Clock, null,
            async token => (await retention.GetAsync(token))?.Windows ?? new RetentionWindows(TimeSpan.FromDays(15), TimeSpan.FromDays(90), TimeSpan.FromDays(400)));
        await writer.PushAsync([MetricSample.Of("shop", "cpu_usage", 1, Now)], None);
        await writer.FlushAsync(None);
        Clock.Advance(TimeSpan.FromDays(2));

        // Two days old is within the configured fifteen days, past a one-day window set at run time.
        Assert.Equal(0, await writer.ApplyRetentionAsync(None));
        await retention.SetAsync(new RetentionWindows(TimeSpan.FromDays(1), TimeSpan.FromDays(90), TimeSpan.FromDays(400)), Audit("settings.retention.set"), None);
        Assert.Equal(1, await writer.ApplyRetentionAsync(None));
    }

    [Fact]
    public void Windows_are_refused_outside_a_minute_to_ten_years_or_out_of_order_naming_the_field()
    {
        Assert.Empty(new RetentionWindows(TimeSpan.FromDays(15), TimeSpan.FromDays(90), TimeSpan.FromDays(400)).Problems());
        Assert.Equal(["retention"], new RetentionWindows(TimeSpan.FromSeconds(30), TimeSpan.FromDays(90), TimeSpan.FromDays(400)).Problems().Keys);
        Assert.Equal(["minute_rollup_retention"], new RetentionWindows(TimeSpan.FromDays(15), TimeSpan.FromDays(10), TimeSpan.FromDays(400)).Problems().Keys);
        Assert.Equal(["hour_rollup_retention"], new RetentionWindows(TimeSpan.FromDays(15), TimeSpan.FromDays(90), TimeSpan.FromDays(4000)).Problems().Keys);
        Assert.Equal(["hour_rollup_retention"], new RetentionWindows(TimeSpan.FromDays(15), TimeSpan.FromDays(90), TimeSpan.FromDays(30)).Problems().Keys);
    }

    private static AuditEntry Audit(string action) => new() { Actor = "admin", Action = action, DetailsJson = """{"retention": "1d"}""" };
}

/// <summary>The retention store contract on SQLite.</summary>
public sealed class SqliteRetentionStoreTests() : RetentionStoreContract(new SqliteTestDatabase());

/// <summary>The retention store contract on PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresRetentionStoreTests(PostgresServer server) : RetentionStoreContract(new PostgresTestDatabase(server));
