using Keelson.Operations.Monitoring;

namespace Keelson.Server;

/// <summary>The <c>Keelson:Monitoring</c> section: the pushed-metrics store's limits and the push size limits.</summary>
public sealed class MonitoringSettings
{
    /// <summary>How long raw samples are kept; pushes older than this are refused.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(15);

    /// <summary>How long 1-minute roll-ups of samples past <see cref="Retention"/> are kept.</summary>
    public TimeSpan MinuteRollupRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long 1-hour roll-ups are kept.</summary>
    public TimeSpan HourRollupRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>Distinct metric names one tenant may have.</summary>
    public int MaxSeriesPerTenant { get; set; } = 1000;

    /// <summary>Samples accepted but not yet written before pushes get 503.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Most samples written in one transaction.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>Largest push body, in bytes.</summary>
    public int MaxPushBytes { get; set; } = 1024 * 1024;

    /// <summary>Most samples in one push.</summary>
    public int MaxSamplesPerPush { get; set; } = 10_000;

    /// <summary>How far ahead of the server's clock a sample's timestamp may be.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Messages a WebSocket subscriber may have waiting before it is dropped as too slow.</summary>
    public int SubscriberQueue { get; set; } = 256;

    /// <summary>
    /// A real cluster's Prometheus (the seed's <c>MONITORING_ENDPOINT</c>); when set, production queries read from its
    /// HTTP API instead of the pushed-sample store. Demo queries always read the store.
    /// </summary>
    public Uri? Prometheus { get; set; }

    /// <summary>The Prometheus label that names the tenant: <c>namespace</c> for a delivered stack, <c>tenant</c> for scraped pushes.</summary>
    public string PrometheusTenantLabel { get; set; } = "namespace";

    /// <summary>The Prometheus label that names a component of a tenant, for per-component queries (cAdvisor's <c>container</c>).</summary>
    public string PrometheusComponentLabel { get; set; } = "container";

    /// <summary>The finest step asked of Prometheus (its scrape interval makes anything finer pointless).</summary>
    public TimeSpan PrometheusMinimumStep { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often the embedded sandbox's tenants are sampled (wall clock) for demo queries and WebSocket subscribers;
    /// zero turns the sandbox source off, so demo queries read pushed samples only.
    /// </summary>
    public TimeSpan SandboxSampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long sandbox samples are kept in memory for queries.</summary>
    public TimeSpan SandboxHistory { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the sandbox's per-component samples are kept in memory (a tenant has a handful of components, so this is shorter).</summary>
    public TimeSpan SandboxComponentHistory { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How often production's Prometheus is asked for the per-component values of each tenant somebody streams
    /// (<c>/ws/monitoring/{tenant_id}/components</c>): one query per tenant, shared by all its subscribers.
    /// </summary>
    public TimeSpan ComponentStreamInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the ECP-AI advanced-monitoring WebSocket sends its <c>monitoring_update</c> (the original's 5 s).</summary>
    public TimeSpan AdvancedStreamInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The store options these settings describe.</summary>
    public MetricStoreOptions StoreOptions() => new()
    {
        Retention = Retention,
        MinuteRollupRetention = MinuteRollupRetention,
        HourRollupRetention = HourRollupRetention,
        MaxSeriesPerTenant = MaxSeriesPerTenant,
        QueueCapacity = QueueCapacity,
        BatchSize = BatchSize,
    };
}
