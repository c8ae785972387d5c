using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Server.Clock;
using Keelson.Sandbox.Server.Defaulting;
using Keelson.Sandbox.Server.Endpoints;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keelson.Sandbox.Server;

/// <summary>
/// The sandbox behind a Kubernetes API on loopback, for kubectl and client libraries. A background clock moves
/// virtual time with wall time (times <see cref="SandboxApiOptions.Speed"/>) so controllers progress between
/// requests; every request and every clock step take turns on the engine through one <see cref="SandboxGate"/>.
/// Times leave mapped to the wall clock by a <see cref="ServedClock"/>, so ages kubectl computes read correctly.
/// </summary>
public sealed class SandboxApiServer : IAsyncDisposable
{
    private readonly SandboxGate gate;
    private readonly WatchHistory history;
    private readonly ServedClock served;
    private readonly SandboxApiOptions options;
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? app;
    private Task clock = Task.CompletedTask;

    private SandboxApiServer(SandboxGate gate, SandboxApiOptions options)
    {
        this.gate = gate;
        this.options = options;
        history = gate.Run(cluster => new WatchHistory(cluster.Engine.Store, cluster.Engine.Clock, options.WatchHistoryWindow, stopping.Token));
        served = gate.Run(cluster => new ServedClock(cluster.Engine.Clock.UtcDateTime, options.Speed, options.WallClock));
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts serving <paramref name="cluster"/> on 127.0.0.1, and its clock.</summary>
    public static async Task<SandboxApiServer> StartAsync(SandboxCluster cluster, SandboxApiOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Speed);
        EnsureClusterBasics(cluster);
        var server = new SandboxApiServer(new SandboxGate(cluster), options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddSingleton(server.gate);
        builder.Services.AddSingleton(server.history);
        builder.Services.AddSingleton(server.served);
        builder.Services.AddSingleton(new CustomResources.ServedResources(server.gate, server.history));

        var app = builder.Build();
        app.Use(StatusMiddleware.InvokeAsync);
        DiscoveryEndpoints.Map(app);
        OpenApiEndpoints.Map(app);
        ReadEndpoints.Map(app);
        WriteEndpoints.Map(app);
        PatchEndpoints.Map(app);
        ScaleEndpoints.Map(app);
        StatusEndpoints.Map(app);
        EvictionEndpoints.Map(app);
        PodLogEndpoints.Map(app);
        ContainerEndpoints.Map(app);
        HealthEndpoints.Map(app);
        MetricsEndpoints.Map(app);
        CustomMetricsEndpoints.Map(app);
        AccessReviewEndpoints.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        server.app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(bound.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        server.clock = Task.Run(server.RunClockAsync, CancellationToken.None);
        return server;
    }

    /// <summary>The map from the sandbox's times to the wall-clock times served.</summary>
    public ServedClock Served => served;

    /// <summary>Moves the sandbox's clock forward at once, for tests and for stepping a stopped clock.</summary>
    public void Advance(TimeSpan duration) => gate.Run(cluster =>
    {
        cluster.Engine.Advance(duration);
        served.Observe(cluster.Engine.Clock.UtcDateTime);
        history.DrainAll();
    });

    /// <summary>Runs <paramref name="work"/> on the sandbox between requests.</summary>
    public T Inspect<T>(Func<SandboxCluster, T> work) => gate.Run(work);

    /// <summary>Stops the clock, ends open watches and stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await clock.ConfigureAwait(false);
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    // What the API server creates itself is recorded, as upstream, as an update by kube-apiserver.
    private static IKubernetesObject<V1ObjectMeta> OwnedByApiServer(SandboxCluster cluster, IKubernetesObject<V1ObjectMeta> resource)
    {
        var now = Fields.FieldOwnershipJson.Seconds(cluster.Engine.Clock.UtcDateTime);
        resource.Metadata.ManagedFields = Fields.FieldManager.Encode(
            Fields.FieldManager.Update(resource.Kind, null, Fields.FieldOwnershipJson.Of(resource), [], "kube-apiserver", resource.ApiVersion, null, now));
        return resource;
    }

    // Every real cluster has "default" (kubectl puts objects without a namespace there) with the API server's own
    // "kubernetes" Service in it; a sandbox saved before nodes and pods had addresses gets them.
    private static void EnsureClusterBasics(SandboxCluster cluster)
    {
        var store = cluster.Engine.Store;
        if (store.Get<V1Namespace>(null, "default") is null)
        {
            var ns = new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "default" } };
            ObjectDefaults.Apply(ns);
            cluster.Apply(OwnedByApiServer(cluster, ns), dryRun: false);
        }

        if (store.Get<V1Service>("default", "kubernetes") is null)
        {
            var service = new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta
                {
                    Name = "kubernetes",
                    NamespaceProperty = "default",
                    Labels = new Dictionary<string, string> { ["component"] = "apiserver", ["provider"] = "kubernetes" },
                },
                Spec = new V1ServiceSpec { ClusterIP = "10.96.0.1", Ports = [new V1ServicePort { Name = "https", Port = 443, TargetPort = 6443 }] },
            };
            ObjectDefaults.Apply(service);
            cluster.Apply(OwnedByApiServer(cluster, service), dryRun: false);
        }

        foreach (var node in store.List<V1Node>().Where(n => n.Status is not null && n.Status.Addresses is null).ToList())
        {
            node.Status.Addresses = Nodes.Addresses.OfNode(node.Metadata.Name);
            store.Update(node);
        }

        foreach (var pod in store.List<V1Pod>().Where(p => p.Status?.PodIP is not null && p.Status.PodIPs is null).ToList())
        {
            pod.Status.PodIPs = [new V1PodIP { Ip = pod.Status.PodIP }];
            store.Update(pod);
        }
    }

    private async Task RunClockAsync()
    {
        var wall = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        using var timer = new PeriodicTimer(options.ClockInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                var now = wall.Elapsed;
                var elapsed = now - last;
                last = now;
                gate.Run(cluster =>
                {
                    // The served clock paces the step: speed times the wall time elapsed, held so the sandbox's now
                    // is never served past wall-clock now. A stopped clock still bounds the watch history's memory.
                    var step = served.Step(cluster.Engine.Clock.UtcDateTime, elapsed);
                    if (step > TimeSpan.Zero)
                    {
                        cluster.Engine.Advance(step);
                    }

                    history.DrainAll();
                });
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
