using BenchmarkDotNet.Attributes;
using Keelson.Operations.Monitoring;
using Keelson.Operations.Storage;

namespace Keelson.Bench;

/// <summary>
/// The pushed-metrics store: ingest of 100,000 samples through the batched writer (100 pushes of 1,000, as agents
/// batch them, then a flush) on SQLite, and on PostgreSQL when <c>KEELSON_BENCH_POSTGRES</c> holds a connection string;
/// and the seed's dashboard query — 24 hours of 5 metrics at a 1-minute step — over a day of 15-second samples.
/// </summary>
public class MetricBenchmarks : IDisposable
{
    private const int Samples = 100_000;
    private static readonly string[] Metrics = ["cpu_usage", "memory_usage", "gpu_usage", "request_count", "response_time"];
    private readonly DateTimeOffset now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private string folder = null!;
    private Database day = null!;
    private int round;

    /// <summary>Writes a day of samples of one tenant for the query.</summary>
    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("keelson-bench-metrics-").FullName;
        day = Open(DatabaseProvider.Sqlite, Path.Combine(folder, "day.db"));
        var store = new SqlMetricStore(day);
        var samples = Enumerable.Range(0, 24 * 60 * 4)
            .SelectMany(i => Metrics.Select((m, k) => MetricSample.Of("acme", m, (i * 7 % 100) + k, now.AddSeconds(-15 * i))))
            .ToList();
        foreach (var chunk in samples.Chunk(5000))
        {
            store.WriteAsync(chunk, default).GetAwaiter().GetResult();
        }
    }

    /// <summary>Removes the databases.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        day.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>100,000 samples into a fresh SQLite database.</summary>
    [Benchmark]
    public Task<long> IngestSqlite() => IngestAsync(Open(DatabaseProvider.Sqlite, Path.Combine(folder, $"ingest-{Interlocked.Increment(ref round)}.db")));

    /// <summary>100,000 samples into PostgreSQL (the same database each round; the table grows).</summary>
    [Benchmark]
    public Task<long> IngestPostgres() =>
        IngestAsync(Open(DatabaseProvider.Postgres, Environment.GetEnvironmentVariable("KEELSON_BENCH_POSTGRES")
            ?? throw new InvalidOperationException("Set KEELSON_BENCH_POSTGRES to a PostgreSQL connection string to run this benchmark.")));

    /// <summary>24 hours of 5 metrics at a 1-minute step, averaged per step, as the seed's monitoring query asks.</summary>
    [Benchmark]
    public async Task<int> Query24Hours()
    {
        var read = await new SqlMetricStore(day).ReadAsync(new MetricSelector("acme", now.AddHours(-24), now, Metrics), default);
        return read.GroupBy(s => s.MetricName).Sum(g => SeriesAggregation.Points([.. g], now.AddHours(-24), TimeSpan.FromMinutes(1), Aggregation.Avg).Count);
    }

    private static Database Open(DatabaseProvider provider, string connection)
    {
        var database = Database.Open(new DatabaseOptions { Provider = provider, Connection = connection });
        database.MigrateAsync(default).GetAwaiter().GetResult();
        return database;
    }

    private async Task<long> IngestAsync(Database database)
    {
        await using (database)
        {
            await using var writer = new MetricWriter(new SqlMetricStore(database), new MetricStoreOptions { MaxSeriesPerTenant = 10_000, QueueCapacity = 2 * Samples });
            var tenant = $"t{round}";
            for (var push = 0; push < Samples / 1000; push++)
            {
                var batch = Enumerable.Range(0, 1000).Select(i => MetricSample.Of(tenant, Metrics[i % Metrics.Length], i, now.AddSeconds((push * 1000) + i))).ToList();
                if (await writer.PushAsync(batch, default) is not PushOutcome.Accepted)
                {
                    throw new InvalidOperationException("a push was refused");
                }
            }

            await writer.FlushAsync(default);
            return writer.Pending;
        }
    }
}
