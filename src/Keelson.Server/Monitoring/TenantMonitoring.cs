using Keelson.Operations.Monitoring;
using Keelson.Server.Streams;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Monitoring;

/// <summary>
/// The pushed-metrics pipeline of each database (demo, production): a batched writer into its store, whose stored
/// batches go to the WebSocket hub and the scrape endpoint
/// (and, with Redis configured, to the other replicas'). In demo mode the embedded sandbox's tenants are sampled
/// every <see cref="MonitoringSettings.SandboxSampleInterval"/> for queries and subscribers. Started after <see cref="TenantDatabases"/>.
/// </summary>
public sealed partial class TenantMonitoring(TenantDatabases databases, DeploymentClusters clusters, MetricRetention retention, IOptions<ServerOptions> options, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    // A channel of its own rather than the former keelson:monitoring:samples, whose readers (a replica of an earlier
    // version, during a rolling upgrade) would take this envelope for a batch without samples.
    private const string SamplesChannel = "keelson:relay:monitoring-samples";
    private readonly CancellationTokenSource stopping = new();
    private readonly ILogger logger = loggers.CreateLogger<TenantMonitoring>();
    private MetricWriter? demo;
    private MetricWriter? production;
    private ReplicaRelay<StoredBatch>? relay;
    private Task sampling = Task.CompletedTask;

    /// <summary>The push, query and stream limits.</summary>
    public MonitoringSettings Settings => options.Value.Monitoring;

    /// <summary>The retention in force (configuration, or what an admin set through the API).</summary>
    public MetricRetention Retention => retention;

    /// <summary>Stored samples for WebSocket subscribers.</summary>
    public MonitoringHub Hub { get; } = new();

    /// <summary>Per-component values of each sampling instant for <c>/ws/monitoring/{tenant_id}/components</c> subscribers.</summary>
    public LiveFeed Components { get; } = new();

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
                options.Value.Monitoring.PrometheusMinimumStep,
                Mode: "production",
                ComponentLabel: options.Value.Monitoring.PrometheusComponentLabel))
        : null);

    private readonly Lazy<SandboxSampleSource?> sandbox = new(() => options.Value.Monitoring.SandboxSampleInterval > TimeSpan.Zero
        ? new SandboxSampleSource(clusters, TimeProvider.System, options.Value.Monitoring.SandboxHistory, options.Value.Monitoring.SandboxComponentHistory)
        : null);

    private Task componentPolling = Task.CompletedTask;

    /// <summary>
    /// Where queries read samples. Production: its Prometheus when one is configured, else the store. Demo: the store
    /// and the embedded sandbox together (a pushed series shadows a sandbox series of the same name), or the store
    /// alone with sandbox sampling off.
    /// </summary>
    public IMetricSampleSource Source(bool isDemo) => isDemo
        ? sandbox.Value is { } simulated ? new CombinedSampleSource([databases.For(true).Metrics, simulated]) : databases.For(true).Metrics
        : prometheus.Value ?? (IMetricSampleSource)databases.For(false).Metrics;

    /// <summary>
    /// Where per-component queries read: demo's embedded sandbox (with sampling on), production's Prometheus when one is
    /// configured; none otherwise, since pushed samples are per tenant.
    /// </summary>
    public IComponentSampleSource? ComponentSource(bool isDemo) => isDemo ? sandbox.Value : prometheus.Value;

    /// <summary>
    /// Where alert rules with a PromQL <c>expr</c> are evaluated: production's Prometheus when one is configured; none
    /// for demo, whose numbers are pushed or simulated and never reach a Prometheus.
    /// </summary>
    public IInstantQuery? Instant(bool isDemo) => isDemo ? null : prometheus.Value;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (databases.For(true).Redis is { } redis)
        {
            relay = new ReplicaRelay<StoredBatch>(redis.GetSubscriber(), SamplesChannel, "metric samples", b => Deliver(b.Demo, b.Samples), logger);
        }

        demo = Start(true);
        production = Start(false);
        if (sandbox.Value is { } source)
        {
            source.ComponentsRecorded += instant =>
            {
                if (Components.Wanted(true, instant.TenantId))
                {
                    Components.Publish(true, instant.TenantId, instant.Message());
                }
            };
            sampling = SampleAsync(source, Settings.SandboxSampleInterval, stopping.Token);
        }

        if (prometheus.Value is { } scraped && Settings.ComponentStreamInterval > TimeSpan.Zero)
        {
            componentPolling = PollComponentsAsync(scraped, Settings.ComponentStreamInterval, stopping.Token);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
        }

        await sampling.ConfigureAwait(false);
        await componentPolling.ConfigureAwait(false);
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

    // Sandbox samples go to demo subscribers as pushed ones do, so a dashboard moves with no agent at all.
    private async Task SampleAsync(SandboxSampleSource source, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (await source.RecordAsync(cancellationToken).ConfigureAwait(false) is { Count: > 0 } batch)
                    {
                        Hub.Publish(true, batch);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSamplingFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // Prometheus has no push: each streamed production tenant's newest component values are read once per interval,
    // however many sockets follow it, and sent when Prometheus has a newer instant than the last one sent.
    private async Task PollComponentsAsync(PrometheusSampleSource source, TimeSpan interval, CancellationToken cancellationToken)
    {
        var sent = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var tenants = Components.Tenants(false);
                foreach (var gone in sent.Keys.Except(tenants).ToList())
                {
                    sent.Remove(gone);
                }

                foreach (var tenant in tenants)
                {
                    try
                    {
                        var now = TimeProvider.System.GetUtcNow();
                        var read = await source.ReadComponentsAsync(new MetricSelector(tenant, now - (interval * 4), now, []), cancellationToken).ConfigureAwait(false);
                        if (Newest(tenant, read) is { } instant && (!sent.TryGetValue(tenant, out var last) || instant.At > last))
                        {
                            sent[tenant] = instant.At;
                            Components.Publish(false, tenant, instant.Message());
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogComponentPollFailed(e, tenant);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // Each component's values at the newest instant any of them has.
    private static ComponentInstant? Newest(string tenant, IReadOnlyList<ComponentSamples> read)
    {
        var samples = read.SelectMany(c => c.Samples).ToList();
        if (samples.Count == 0)
        {
            return null;
        }

        var at = samples.Max(s => s.Timestamp);
        return new ComponentInstant(tenant, at, [.. read
            .Select(c => new ComponentSamples(c.Component, [.. c.Samples.Where(s => s.Timestamp == at)]))
            .Where(c => c.Samples.Count > 0)]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the component values of {TenantId} from Prometheus failed; the next interval tries again")]
    private partial void LogComponentPollFailed(Exception exception, string tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sampling the embedded sandbox failed; the next interval tries again")]
    private partial void LogSamplingFailed(Exception exception);

    private MetricWriter Start(bool isDemo)
    {
        var writer = new MetricWriter(databases.For(isDemo).Metrics, Settings.StoreOptions(), TimeProvider.System, loggers.CreateLogger<MetricWriter>(),
            async cancellationToken => (await retention.CurrentAsync(cancellationToken).ConfigureAwait(false)).Windows);
        writer.Stored += batch =>
        {
            Deliver(isDemo, batch);
            relay?.Publish(new StoredBatch(isDemo, batch));
        };
        return writer;
    }

    private void Deliver(bool isDemo, IReadOnlyList<MetricSample> batch)
    {
        Latest.Update(isDemo, batch);
        Hub.Publish(isDemo, batch);
    }

    // What the relay carries: a batch one replica stored, with the database it went to.
    private sealed record StoredBatch(bool Demo, IReadOnlyList<MetricSample> Samples);
}
