using k8s;
using k8s.Models;
using Keelson.Delivery;
using Keelson.Planning.Cost;
using Keelson.Rendering;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Load;

namespace Keelson.Sandbox.Simulation;

/// <summary>A node to lose during a simulation, at a time after the simulated period starts.</summary>
public sealed record PlannedNodeLoss(string Node, TimeSpan After);

/// <summary>
/// Replays a load over virtual time on a fresh sandbox: the stack is delivered half an hour before midnight, then
/// every step the load sets each autoscaled workload's CPU demand, the controllers react, and the cluster is sampled.
/// A component's minute counts against the SLA when its demand exceeds what its ready pods request (they would run
/// above 100 % of their requests) or when it wants pods and has none ready.
/// </summary>
public sealed class DaySimulator(SandboxOptions? options = null)
{
    /// <summary>Label naming the stack component of a Keelson-rendered object.</summary>
    public const string ComponentLabel = "keelson.dev/component";

    /// <summary>Simulates <paramref name="duration"/> of <paramref name="load"/> on <paramref name="manifest"/>'s cluster profile.</summary>
    public async Task<SimulationReport> RunAsync(Manifest manifest, LoadSpec load, TimeSpan duration, TimeSpan step, IReadOnlyList<PlannedNodeLoss> losses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        var midnight = VirtualClock.DefaultStart;
        var engine = new SandboxEngine(manifest.Plan.Spec.Cluster, options, start: midnight - TimeSpan.FromMinutes(30));
        var objects = manifest.Objects.Select(o => o.Resource).ToList();
        var workloads = objects.Where(o => o is V1Deployment or V1StatefulSet).ToList();
        var componentOf = workloads.ToDictionary(w => $"{w.Metadata.NamespaceProperty}/{w.Metadata.Name}", w => w.Metadata.Labels?.TryGetValue(ComponentLabel, out var c) == true ? c : w.Metadata.Name, StringComparer.Ordinal);
        var curve = new CurveLoad(PlannedLoad.Demand(objects), componentOf, load, midnight);
        engine.Context.Load = curve;

        var delivered = await new Deployer(new SandboxCluster(engine)).DeployAsync(manifest.Namespace, objects, null, cancellationToken).ConfigureAwait(false);
        var events = new List<string> { $"{Clock(engine, midnight)} delivered: {delivered.Outcome}{(delivered.Error is null ? "" : " — " + delivered.Error)}" };
        if (engine.Clock.GetUtcNow() < midnight)
        {
            engine.Advance(midnight - engine.Clock.GetUtcNow(), step);
        }

        foreach (var loss in losses)
        {
            if (engine.Store.Get<V1Node>(null, loss.Node) is null)
            {
                throw new ArgumentException($"no node '{loss.Node}' to fail; nodes at midnight: {string.Join(", ", engine.Store.List<V1Node>().Select(n => n.Metadata.Name))}", nameof(losses));
            }

            engine.Context.Faults.Add(new NodeLoss(loss.Node, midnight + loss.After));
            events.Add($"{(int)loss.After.TotalHours:00}:{loss.After.Minutes:00} node {loss.Node} fails (injected)");
        }

        var components = manifest.Plan.Components.Select(c => c.Name).Where(name => componentOf.ContainsValue(name)).ToList();
        var timeline = new List<TimelinePoint>();
        var steps = (int)Math.Ceiling(duration / step);
        for (var i = 0; i < steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var nodesBefore = engine.Store.List<V1Node>().Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
            engine.Advance(step, step);
            var nodesAfter = engine.Store.List<V1Node>().Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
            events.AddRange(nodesAfter.Except(nodesBefore).Order(StringComparer.Ordinal).Select(n => $"{Clock(engine, midnight)} node {n} added"));
            events.AddRange(nodesBefore.Except(nodesAfter).Order(StringComparer.Ordinal).Select(n => $"{Clock(engine, midnight)} node {n} removed"));
            timeline.Add(Sample(engine, manifest.Namespace, components, curve));
        }

        return Summarise(engine, load, midnight, duration, step, timeline, components, events);
    }

    private static TimelinePoint Sample(SandboxEngine engine, string ns, List<string> components, CurveLoad curve)
    {
        var now = engine.Clock.GetUtcNow();
        var samples = new SortedDictionary<string, ComponentSample>(StringComparer.Ordinal);
        var workloads = engine.Store.List<V1Deployment>(ns).Cast<IKubernetesObject<V1ObjectMeta>>().Concat(engine.Store.List<V1StatefulSet>(ns)).ToList();
        foreach (var component in components)
        {
            int replicas = 0, ready = 0;
            double? demand = null;
            double capacity = 0;
            foreach (var workload in workloads.Where(w => w.Metadata.Labels?.TryGetValue(ComponentLabel, out var c) == true && c == component))
            {
                var (want, up, spec) = workload switch
                {
                    V1Deployment d => (d.Spec.Replicas ?? 1, d.Status?.ReadyReplicas ?? 0, d.Spec.Template.Spec),
                    V1StatefulSet s => (s.Spec.Replicas ?? 1, s.Status?.ReadyReplicas ?? 0, s.Spec.Template.Spec),
                    _ => (0, 0, new V1PodSpec()),
                };
                replicas += want;
                ready += up;
                capacity += up * (double)PodResources.Request(spec, "cpu", milli: true);
                if (curve.CpuDemandMillis(ns, workload.Metadata.Name, now) is { } d2)
                {
                    demand = (demand ?? 0) + d2;
                }
            }

            var degraded = (replicas > 0 && ready == 0) || (demand is { } need && need > capacity);
            samples[component] = new ComponentSample(replicas, ready, demand, capacity, degraded);
        }

        var pools = engine.Profile.Pools.ToDictionary(p => p.Name, p => engine.Store.List<V1Node>().Count(n => ClusterAutoscaler.PoolOf(n) == p.Name), StringComparer.Ordinal);
        var pending = engine.Store.List<V1Pod>().Count(p => Pods.IsActive(p) && (string.IsNullOrEmpty(p.Spec.NodeName) || p.Status?.Phase == "Pending"));
        return new TimelinePoint(now, samples, pools, pending);
    }

    private static SimulationReport Summarise(SandboxEngine engine, LoadSpec load, DateTimeOffset midnight, TimeSpan duration, TimeSpan step, List<TimelinePoint> timeline, List<string> components, List<string> events)
    {
        var minutes = step.TotalMinutes;
        var componentSummaries = components.Select(name =>
        {
            var series = timeline.Select(t => t.Components[name]).ToList();
            return new ComponentSummary(name, series.Min(s => s.Replicas), series.Max(s => s.Replicas), series.Average(s => s.Replicas), series.Count(s => s.Degraded) * minutes);
        }).ToList();
        var pools = engine.Profile.Pools.Select(pool =>
        {
            var counts = timeline.Select(t => t.NodesPerPool[pool.Name]).ToList();
            var nodeHours = counts.Sum() * step.TotalHours;
            return new PoolSummary(pool.Name, counts.Min(), counts.Max(), nodeHours, nodeHours * pool.Instance.Prices.OnDemandUsd);
        }).ToList();
        var cost = pools.Sum(p => p.CostUsd) + (engine.Profile.ControlPlaneMonthlyUsd * duration.TotalHours / CostModel.HoursPerMonth);
        return new SimulationReport(load.Name, midnight, duration, step, timeline, componentSummaries, pools, timeline.Sum(t => t.PendingPods) * minutes, cost, events);
    }

    private static string Clock(SandboxEngine engine, DateTimeOffset midnight)
    {
        var offset = engine.Clock.GetUtcNow() - midnight;
        return offset < TimeSpan.Zero ? $"-{offset.Negate():hh\\:mm}" : $"{(int)offset.TotalHours:00}:{offset.Minutes:00}";
    }
}
