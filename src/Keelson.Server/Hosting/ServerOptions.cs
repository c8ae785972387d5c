using Keelson.Operations.Deployments;

namespace Keelson.Server;

/// <summary>The <c>Keelson</c> configuration section (appsettings.json, <c>KEELSON__…</c> variables, flags).</summary>
public sealed class ServerOptions
{
    /// <summary>Where the embedded SQLite databases live.</summary>
    public string DataDirectory { get; set; } = ".keelson/server";

    /// <summary>The mode of a request that sends no <c>X-Demo-Mode</c> header (the ECP-AI web UI omits it on most calls).</summary>
    public ServerMode DefaultMode { get; set; } = ServerMode.Demo;

    /// <summary>Browser origins allowed to call the API (CORS), e.g. <c>http://localhost:3000</c> for the ECP-AI web UI's dev server; none by default.</summary>
    public IList<string> CorsOrigins { get; } = [];

    /// <summary>
    /// Browser origins whose requests are always served in demo mode, whatever <c>X-Demo-Mode</c> says: the ECP-AI web UI
    /// sends <c>false</c> on some calls and omits the header on others, while its own backend has a single database.
    /// </summary>
    public IList<string> DemoOrigins { get; } = [];

    /// <summary>Whether demo-mode requests need an API key too (production requests always do).</summary>
    public bool RequireApiKeyInDemo { get; set; }

    /// <summary>Keys with access to every tenant.</summary>
    public IList<string> AdminKeys { get; } = [];

    /// <summary>Keys limited to one tenant: key → tenant id.</summary>
    public IDictionary<string, string> TenantKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Mutating requests allowed per client address per minute.</summary>
    public int MutationsPerMinute { get; set; } = 120;

    /// <summary>Where deployments go: <c>Clusters:Demo</c> (default: the embedded sandbox) and <c>Clusters:Production</c> (default: none).</summary>
    public ClustersOptions Clusters { get; } = new();

    /// <summary>Durable deployments: readiness timeout, lease and scan intervals.</summary>
    public DeploymentSettings Deployments { get; } = new();

    /// <summary>Pushed metrics: retention, series limit, write queue, push size limits.</summary>
    public MonitoringSettings Monitoring { get; } = new();

    /// <summary>Alert evaluation and notification: tick, lease, receiver timeout, external URL.</summary>
    public AlertSettings Alerts { get; } = new();

    /// <summary>The model registry and inference: upload limit, memory budget, request size limit, default tenant of <c>/v2</c>.</summary>
    public ModelSettings Models { get; } = new();

    /// <summary>Largest request body accepted, in bytes (a validate-manifest body carries whole manifests).</summary>
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;
}

/// <summary>Which database and cluster a request uses.</summary>
public enum ServerMode
{
    /// <summary>The demo database and the embedded sandbox (or the configured demo cluster).</summary>
    Demo,

    /// <summary>The production database and cluster; always needs an API key.</summary>
    Production,
}

/// <summary>The demo and production clusters.</summary>
public sealed class ClustersOptions
{
    /// <summary>The demo cluster; without a kubeconfig or context, the embedded sandbox (one per cluster profile).</summary>
    public ClusterConnection Demo { get; } = new();

    /// <summary>The production cluster; without a kubeconfig, context or in-cluster account, production deployments are refused.</summary>
    public ClusterConnection Production { get; } = new();

    /// <summary>Virtual seconds per wall second of the embedded sandbox's clock (pods start in simulated seconds).</summary>
    public double SandboxSpeed { get; set; } = 10;

    /// <summary>How long the cluster view keeps watching a cluster nobody has asked about (docs/api.md, "Clusters").</summary>
    public TimeSpan ViewIdleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the cluster view reads the metrics API while it watches a cluster.</summary>
    public TimeSpan ViewMetricsInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>How to reach one cluster.</summary>
public sealed class ClusterConnection
{
    /// <summary>The kubeconfig file.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context; the file's current one when not set.</summary>
    public string? Context { get; set; }

    /// <summary>Use the pod's service account (the server runs in the cluster it deploys to).</summary>
    public bool InCluster { get; set; }

    /// <summary>Whether anything says where the cluster is.</summary>
    public bool Configured => Kubeconfig is not null || Context is not null || InCluster;
}

/// <summary>The <c>Keelson:Deployments</c> section.</summary>
public sealed class DeploymentSettings
{
    /// <summary>Longest wait for readiness in the verify step.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Time between readiness polls in the verify step.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a replica's claim on a tenant lasts unless renewed; a dead replica's deployments resume after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each replica looks for unfinished deployments.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When the cluster cannot hold a deployment's pods: <c>Wait</c> (in <c>waiting_for_capacity</c>), <c>Fail</c> at once, or <c>Off</c>.</summary>
    public CapacityPolicy Capacity { get; set; } = CapacityPolicy.Wait;

    /// <summary>How long a deployment waits for capacity before it fails with the reason.</summary>
    public TimeSpan CapacityWaitTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often a deployment waiting for capacity looks again.</summary>
    public TimeSpan CapacityRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many deployments one replica runs at once per database; tenants take turns for the slots.</summary>
    public int MaxConcurrent { get; set; } = 8;
}
