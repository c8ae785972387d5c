using Keelson.Operations.Monitoring;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Monitoring;

/// <summary>
/// The pushed-metrics pipeline of each database (demo, production): a batched writer into its store, whose stored
/// batches go to the WebSocket hub and the scrape endpoint
/// (and, with Redis configured, to the other replicas'). Started after <see cref="TenantDatabases"/>.
/// </summary>
public sealed class TenantMonitoring(TenantDatabases databases, IOptions<ServerOptions> options, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private MetricWriter? demo;
    private MetricWriter? production;
    private SampleRelay? relay;

    /// <summary>The push, query and stream limits.</summary>
    public MonitoringSettings Settings => options.Value.Monitoring;

    /// <summary>Stored samples for WebSocket subscribers.</summary>
    public MonitoringHub Hub { get; } = new();

    /// <summary>The newest value of each series, for scraping.</summary>
    public LatestSamples Latest { get; } = new();

    /// <summary>The writer of the demo or production store.</summary>
    public MetricWriter Writer(bool isDemo) =>
        (isDemo ? demo : production) ?? throw new InvalidOperationException("The metric writers start with the server.");

    private readonly Lazy<PrometheusSampleSource?> prometheus = new(() => options.Value.Monitoring.Prometheus is { } address
        ? new PrometheusSampleSource(
            new HttpClient { Timeout = TimeSpan.FromSeconds(30) },
            new PrometheusSourceOptions(
                address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/"),
                options.Value.Monitoring.PrometheusTenantLabel,
                options.Value.Monitoring.PrometheusMinimumStep))
        : null);

    /// <summary>Where queries read samples: production's Prometheus when one is configured, else the store.</summary>
    public IMetricSampleSource Source(bool isDemo) => !isDemo && prometheus.Value is { } source ? source : databases.For(isDemo).Metrics;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (databases.For(true).Redis is { } redis)
        {
            relay = new SampleRelay(redis.GetSubscriber(), Deliver, loggers.CreateLogger<SampleRelay>());
        }

        demo = Start(true);
        production = Start(false);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        relay?.Dispose();
        // Disposing drains the queue, so samples accepted before shutdown are written.
        if (Interlocked.Exchange(ref demo, null) is { } d)
        {
            await d.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref production, null) is { } p)
        {
            await p.DisposeAsync().ConfigureAwait(false);
        }
    }

    private MetricWriter Start(bool isDemo)
    {
        var writer = new MetricWriter(databases.For(isDemo).Metrics, Settings.StoreOptions(), TimeProvider.System, loggers.CreateLogger<MetricWriter>());
        writer.Stored += batch =>
        {
            Deliver(isDemo, batch);
            relay?.Publish(isDemo, batch);
        };
        return writer;
    }

    private void Deliver(bool isDemo, IReadOnlyList<MetricSample> batch)
    {
        Latest.Update(isDemo, batch);
        Hub.Publish(isDemo, batch);
    }
}
