using Keelson.Delivery.Clusters;
using Keelson.Delivery.Kubernetes;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server;
using Keelson.Spec.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Keelson.Server;

/// <summary>
/// The clusters deployments go to. Demo: <c>Keelson:Clusters:Demo</c> when configured, else the embedded sandbox of
/// the tenant's cluster profile, served on loopback through the Kubernetes API facade (so it is thread-safe, its
/// clock runs, and <c>kubectl --kubeconfig DATA/sandbox/PROFILE.kubeconfig</c> can look at it) and saved under the
/// data directory after every step. Production: <c>Keelson:Clusters:Production</c>, or none. At start, every sandbox
/// saved by an earlier process is served again and its kubeconfig rewritten for the new port, deployments or not.
/// </summary>
public sealed partial class DeploymentClusters(IOptions<ServerOptions> options, ILogger<DeploymentClusters> logger) : IAsyncDisposable, IHealthCheck, IHostedService
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, EmbeddedSandbox> sandboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<bool, KubernetesCluster> configured = [];
    private int disposed;

    private ServerOptions Settings => options.Value;

    /// <summary>Whether production deployments have a cluster to go to.</summary>
    public bool HasProduction => Settings.Clusters.Production.Configured;

    /// <summary>Where the embedded sandboxes keep their state and kubeconfigs.</summary>
    public string SandboxDirectory => Path.Combine(Path.GetFullPath(Settings.DataDirectory), "sandbox");

    /// <summary>
    /// The cluster for a deployment of the demo or production database, and how to make its state durable after a
    /// step (only the embedded sandbox needs that). <see cref="InvalidOperationException"/> when production has no cluster.
    /// </summary>
    public async Task<(ICluster Cluster, Func<CancellationToken, Task>? Checkpoint)> ForAsync(bool demo, ClusterProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var connection = demo ? Settings.Clusters.Demo : Settings.Clusters.Production;
        if (connection.Configured)
        {
            return (await ConfiguredAsync(demo, connection, cancellationToken).ConfigureAwait(false), null);
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!demo)
            {
                throw new InvalidOperationException("No production cluster is configured: set Keelson:Clusters:Production:Kubeconfig (and Context), or InCluster.");
            }

            if (!sandboxes.TryGetValue(profile.Name, out var sandbox))
            {
                sandboxes[profile.Name] = sandbox = (await EmbeddedSandbox.StartAsync(profile.Name, profile, SandboxDirectory, Settings.Clusters.SandboxSpeed, cancellationToken).ConfigureAwait(false))!;
                LogSandbox(profile.Name, sandbox.Url, sandbox.Kubeconfig);
            }

            return (sandbox.Client, sandbox.CheckpointAsync);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on each embedded sandbox started so far, each between two of its facade's
    /// requests; empty when demo deployments go to a configured cluster or none has started yet.
    /// </summary>
    public async Task<IReadOnlyList<T>> InspectSandboxesAsync<T>(Func<SandboxCluster, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        List<EmbeddedSandbox> started;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            started = [.. sandboxes.Values];
        }
        finally
        {
            gate.Release();
        }

        return [.. started.Select(s => s.Inspect(work))];
    }

    /// <summary>
    /// The clusters a mode's deployments go to, by name: the configured one (<c>demo</c> or <c>production</c>), else
    /// for demo every embedded sandbox started so far, named by its profile. Nothing is contacted here.
    /// </summary>
    public async Task<IReadOnlyList<DrivenCluster>> DrivenAsync(bool demo, CancellationToken cancellationToken)
    {
        var connection = demo ? Settings.Clusters.Demo : Settings.Clusters.Production;
        if (connection.Configured)
        {
            var cluster = await ConfiguredAsync(demo, connection, cancellationToken).ConfigureAwait(false);
            return [new DrivenCluster(demo ? "demo" : "production", "kubernetes", cluster.Description, cluster)];
        }

        if (!demo)
        {
            return [];
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. sandboxes.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new DrivenCluster(s.Key, "sandbox", s.Value.Client.Description, s.Value.Client))];
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Ready when every configured cluster answers <c>/version</c> (the embedded sandbox is always there).</summary>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var answered = new List<string>();
        foreach (var (name, demo) in new[] { ("demo", true), ("production", false) })
        {
            var connection = demo ? Settings.Clusters.Demo : Settings.Clusters.Production;
            if (!connection.Configured)
            {
                continue;
            }

            try
            {
                var cluster = await ConfiguredAsync(demo, connection, cancellationToken).ConfigureAwait(false);
                answered.Add($"{name} cluster {await cluster.VersionAsync(cancellationToken).ConfigureAwait(false)}");
            }
            catch (Exception e) when (e is HttpRequestException or ClusterException or k8s.Exceptions.KubeConfigException or IOException or TaskCanceledException)
            {
                problems.Add($"{name} cluster unreachable: {e.Message}");
            }
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy(answered.Count == 0 ? "demo deployments use the embedded sandbox; no production cluster configured" : string.Join("; ", answered))
            : HealthCheckResult.Unhealthy(string.Join("; ", problems));
    }

    /// <summary>
    /// Serves every sandbox an earlier process saved under <see cref="SandboxDirectory"/> again and rewrites its
    /// kubeconfig: the old one points at a port that process no longer listens on, and <c>kubectl</c> must work
    /// after a restart whether or not a deployment is left to resume. Nothing when demo deployments use a configured cluster.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Settings.Clusters.Demo.Configured || !Directory.Exists(SandboxDirectory))
        {
            return;
        }

        var saved = Directory.EnumerateFiles(SandboxDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList();
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var name in saved.Where(n => !sandboxes.ContainsKey(n)))
            {
                try
                {
                    if (await EmbeddedSandbox.StartAsync(name, null, SandboxDirectory, Settings.Clusters.SandboxSpeed, cancellationToken).ConfigureAwait(false) is { } sandbox)
                    {
                        sandboxes[name] = sandbox;
                        LogSandbox(name, sandbox.Url, sandbox.Kubeconfig);
                    }
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or InvalidOperationException or KeyNotFoundException or FormatException)
                {
                    // A file that is not a saved sandbox must not keep the API down; the first demo deployment reports it.
                    LogUnreadable(name, e.GetType().Name);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops the embedded sandboxes, saving them.</summary>
    public async ValueTask DisposeAsync()
    {
        // Registered as a singleton and as a hosted service, the container disposes it twice.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        foreach (var sandbox in sandboxes.Values)
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var cluster in configured.Values)
        {
            cluster.Dispose();
        }

        gate.Dispose();
    }

    private async Task<KubernetesCluster> ConfiguredAsync(bool demo, ClusterConnection connection, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!configured.TryGetValue(demo, out var cluster))
            {
                configured[demo] = cluster = Connect(connection);
            }

            return cluster;
        }
        finally
        {
            gate.Release();
        }
    }

    // With neither a kubeconfig nor a context, KubernetesClient uses the pod's service account when there is one.
    private static KubernetesCluster Connect(ClusterConnection connection) => KubernetesCluster.Connect(connection.Kubeconfig, connection.Context);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo cluster: the embedded sandbox of profile {Profile} serves at {Url}; kubectl --kubeconfig {Kubeconfig} get pods -A")]
    private partial void LogSandbox(string profile, Uri url, string kubeconfig);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The saved sandbox {Profile} could not be read ({ExceptionType}); it is not served until a demo deployment needs it")]
    private partial void LogUnreadable(string profile, string exceptionType);

    /// <summary>One profile's sandbox behind the API facade on loopback, with a client and its state file.</summary>
    private sealed class EmbeddedSandbox : IAsyncDisposable
    {
        private readonly SandboxApiServer server;
        private readonly string statePath;
        private readonly GroupCommit checkpoints;

        private EmbeddedSandbox(SandboxApiServer server, KubernetesCluster client, string statePath, string kubeconfig)
        {
            this.server = server;
            Client = client;
            this.statePath = statePath;
            Kubeconfig = kubeconfig;
            checkpoints = new GroupCommit(WriteCheckpointAsync);
        }

        public KubernetesCluster Client { get; }

        public Uri Url => server.Url;

        public string Kubeconfig { get; }

        public T Inspect<T>(Func<SandboxCluster, T> work) => server.Inspect(work);

        // The saved state of sandbox <name>, else a new one of <profile>; null when there is neither.
        public static async Task<EmbeddedSandbox?> StartAsync(string name, ClusterProfile? profile, string directory, double speed, CancellationToken cancellationToken)
        {
            var statePath = Path.Combine(directory, name + ".json");
            var engine = await SandboxState.OpenAtWallClockAsync(statePath, profile, TimeProvider.System, fresh: false, cancellationToken).ConfigureAwait(false);
            if (engine is null)
            {
                return null;
            }

            var server = await SandboxApiServer.StartAsync(new SandboxCluster(engine), new SandboxApiOptions { Speed = speed }, cancellationToken).ConfigureAwait(false);
            var kubeconfig = Path.Combine(directory, name + ".kubeconfig");
            await SandboxKubeconfig.WriteAsync(kubeconfig, server.Url, cancellationToken).ConfigureAwait(false);
            return new EmbeddedSandbox(server, KubernetesCluster.Connect(kubeconfig, null, $"the embedded sandbox ({name})"), statePath, kubeconfig);
        }

        // Eight deployments finishing steps at once cost one snapshot and one write, not eight (docs/performance.md).
        public Task CheckpointAsync(CancellationToken cancellationToken) => checkpoints.CommitAsync(cancellationToken);

        private async Task WriteCheckpointAsync()
        {
            // Taken between two requests, written outside the facade's lock.
            using var state = server.Inspect(cluster => SandboxState.Serialize(cluster.Engine));
            await SandboxState.WriteAsync(state, statePath, CancellationToken.None).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await server.DisposeAsync().ConfigureAwait(false);
            await CheckpointAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}

/// <summary>A cluster the server drives: its name in the API, <c>sandbox</c> or <c>kubernetes</c>, a description for admins, and the client.</summary>
public sealed record DrivenCluster(string Name, string Kind, string Description, ICluster Cluster);
