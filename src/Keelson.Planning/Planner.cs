using System.Collections.Frozen;
using System.Globalization;
using Keelson.Planning.Catalog;
using Keelson.Planning.Cost;
using Keelson.Planning.Packing;
using Keelson.Planning.Placement;
using Keelson.Planning.Sizing;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;

namespace Keelson.Planning;

/// <summary>Either a plan or the located problems that prevented it.</summary>
public sealed record PlanResult(Plan? Plan, IReadOnlyList<Diagnostic> Problems)
{
    /// <summary>Whether a plan was produced.</summary>
    public bool Succeeded => Plan is not null && Problems.Count == 0;
}

/// <summary>Turns a stack into a plan: size each component, place it on a pool, pack pools into nodes, price them.</summary>
public sealed class Planner
{
    private readonly FrozenDictionary<Type, IComponentSizer> sizers;
    private readonly ServiceCatalog catalog;

    /// <summary>Creates a planner with the given catalog and sizers.</summary>
    public Planner(ServiceCatalog catalog, IEnumerable<IComponentSizer> sizers)
    {
        this.catalog = catalog;
        this.sizers = sizers.ToFrozenDictionary(s => s.ComponentType);
    }

    /// <summary>The planner with the default catalog and every built-in sizer.</summary>
    public static Planner Default { get; } = new(
        ServiceCatalog.Default,
        [new AiServiceSizer(), new ServiceSizer(), new WorkerSizer(), new BatchSizer(), new StatefulSizer(), new ModelSizer(), new SparkSizer()]);

    /// <summary>Plans a parsed stack.</summary>
    public PlanResult Plan(StackSpec spec)
    {
        var problems = new List<Diagnostic>();
        var context = new SizingContext(spec, catalog);
        var placed = new List<(SizedComponent Sized, NodePool Pool)>();
        for (var i = 0; i < spec.Components.Count; i++)
        {
            var component = spec.Components[i];
            try
            {
                var sized = SizerFor(component).Size(component, context);
                placed.Add((sized, PoolSelector.Select(sized, spec.Cluster)));
            }
            catch (PlanningException e)
            {
                problems.Add(StackDiagnostics.At(spec, DiagnosticCodes.Unplannable, string.Create(CultureInfo.InvariantCulture, $"components[{i}]"), e.Message));
            }
        }

        if (problems.Count > 0)
        {
            return new PlanResult(null, problems);
        }

        var pools = new List<PoolPlan>();
        var poolNodes = new List<PoolNodes>();
        var componentCost = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var p = 0; p < spec.Cluster.Pools.Count; p++)
        {
            var pool = spec.Cluster.Pools[p];
            var members = placed.Where(x => x.Pool == pool).Select(x => x.Sized).ToList();

            // The lower bound is cheap; when it already exceeds the pool, packing a huge fleet would only be slow.
            var lowerBound = FirstFitDecreasingPacker.LowerBound(Pods(members, offPeak: false), NodeCapacity.Of(pool.Instance));
            if (lowerBound > pool.MaxNodes)
            {
                problems.Add(StackDiagnostics.At(
                    spec,
                    DiagnosticCodes.PoolTooSmall,
                    string.Create(CultureInfo.InvariantCulture, $"cluster.pools[{p}].maxNodes"),
                    string.Create(CultureInfo.InvariantCulture, $"pool '{pool.Name}' needs at least {lowerBound} nodes at peak but maxNodes is {pool.MaxNodes}; raise maxNodes or use a larger instance type")));
                continue;
            }

            var packed = PackPool(pool, members);
            if (packed.Plan.Nodes > pool.MaxNodes)
            {
                problems.Add(StackDiagnostics.At(
                    spec,
                    DiagnosticCodes.PoolTooSmall,
                    string.Create(CultureInfo.InvariantCulture, $"cluster.pools[{p}].maxNodes"),
                    string.Create(CultureInfo.InvariantCulture, $"pool '{pool.Name}' needs {packed.Plan.Nodes} nodes at peak but maxNodes is {pool.MaxNodes}; raise maxNodes or use a larger instance type")));
            }

            pools.Add(packed.Plan);
            poolNodes.Add(new PoolNodes(pool, packed.Plan.Nodes, packed.Plan.OffPeakNodes));
            foreach (var (name, usd) in packed.ComponentCost)
            {
                componentCost[name] = usd;
            }
        }

        if (problems.Count > 0)
        {
            return new PlanResult(null, problems);
        }

        var components = placed.Select(x => new ComponentPlan(
            x.Sized.Component,
            x.Pool.Name,
            x.Sized.Device,
            x.Sized.Workloads,
            x.Sized.Sessions,
            x.Sized.TargetUtilisation,
            x.Sized.Rationale,
            Math.Round(componentCost.GetValueOrDefault(x.Sized.Component.Name), 2))).ToList();
        var peakCores = components.Sum(c => c.Cpu.Cores);
        var preset = PresetDetector.Detect([.. placed.Select(x => (x.Sized.Component, x.Sized.Sessions))], peakCores);
        var cost = CostModel.Price(poolNodes, spec.Cost, spec.Cluster.ControlPlaneMonthlyUsd);
        return new PlanResult(new Plan(spec, preset, components, pools, cost), []);
    }

    private IComponentSizer SizerFor(Component component)
    {
        for (var type = component.GetType(); type is not null; type = type.BaseType)
        {
            if (sizers.TryGetValue(type, out var sizer))
            {
                return sizer;
            }
        }

        throw new InvalidOperationException($"No sizer is registered for {component.GetType().Name}.");
    }

    private static (PoolPlan Plan, IReadOnlyList<(string Name, double Usd)> ComponentCost) PackPool(NodePool pool, IReadOnlyList<SizedComponent> members)
    {
        var capacity = NodeCapacity.Of(pool.Instance);
        var peakPods = Pods(members, offPeak: false);
        var offPeakPods = Pods(members, offPeak: true);
        var peak = FirstFitDecreasingPacker.Pack(peakPods, capacity);
        var offPeak = FirstFitDecreasingPacker.Pack(offPeakPods, capacity);
        var floor = Math.Max(pool.MinNodes, SpreadFloor(pool, members));
        var nodes = Math.Max(peak.Nodes, floor);
        var offPeakNodes = Math.Max(offPeak.Nodes, floor);

        long cpu = peakPods.Sum(p => p.Cpu.Value);
        long memory = peakPods.Sum(p => p.Memory.Bytes);
        var cpuUse = nodes == 0 ? 0 : (double)cpu / (capacity.Cpu.Value * (double)nodes);
        var memoryUse = nodes == 0 ? 0 : (double)memory / (capacity.Memory.Bytes * (double)nodes);
        var monthly = CostModel.OnDemand(new PoolNodes(pool, nodes, offPeakNodes));

        // Showback: each component pays for the pool in proportion to its dominant share of the requests.
        var shares = members.Select(m => (m.Component.Name, Share: m.Workloads.Sum(w => w.Replicas * Math.Max(
            Math.Max((double)w.Pod.CpuRequest.Value / capacity.Cpu.Value, (double)w.Pod.MemoryRequest.Bytes / capacity.Memory.Bytes),
            capacity.Gpus == 0 ? 0 : (double)w.Pod.Gpus / capacity.Gpus)))).ToList();
        var total = shares.Sum(s => s.Share);
        var costs = shares.Select(s => (s.Name, total == 0 ? 0 : monthly * s.Share / total)).ToList();

        return (new PoolPlan(pool, nodes, offPeakNodes, Math.Max(peak.LowerBound, pool.MinNodes), Math.Round(cpuUse, 3), Math.Round(memoryUse, 3), Math.Round(monthly, 2)), costs);
    }

    private static List<PodDemand> Pods(IReadOnlyList<SizedComponent> members, bool offPeak)
    {
        var pods = new List<PodDemand>();
        foreach (var w in members.SelectMany(m => m.Workloads))
        {
            var count = offPeak && w.Scalable ? w.MinReplicas : w.Replicas;
            for (var r = 0; r < count; r++)
            {
                pods.Add(new PodDemand(w.Name, w.Pod.CpuRequest, w.Pod.MemoryRequest, w.Pod.Gpus));
            }
        }

        return pods;
    }

    private static int SpreadFloor(NodePool pool, IReadOnlyList<SizedComponent> members) =>
        members.SelectMany(m => m.Workloads).Select(w => SpreadRule.MinimumNodes(w.Replicas, w.ZoneSpread, pool.Zones.Count)).DefaultIfEmpty(0).Max();
}
