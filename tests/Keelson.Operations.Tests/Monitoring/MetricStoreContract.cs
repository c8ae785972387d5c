using Keelson.Operations.Monitoring;
using Keelson.Operations.Storage;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Monitoring;

/// <summary>What the pushed-metrics store and its batched writer must do, on each provider.</summary>
public abstract class MetricStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly string[] PreviousVersion = ["DROP TABLE monitoring_chunks", "DELETE FROM schema_migrations WHERE version = 18"];

    private DateTimeOffset Now => Clock.GetUtcNow();

    [Fact]
    public async Task Written_samples_read_back_by_type_or_name_in_time_order()
    {
        var store = new SqlMetricStore(Database);
        await store.WriteAsync(
        [
            MetricSample.Of("shop", "cpu_usage", 70.25, Now),
            MetricSample.Of("shop", "cpu_usage", 65.5, Now.AddMinutes(-1)),
            MetricSample.Of("shop", "memory_usage", 78.2, Now),
            MetricSample.Of("other", "cpu_usage", 1, Now),
        ], None);

        var cpu = await store.ReadAsync(new MetricSelector("shop", Now.AddHours(-1), Now, ["cpu"]), None);
        var memory = await store.ReadAsync(new MetricSelector("shop", Now.AddHours(-1), Now, ["memory_usage"]), None);
        var all = await store.ReadAsync(new MetricSelector("shop", Now.AddHours(-1), Now, []), None);

        Assert.Equal([65.5, 70.25], cpu.Select(s => s.Value));
        Assert.Equal([Now.AddMinutes(-1), Now], cpu.Select(s => s.Timestamp));
        Assert.All(cpu, s => Assert.Equal(("shop", "cpu", "cpu_usage"), (s.TenantId, s.MetricType, s.MetricName)));
        Assert.Equal(("memory", 78.2), (memory.Single().MetricType, memory.Single().Value));
        Assert.Equal(3, all.Count);
    }

    [Fact]
    public async Task Series_come_in_name_order_each_in_time_order_and_a_type_selects_every_name_of_it()
    {
        var store = new SqlMetricStore(Database);
        // Names that sort differently by ordinal and by culture ("Z" before "a"), written out of order, with a
        // neighbouring tenant whose names sort between them.
        string[] names = ["gpu_usage", "cpu_usage", "cpu_seconds_total", "Zeta_jobs", "cpu_usage_peak", "a_metric"];
        await store.WriteAsync([.. names.SelectMany((n, k) => Enumerable.Range(0, 4).Select(i => MetricSample.Of("shop", n, (k * 10) + i, Now.AddSeconds(-15 * ((i * 3) % 4)))))], None);
        await store.WriteAsync([MetricSample.Of("shop-2", "cpu_x", 1, Now), MetricSample.Of("sho", "cpu_usage", 1, Now)], None);

        var all = await store.ReadAsync(new MetricSelector("shop", Now.AddHours(-1), Now, []), None);
        var cpu = await store.ReadAsync(new MetricSelector("shop", Now.AddHours(-1), Now, ["cpu", "a_metric"]), None);

        string[] ordinal = [.. names.Order(StringComparer.Ordinal)];
        Assert.Equal(ordinal, all.Select(s => s.MetricName).Distinct());
        Assert.All(all.GroupBy(s => s.MetricName), g => Assert.Equal(g.Select(s => s.Timestamp).Order(), g.Select(s => s.Timestamp)));
        Assert.All(all, s => Assert.Equal(("shop", MetricNames.TypeOf(s.MetricName)), (s.TenantId, s.MetricType)));
        Assert.Equal(["a_metric", "cpu_seconds_total", "cpu_usage", "cpu_usage_peak"], cpu.Select(s => s.MetricName).Distinct());
        Assert.Equal(16, cpu.Count);
        Assert.Equal(ordinal, (await store.SeriesAsync("shop", None)).Order(StringComparer.Ordinal));
        Assert.Empty(await store.SeriesAsync("nobody", None));
    }

    [Fact]
    public async Task Reads_keep_to_the_window_and_the_tenant()
    {
        var store = new SqlMetricStore(Database);
        await store.WriteAsync([.. Enumerable.Range(0, 10).Select(i => MetricSample.Of("shop", "gpu_usage", i, Now.AddHours(-i)))], None);

        var lastThreeHours = await store.ReadAsync(new MetricSelector("shop", Now.AddHours(-3), Now, ["gpu"]), None);
        var otherTenant = await store.ReadAsync(new MetricSelector("bank", Now.AddDays(-1), Now, []), None);

        Assert.Equal([3.0, 2, 1, 0], lastThreeHours.Select(s => s.Value));
        Assert.Empty(otherTenant);
    }

    [Fact]
    public async Task Samples_stored_before_chunks_existed_are_packed_by_the_migration_and_read_back_alike()
    {
        var store = new SqlMetricStore(Database);
        // Two tenants, three series, three hours, late pushes inside an hour, millisecond times, more samples than one
        // step of the SQLite backfill packs.
        var written = Enumerable.Range(0, 20_000)
            .Select(i => MetricSample.Of(i % 7 == 0 ? "bank" : "shop", (i % 3) switch { 0 => "cpu_usage", 1 => "gpu_usage", _ => "request_count" },
                i * 0.5, Now.AddMilliseconds(-((i * 7919L) % 10_800_000))))
            .ToList();
        await store.WriteAsync(written, None);
        var before = await store.ReadAsync(new MetricSelector("shop", Now.AddHours(-4), Now, []), None);

        // What a database of the previous version holds: the rows, no chunks, migration 18 not yet run.
        await Database.InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var sql in PreviousVersion)
            {
                await using var command = connection.Command(transaction, sql);
                await command.ExecuteNonQueryAsync(None);
            }

            return 0;
        }, None);
        var applied = await Database.MigrateAsync(None);
        var after = await store.ReadAsync(new MetricSelector("shop", Now.AddHours(-4), Now, []), None);

        Assert.Equal([18], applied.Select(m => m.Version));
        var expected = written.Where(s => s.TenantId == "shop").OrderBy(s => s.MetricName, StringComparer.Ordinal).ThenBy(s => s.Timestamp).ToList();
        Assert.Equal(expected.Count, after.Count);
        Assert.Equal(expected.Select(s => (s.MetricName, s.MetricType, s.Timestamp, s.Value)), after.Select(s => (s.MetricName, s.MetricType, s.Timestamp, s.Value)));
        Assert.Equal(before.Select(s => (s.MetricName, s.Timestamp, s.Value)), after.Select(s => (s.MetricName, s.Timestamp, s.Value)));
    }

    [Fact]
    public async Task One_batch_of_many_series_reads_back_from_its_chunks_as_the_rows_hold_it()
    {
        var store = new SqlMetricStore(Database);
        // 40 tenants x 3 series across an hour boundary in one write, at times finer than PostgreSQL's microseconds.
        var written = Enumerable.Range(0, 40).SelectMany(t => Enumerable.Range(0, 3).SelectMany(m => Enumerable.Range(0, 4).Select(k =>
                MetricSample.Of($"t{t}", $"series_{m}", (t * 100) + (m * 10) + k, Now.AddMinutes(-50 * k).AddTicks(-(7 + k))))))
            .ToList();

        await store.WriteAsync(written, None);

        var rows = await Database.InTransactionAsync(async (connection, transaction) =>
        {
            var times = new Dictionary<(string, string, double), DateTimeOffset>();
            await using var command = connection.Command(transaction, "SELECT tenant_id, metric_name, metric_value, timestamp FROM monitoring_data");
            await using var reader = await command.ExecuteReaderAsync(None);
            while (await reader.ReadAsync(None))
            {
                times.Add((reader.GetString(0), reader.GetString(1), reader.GetDouble(2)), reader.Time(3));
            }

            return times;
        }, None);
        foreach (var tenant in new[] { "t0", "t17", "t39" })
        {
            var read = await store.ReadAsync(new MetricSelector(tenant, Now.AddHours(-3), Now, []), None);
            var expected = written.Where(s => s.TenantId == tenant).OrderBy(s => s.MetricName, StringComparer.Ordinal).ThenBy(s => s.Timestamp).ToList();
            Assert.Equal(expected.Select(s => (s.MetricName, s.Value)), read.Select(s => (s.MetricName, s.Value)));
            Assert.Equal(read.Select(s => rows[(tenant, s.MetricName, s.Value)]), read.Select(s => s.Timestamp));
        }
    }

    [Fact]
    public async Task A_large_batch_is_written_whole()
    {
        var store = new SqlMetricStore(Database);
        var samples = Enumerable.Range(0, 2_345).Select(i => MetricSample.Of("shop", $"series_{i % 7}", i, Now.AddSeconds(-i))).ToList();

        await store.WriteAsync(samples, None);

        var read = await store.ReadAsync(new MetricSelector("shop", Now.AddDays(-1), Now, []), None);
        Assert.Equal(samples.Count, read.Count);
        Assert.Equal(samples.Sum(s => s.Value), read.Sum(s => s.Value));
        Assert.Equal(7, (await store.SeriesAsync("shop", None)).Count);
    }

    [Fact]
    public async Task The_writer_stores_pushes_off_the_request_path_and_announces_each_batch()
    {
        var store = new SqlMetricStore(Database);
        await using var writer = new MetricWriter(store, new MetricStoreOptions(), Clock);
        var announced = new List<MetricSample>();
        writer.Stored += batch => { lock (announced) { announced.AddRange(batch); } };

        var outcome = await writer.PushAsync([MetricSample.Of("shop", "cpu_usage", 65.5, Now), MetricSample.Of("shop", "memory_usage", 78.2, Now)], None);
        await writer.FlushAsync(None);

        Assert.Equal(new PushOutcome.Accepted(2), outcome);
        Assert.Equal(2, (await store.ReadAsync(new MetricSelector("shop", Now.AddMinutes(-1), Now, []), None)).Count);
        lock (announced)
        {
            Assert.Equal(["cpu_usage", "memory_usage"], announced.Select(s => s.MetricName).Order());
        }
    }

    [Fact]
    public async Task Retention_deletes_what_aged_past_the_window_on_the_clock()
    {
        var store = new SqlMetricStore(Database);
        await using var writer = new MetricWriter(store, new MetricStoreOptions(), Clock);
        await writer.PushAsync([MetricSample.Of("shop", "cpu_usage", 1, Now)], None);
        Clock.Advance(TimeSpan.FromDays(10));
        await writer.PushAsync([MetricSample.Of("shop", "cpu_usage", 2, Now)], None);
        await writer.FlushAsync(None);

        Assert.Equal(0, await writer.ApplyRetentionAsync(None));
        // Retention cuts on whole minutes (so each minute is rolled up whole): a sample goes within a minute of aging out.
        Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromSeconds(59));
        Assert.Equal(0, await writer.ApplyRetentionAsync(None));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var deleted = await writer.ApplyRetentionAsync(None);

        Assert.Equal(1, deleted);
        Assert.Equal([2.0], (await store.ReadAsync(new MetricSelector("shop", Now.AddDays(-6), Now, []), None)).Select(s => s.Value));

        // The deleted sample lives on in its minute roll-up, which answers a query reaching back that far.
        Assert.Equal([1.0, 2.0], (await store.ReadAsync(new MetricSelector("shop", Now.AddDays(-30), Now, []), None)).Select(s => s.Value));
    }

    [Fact]
    public async Task Retention_folds_what_it_deletes_into_minute_and_hour_rollups_that_answer_older_queries()
    {
        var store = new SqlMetricStore(Database);
        var options = new MetricStoreOptions { Retention = TimeSpan.FromHours(2), MinuteRollupRetention = TimeSpan.FromHours(6), HourRollupRetention = TimeSpan.FromDays(2) };
        await using var writer = new MetricWriter(store, options, Clock);
        var start = Now;
        Assert.Equal(30, start.Minute);

        // Three hours of one sample every 15 s whose value is its index: minute m holds 4m..4m+3.
        await store.WriteAsync([.. Enumerable.Range(0, 720).Select(i => MetricSample.Of("shop", "cpu_usage", i, start.AddSeconds(15 * i)))], None);
        Clock.Advance(TimeSpan.FromHours(3));

        Assert.Equal(240, await writer.ApplyRetentionAsync(None));
        var recent = await store.ReadAsync(new MetricSelector("shop", start, Now, ["cpu"]), None);
        Assert.Equal(60 + 480, recent.Count);
        Assert.Equal(Enumerable.Range(0, 60).Select(m => (start.AddMinutes(m), (4 * m) + 1.5)), recent.Take(60).Select(s => (s.Timestamp, s.Value)));
        Assert.Equal(Enumerable.Range(240, 480).Select(i => (double)i), recent.Skip(60).Select(s => s.Value));

        // Five hours on, raw samples are all gone and the first two hours' minute buckets too: hour buckets answer before the minutes left.
        Clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(480, await writer.ApplyRetentionAsync(None));
        // Minute buckets are cut on the hour (before 12:00), so the 10:00 and 11:00 hours answer, then the minutes from 12:00.
        var old = await store.ReadAsync(new MetricSelector("shop", start.AddHours(-1), Now, []), None);
        Assert.Equal(2 + 90, old.Count);
        Assert.Equal([(start.AddMinutes(-30), 59.5), (start.AddMinutes(30), 239.5)], old.Take(2).Select(s => (s.Timestamp, s.Value)));
        Assert.Equal(Enumerable.Range(90, 90).Select(m => (start.AddMinutes(m), (4 * m) + 1.5)), old.Skip(2).Select(s => (s.Timestamp, s.Value)));

        // The 11:00 bucket was folded in two runs (11:00–11:29, then 11:30–11:59): counts add, minimum and maximum merge.
        await using var connection = await Database.OpenConnectionAsync(None);
        await using var bucket = connection.Command(null,
            "SELECT sample_count, value_min, value_max FROM monitoring_rollups WHERE resolution = 3600 AND bucket_start = @at", ("@at", Database.Dialect.Time(start.AddMinutes(30))));
        await using var reader = await bucket.ExecuteReaderAsync(None);
        Assert.True(await reader.ReadAsync(None));
        Assert.Equal((240L, 120.0, 359.0), (Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetDouble(1), reader.GetDouble(2)));

        // Past the hour roll-ups' retention nothing is left.
        Clock.Advance(TimeSpan.FromDays(2));
        await writer.ApplyRetentionAsync(None);
        Assert.Empty(await store.ReadAsync(new MetricSelector("shop", start.AddHours(-1), Now, []), None));
    }

    [Fact]
    public async Task Retention_is_configurable()
    {
        var store = new SqlMetricStore(Database);
        await using var writer = new MetricWriter(store, new MetricStoreOptions { Retention = TimeSpan.FromHours(1) }, Clock);
        await writer.PushAsync([MetricSample.Of("shop", "cpu_usage", 1, Now)], None);
        await writer.FlushAsync(None);
        Clock.Advance(TimeSpan.FromMinutes(61));

        Assert.Equal(1, await writer.ApplyRetentionAsync(None));
    }

    [Fact]
    public async Task A_push_past_the_series_limit_is_refused_whole_and_names_the_limit()
    {
        var store = new SqlMetricStore(Database);
        var options = new MetricStoreOptions { MaxSeriesPerTenant = 2 };
        await using (var writer = new MetricWriter(store, options, Clock))
        {
            Assert.IsType<PushOutcome.Accepted>(await writer.PushAsync([MetricSample.Of("shop", "cpu_usage", 1, Now), MetricSample.Of("shop", "memory_usage", 1, Now)], None));
            var refused = await writer.PushAsync([MetricSample.Of("shop", "cpu_usage", 2, Now), MetricSample.Of("shop", "gpu_usage", 2, Now)], None);
            await writer.FlushAsync(None);

            var limit = Assert.IsType<PushOutcome.SeriesLimitExceeded>(refused);
            Assert.Equal((2, 2, "gpu_usage"), (limit.Limit, limit.Existing, limit.NewSeries.Single()));
            Assert.Equal(2, (await store.ReadAsync(new MetricSelector("shop", Now.AddMinutes(-1), Now, []), None)).Count);
            Assert.IsType<PushOutcome.Accepted>(await writer.PushAsync([MetricSample.Of("other", "gpu_usage", 1, Now)], None));
            await writer.FlushAsync(None);
        }

        // A new writer (a restarted server, another replica) learns the tenant's series from the store.
        await using var restarted = new MetricWriter(new SqlMetricStore(OpenAnother()), options, Clock);
        Assert.IsType<PushOutcome.SeriesLimitExceeded>(await restarted.PushAsync([MetricSample.Of("shop", "gpu_usage", 3, Now)], None));
        Assert.IsType<PushOutcome.Accepted>(await restarted.PushAsync([MetricSample.Of("shop", "memory_usage", 3, Now)], None));
    }
}

/// <summary>The metric store contract on SQLite.</summary>
public sealed class SqliteMetricStoreTests() : MetricStoreContract(new SqliteTestDatabase());

/// <summary>The metric store contract on PostgreSQL, plus its monthly partitions.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresMetricStoreTests(PostgresServer server) : MetricStoreContract(new PostgresTestDatabase(server))
{
    [Fact]
    public async Task Each_month_gets_its_own_partition_as_the_seed_shows()
    {
        var store = new SqlMetricStore(Database);
        var january = new DateTimeOffset(2024, 1, 31, 23, 59, 0, TimeSpan.Zero);
        await store.WriteAsync([MetricSample.Of("shop", "cpu_usage", 1, january), MetricSample.Of("shop", "cpu_usage", 2, january.AddMinutes(2))], CancellationToken.None);
        await new SqlMetricStore(OpenAnother()).WriteAsync([MetricSample.Of("shop", "cpu_usage", 3, january.AddMinutes(3))], CancellationToken.None);

        await using var connection = new Npgsql.NpgsqlConnection(Options.Connection);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT c.relname, (SELECT count(*) FROM monitoring_data_2024_02) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'monitoring_data' ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        Assert.Equal([("monitoring_data_2024_01", 2L), ("monitoring_data_2024_02", 2L)], rows);
    }
}
