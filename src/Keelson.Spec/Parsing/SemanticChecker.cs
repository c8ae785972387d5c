using System.Globalization;
using Keelson.Spec.Model;
using YamlDotNet.Core;

namespace Keelson.Spec.Parsing;

/// <summary>Checks that need the whole stack: names, references, ranges between fields.</summary>
internal sealed class SemanticChecker(string file, IReadOnlyDictionary<string, Mark> locations, List<Diagnostic> diagnostics)
{
    /// <summary>Checks the parts of a stack that passed the shape check.</summary>
    /// <param name="components">Components that passed, with their index in the file.</param>
    /// <param name="names">Every well-formed component name in the file with its index, so that references to a component with other errors still resolve.</param>
    /// <param name="cluster">The cluster, or null when it has shape errors of its own.</param>
    /// <param name="queues">Job queues that passed, with their index in the file.</param>
    /// <param name="queueNames">Every queue name written in the file, so that references to a queue with other errors still resolve.</param>
    public void Check(
        IReadOnlyList<(int Index, Component Component)> components,
        IReadOnlyList<(int Index, string Name)> names,
        ClusterProfile? cluster,
        IReadOnlyList<(int Index, JobQueueSpec Queue)> queues,
        IReadOnlyList<string> queueNames)
    {
        if (cluster is not null)
        {
            CheckCluster(cluster, "cluster");
        }

        new QueueChecker(this).Check(queues, cluster);

        var firstUse = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (index, name) in names)
        {
            if (!firstUse.TryAdd(name, index))
            {
                Add(DiagnosticCodes.Duplicate, At("components", index) + ".name", $"component name '{name}' is already used by components[{firstUse[name]}]");
            }
        }

        foreach (var (index, component) in components)
        {
            CheckComponent(cluster, component, At("components", index), firstUse);
            QueueChecker.CheckReference(this, component, At("components", index), queueNames);
            QueueChecker.CheckDevice(this, component, At("components", index), queues.Select(q => q.Queue).ToList(), cluster);
        }

        CheckCycles(components);
        CheckRoutes(components);
    }

    public void CheckCluster(ClusterProfile cluster, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cluster.Pools.Count; i++)
        {
            var pool = cluster.Pools[i];
            var poolPath = ShapeChecker.Join(path, string.Create(CultureInfo.InvariantCulture, $"pools[{i}]"));
            if (!seen.Add(pool.Name))
            {
                Add(DiagnosticCodes.Duplicate, poolPath + ".name", $"pool name '{pool.Name}' is used twice");
            }

            if (pool.MinNodes > pool.MaxNodes)
            {
                Add(DiagnosticCodes.OutOfRange, poolPath + ".minNodes", $"minNodes ({pool.MinNodes}) is greater than maxNodes ({pool.MaxNodes})");
            }

            if (pool.Role == PoolRole.Gpu && (pool.Instance.Gpus == 0 || pool.Instance.Gpu is null))
            {
                Add(DiagnosticCodes.MissingField, poolPath + ".instance", "a gpu pool needs an instance with 'gpus' of at least 1 and a 'gpuType'");
            }

            if (pool.Instance.Gpus > 0 && pool.Instance.Gpu is null)
            {
                Add(DiagnosticCodes.MissingField, poolPath + ".instance.gpus", "'gpus' needs 'gpuType' beside it");
            }
        }
    }

    private void CheckComponent(ClusterProfile? cluster, Component c, string path, Dictionary<string, int> names)
    {
        for (var d = 0; d < c.DependsOn.Count; d++)
        {
            var target = c.DependsOn[d];
            var depPath = At(path + ".dependsOn", d);
            if (target == c.Name)
            {
                Add(DiagnosticCodes.UnknownReference, depPath, "a component cannot depend on itself");
            }
            else if (!names.ContainsKey(target))
            {
                var hint = Suggestions.Closest(target, names.Keys) is { } s ? $" (did you mean '{s}'?)" : "";
                Add(DiagnosticCodes.UnknownReference, depPath, $"no component named '{target}'{hint}; components: {string.Join(", ", names.Keys)}");
            }
        }

        if (cluster is not null && c.Pool is { } poolName && cluster.Pools.All(p => p.Name != poolName))
        {
            var poolNames = cluster.Pools.Select(p => p.Name).ToList();
            var hint = Suggestions.Closest(poolName, poolNames) is { } s ? $" (did you mean '{s}'?)" : "";
            Add(DiagnosticCodes.UnknownReference, path + ".pool", $"cluster '{cluster.Name}' has no pool '{poolName}'{hint}; pools: {string.Join(", ", poolNames)}");
        }

        var device = c switch
        {
            AiServiceComponent ai => ai.Device,
            ModelComponent model => model.Device,
            JobComponent job => job.Device,
            _ => null,
        };
        if (cluster is not null && device is { Kind: DeviceKind.Gpu, Gpu: { } gpu } && !cluster.Pools.Any(p => p.Role == PoolRole.Gpu && p.Instance.Gpu == gpu))
        {
            var available = cluster.Pools.Where(p => p.Role == PoolRole.Gpu).Select(p => p.Instance.Gpu.ToString()).Distinct().ToList();
            Add(DiagnosticCodes.UnknownReference, path + ".device", $"cluster '{cluster.Name}' has no gpu pool with {gpu} GPUs; available: {(available.Count == 0 ? "none (use cpu or a GPU cluster profile)" : string.Join(", ", available))}");
        }

        switch (c)
        {
            case ServiceComponent { Autoscaling: { MinReplicas: { } min, MaxReplicas: { } max } } when min > max:
                Add(DiagnosticCodes.OutOfRange, path + ".autoscaling.minReplicas", $"minReplicas ({min}) is greater than maxReplicas ({max})");
                break;
            case WorkerComponent w when w.MinReplicas > w.MaxReplicas:
                Add(DiagnosticCodes.OutOfRange, path + ".minReplicas", $"minReplicas ({w.MinReplicas}) is greater than maxReplicas ({w.MaxReplicas})");
                break;
            case SparkComponent { DynamicAllocation: { } da } when da.MinExecutors > da.MaxExecutors:
                Add(DiagnosticCodes.OutOfRange, path + ".dynamicAllocation.minExecutors", $"minExecutors ({da.MinExecutors}) is greater than maxExecutors ({da.MaxExecutors})");
                break;
            case JobComponent { Parallelism: var p, Completions: var n } when p > n:
                Add(DiagnosticCodes.OutOfRange, path + ".parallelism", $"parallelism ({p}) is greater than completions ({n}); extra pods would never run");
                break;
        }

        var resources = c switch
        {
            ServiceComponent s => s.Resources,
            WorkerComponent w => w.Resources,
            JobComponent j => j.Resources,
            StatefulComponent st => st.Resources,
            ModelComponent m => m.Resources,
            _ => null,
        };
        if (resources is not null)
        {
            if (resources.CpuRequest > resources.CpuLimit)
            {
                Add(DiagnosticCodes.OutOfRange, path + ".resources.requests.cpu", $"the CPU request ({resources.CpuRequest}) exceeds the limit ({resources.CpuLimit})");
            }

            if (resources.MemoryRequest > resources.MemoryLimit)
            {
                Add(DiagnosticCodes.OutOfRange, path + ".resources.requests.memory", $"the memory request ({resources.MemoryRequest}) exceeds the limit ({resources.MemoryLimit})");
            }
        }
    }

    private void CheckCycles(IReadOnlyList<(int Index, Component Component)> components)
    {
        // Depth-first search with colours; the first back edge found names the cycle.
        var byName = new Dictionary<string, (int Index, Component Component)>(StringComparer.Ordinal);
        foreach (var entry in components)
        {
            byName.TryAdd(entry.Component.Name, entry);
        }

        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        foreach (var (_, c) in components)
        {
            if (Visit(c.Name))
            {
                return;
            }
        }

        bool Visit(string name)
        {
            if (state.GetValueOrDefault(name) == 2 || !byName.TryGetValue(name, out var entry))
            {
                return false;
            }

            if (state.GetValueOrDefault(name) == 1)
            {
                var cycle = stack.Skip(stack.IndexOf(name)).Append(name);
                Add(DiagnosticCodes.Conflict, At("components", entry.Index) + ".dependsOn", $"dependsOn forms a cycle: {string.Join(" -> ", cycle)}");
                return true;
            }

            state[name] = 1;
            stack.Add(name);
            foreach (var next in entry.Component.DependsOn)
            {
                if (next != name && Visit(next))
                {
                    return true;
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[name] = 2;
            return false;
        }
    }

    private void CheckRoutes(IReadOnlyList<(int Index, Component Component)> components)
    {
        var seen = new Dictionary<(string, string), string>();
        foreach (var (i, component) in components)
        {
            if (component is not ServiceComponent s)
            {
                continue;
            }

            for (var r = 0; r < s.Routes.Count; r++)
            {
                var route = s.Routes[r];
                if (!seen.TryAdd((route.Host, route.Path), s.Name))
                {
                    Add(DiagnosticCodes.Duplicate, At(At("components", i) + ".routes", r), $"host '{route.Host}' path '{route.Path}' is already routed to '{seen[(route.Host, route.Path)]}'");
                }
            }
        }
    }

    internal static string At(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    internal void Add(string code, string path, string message)
    {
        var found = PathLocator.TryFind(locations, path, out var mark);
        diagnostics.Add(new Diagnostic(code, file, found ? (int)mark.Line : 1, found ? (int)mark.Column : 1, path, message));
    }
}
