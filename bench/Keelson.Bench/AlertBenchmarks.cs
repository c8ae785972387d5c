using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Keelson.Operations.Alerts;
using Keelson.Operations.Monitoring;
using Keelson.Operations.Notifications;
using Keelson.Operations.Storage;

namespace Keelson.Bench;

/// <summary>
/// One 15 s evaluation cycle of 10,000 alert rules across 1,000 tenants (ten rules each: thresholds, windowed
/// aggregations, a rate, and/or), over ten minutes of samples of five metrics per tenant every 15 s — tenant after
/// tenant, as the hosted evaluation runs them. In memory (the evaluator's own cost) and on SQLite (samples read from
/// the metric store, states and transitions written to the state store: the production path).
/// </summary>
public class AlertBenchmarks : IDisposable
{
    private const int Tenants = 1000;

    private static readonly string[] Conditions =
    [
        "cpu_usage > 80", "avg(cpu_usage[5m]) > 70", "max(memory_usage[10m]) > 90", "rate(request_count[5m]) > 2",
        "cpu_usage > 50 and memory_usage > 60", "min(response_time[5m]) > 300", "gpu_usage > 95 or cpu_usage > 95",
        "count(cpu_usage[10m]) < 30", "avg(response_time[1m]) > 200", "sum(gpu_usage[5m]) > 1500",
    ];

    private readonly DateTimeOffset at = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly Dictionary<string, IReadOnlyList<AlertRule>> rules = [];
    private Samples memory = null!;
    private Database sqlite = null!;
    private string folder = null!;

    /// <summary>Builds the rules and samples, and writes the samples to a SQLite metric store.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var all = new List<MetricSample>();
        for (var t = 0; t < Tenants; t++)
        {
            var tenant = $"tenant-{t:D4}";
            rules[tenant] = [.. Conditions.Select((c, i) => new AlertRule(
                tenant, $"rule_{i}", c, ConditionParser.Parse(c), TimeSpan.FromMinutes(5), TimeSpan.Zero, "warning",
                ImmutableSortedDictionary<string, string>.Empty, ImmutableSortedDictionary<string, string>.Empty.Add("summary", "{{ $value }}"),
                Enabled: true, ImmutableArray<ReceiverSpec>.Empty))];
            for (var s = 0; s <= 40; s++)
            {
                var when = at.AddSeconds(-15 * (40 - s));
                var wave = Math.Sin((t + s) / 7.0);
                all.Add(MetricSample.Of(tenant, "cpu_usage", 60 + (35 * wave), when));
                all.Add(MetricSample.Of(tenant, "memory_usage", 70 + (25 * Math.Cos((t + s) / 5.0)), when));
                all.Add(MetricSample.Of(tenant, "request_count", (t % 13 * 100) + (s * (3 + (t % 4))), when));
                all.Add(MetricSample.Of(tenant, "response_time", 180 + (150 * wave), when));
                all.Add(MetricSample.Of(tenant, "gpu_usage", 50 + (48 * wave), when));
            }
        }

        memory = new Samples(all);
        folder = Directory.CreateTempSubdirectory("keelson-bench-alerts-").FullName;
        sqlite = Database.Open(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, Connection = Path.Combine(folder, "alerts.db") });
        sqlite.MigrateAsync(default).GetAwaiter().GetResult();
        var store = new SqlMetricStore(sqlite);
        foreach (var chunk in all.Chunk(10_000))
        {
            store.WriteAsync(chunk, default).GetAwaiter().GetResult();
        }
    }

    /// <summary>Removes the database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        sqlite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The evaluator alone: samples and states in memory.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> InMemory() => CycleAsync(new AlertEvaluator(memory, new InMemoryAlertStateStore(), Discard.Instance));

    /// <summary>Samples read from SQLite, states and transitions written to it.</summary>
    [Benchmark]
    public Task<int> OnSqlite() => CycleAsync(new AlertEvaluator(new SqlMetricStore(sqlite), new SqlAlertStateStore(sqlite), Discard.Instance));

    private async Task<int> CycleAsync(AlertEvaluator evaluator)
    {
        var published = 0;
        foreach (var (tenant, list) in rules)
        {
            published += (await evaluator.EvaluateAsync(tenant, list, at, default)).Count;
        }

        return published;
    }

    /// <summary>Each tenant's samples, as the store would answer them.</summary>
    private sealed class Samples(IEnumerable<MetricSample> samples) : IMetricSampleSource
    {
        private readonly Dictionary<string, MetricSample[]> byTenant = samples.GroupBy(s => s.TenantId).ToDictionary(g => g.Key, g => g.ToArray());

        public Task<IReadOnlyList<MetricSample>> ReadAsync(MetricSelector selector, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<MetricSample>>([.. byTenant[selector.TenantId]
                .Where(s => s.Timestamp >= selector.Start && s.Timestamp <= selector.End && selector.Metrics.Contains(s.MetricName))]);
    }

    private sealed class Discard : IAlertSink
    {
        public static readonly Discard Instance = new();

        public ValueTask PublishAsync(IReadOnlyList<NotifiableAlert> alerts, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
