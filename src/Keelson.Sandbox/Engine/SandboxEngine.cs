using k8s.Models;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Kubelet;
using Keelson.Sandbox.Scheduling;
using Keelson.Sandbox.Store;
using Keelson.Spec.Model;

namespace Keelson.Sandbox.Engine;

/// <summary>
/// Runs the simulated cluster: every tick of virtual time, each controller reconciles until nothing changes
/// (as a real control plane converges between events). Nodes start at each pool's minimum, ready.
/// </summary>
public sealed class SandboxEngine
{
    // Kubernetes keeps events for an hour (the API server's --event-ttl).
    private static readonly TimeSpan EventTtl = TimeSpan.FromHours(1);

    private readonly IReadOnlyList<IController> controllers;

    /// <summary>A sandbox for <paramref name="profile"/>, its clock at <paramref name="start"/> (default <see cref="VirtualClock.DefaultStart"/>).</summary>
    public SandboxEngine(ClusterProfile profile, SandboxOptions? options = null, ILoadModel? load = null, DateTimeOffset? start = null, bool createNodes = true)
    {
        Profile = profile;
        Clock = new VirtualClock(start ?? VirtualClock.DefaultStart);
        Store = new ObjectStore(Clock);
        Context = new SandboxContext(Store, Clock, options ?? new SandboxOptions(), load ?? NoLoad.Instance);
        var scheduler = Scheduler.Default;
        controllers =
        [
            new NodeLifecycleController(),
            new NamespaceController(),
            new CustomResourceDefinitionController(),
            new ClusterAutoscaler(profile, scheduler),
            new CronJobController(),
            new JobController(),
            new HorizontalPodAutoscalerController(),
            new DeploymentController(),
            new ReplicaSetController(),
            new StatefulSetController(),
            new VolumeBinder(),
            new SchedulingController(scheduler),
            new SimulatedKubelet(),
            new NodeLeaseHeartbeat(),
            new DisruptionBudgetController(),
            new NodeDrainController(),
            new EndpointsController(),
        ];

        if (createNodes)
        {
            foreach (var pool in profile.Pools)
            {
                for (var i = 0; i < pool.MinNodes; i++)
                {
                    ClusterAutoscaler.AddNode(Context, pool, booting: false);
                }
            }
        }
    }

    /// <summary>The cluster profile the nodes come from.</summary>
    public ClusterProfile Profile { get; }

    /// <summary>The virtual clock.</summary>
    public VirtualClock Clock { get; }

    /// <summary>The object store.</summary>
    public ObjectStore Store { get; }

    /// <summary>What controllers see, including injected faults and the load model.</summary>
    public SandboxContext Context { get; }

    /// <summary>Runs every controller at the current instant until a full pass changes nothing.</summary>
    public void Settle()
    {
        // A chain (Deployment → ReplicaSet → Pod → bind → start) needs a handful of passes; 50 bounds a livelock.
        for (var pass = 0; pass < 50; pass++)
        {
            var before = Store.Changes;
            foreach (var controller in controllers)
            {
                controller.Reconcile(Context);
            }

            if (Store.Changes == before)
            {
                return;
            }
        }
    }

    /// <summary>Moves virtual time forward by <paramref name="duration"/> in ticks, settling after each.</summary>
    public void Advance(TimeSpan duration, TimeSpan? tick = null)
    {
        var step = tick ?? Context.Options.Tick;
        var end = Clock.GetUtcNow() + duration;
        Settle();
        while (Clock.GetUtcNow() < end)
        {
            var left = end - Clock.GetUtcNow();
            Clock.Advance(left < step ? left : step);
            Settle();
        }

        PruneEvents();
    }

    /// <summary>
    /// Moves a clock that is behind <paramref name="instant"/> there in one step, as a cluster that was switched off
    /// finds on restart: controllers see the gap once (timers expire, missed schedules count once), nothing runs in
    /// between. A clock already at or past <paramref name="instant"/> is left alone; time never goes back.
    /// </summary>
    public void CatchUpTo(DateTimeOffset instant)
    {
        var behind = instant - Clock.GetUtcNow();
        if (behind > TimeSpan.Zero)
        {
            Advance(behind, tick: behind);
        }
    }

    /// <summary>Advances until <paramref name="done"/> holds or <paramref name="timeout"/> passes; whether it held.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan timeout)
    {
        var end = Clock.GetUtcNow() + timeout;
        Settle();
        while (!done())
        {
            if (Clock.GetUtcNow() >= end)
            {
                return false;
            }

            Clock.Advance(Context.Options.Tick);
            Settle();
        }

        return true;
    }

    private void PruneEvents()
    {
        foreach (var old in Store.List<Corev1Event>().Where(e => Clock.UtcDateTime - (e.LastTimestamp ?? e.Metadata.CreationTimestamp ?? Clock.UtcDateTime) > EventTtl).ToList())
        {
            Store.Delete(StoreKey.Of(old));
        }
    }
}
