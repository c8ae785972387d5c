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
        var candidates = new List<IReadOnlyList<Candidate>>();
        for (var i = 0; i < spec.Components.Count; i++)
        {
            var component = spec.Components[i];
            try
            {
                candidates.Add(Place(SizerFor(component).Size(component, context), spec.Cluster));
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

        var choice = DeviceChooser.Choose(candidates, spec.Cluster, spec.Cost);
        var componentCost = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var p = 0; p < choice.Pools.Count; p++)
        {
            var packed = choice.Pools[p];
            if (!packed.Fits)
            {
                var needs = packed.Plan is { } over ? $"needs {over.Nodes} nodes" : $"needs at least {packed.LowerBound} nodes";
                problems.Add(StackDiagnostics.At(
                    spec,
                    DiagnosticCodes.PoolTooSmall,
                    string.Create(CultureInfo.InvariantCulture, $"cluster.pools[{p}].maxNodes"),
                    string.Create(CultureInfo.InvariantCulture, $"pool '{packed.Pool.Name}' {needs} at peak but maxNodes is {packed.Pool.MaxNodes}; raise maxNodes or use a larger instance type")));
                continue;
            }

            foreach (var (name, usd) in packed.ComponentCost)
            {
                componentCost[name] = usd;
            }
        }

        if (problems.Count > 0)
        {
            return new PlanResult(null, problems);
        }

        var components = choice.Chosen.Select((x, i) => new ComponentPlan(
            x.Sized.Component,
            x.Pool.Name,
            x.Sized.Device,
            x.Sized.Workloads,
            x.Sized.Sessions,
            x.Sized.TargetUtilisation,
            choice.Alternatives[i].Length == 0 ? x.Sized.Rationale : $"{x.Sized.Rationale}; cheapest {choice.Alternatives[i]}",
            Math.Round(componentCost.GetValueOrDefault(x.Sized.Component.Name), 2))).ToList();
        var peakCores = components.Sum(c => c.Cpu.Cores);
        var preset = PresetDetector.Detect([.. choice.Chosen.Select(x => (x.Sized.Component, x.Sized.Sessions))], peakCores);
        var cost = CostModel.Price([.. choice.Pools.Select(p => p.Nodes)], spec.Cost, spec.Cluster.ControlPlaneMonthlyUsd);
        return new PlanResult(new Plan(spec, preset, components, [.. choice.Pools.Select(p => p.Plan!)], cost), []);
    }

    /// <summary>Puts each option on its pool; options no pool takes are dropped, and if none is left the first refusal stands.</summary>
    private static List<Candidate> Place(IReadOnlyList<SizedComponent> options, ClusterProfile cluster)
    {
        var placed = new List<Candidate>();
        PlanningException? refused = null;
        foreach (var sized in options)
        {
            try
            {
                placed.Add(new Candidate(sized, PoolSelector.Select(sized, cluster)));
            }
            catch (PlanningException e)
            {
                refused ??= e;
            }
        }

        return placed.Count > 0 ? placed : throw refused!;
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
}
