using System.Globalization;
using Keelson.Planning.Catalog;
using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Planning.Sizing;

/// <summary>Sizes Spark applications: one driver and the initial executors, each with Spark's memory overhead.</summary>
public sealed class SparkSizer : IComponentSizer
{
    /// <inheritdoc/>
    public Type ComponentType => typeof(SparkComponent);

    /// <inheritdoc/>
    public IReadOnlyList<SizedComponent> Size(Component component, SizingContext context)
    {
        var s = (SparkComponent)component;
        var min = s.DynamicAllocation?.MinExecutors ?? s.Executors;
        var max = s.DynamicAllocation?.MaxExecutors ?? s.Executors;
        var executors = Math.Clamp(s.Executors, min, max);
        var workloads = new[]
        {
            new WorkloadPlan(s.Name + "-driver", 1, 1, 1, Pod(s.Driver), ByteSize.Zero, Scalable: false, ZoneSpread: false),
            new WorkloadPlan(s.Name + "-exec", executors, min, max, Pod(s.Executor), ByteSize.Zero, Scalable: s.DynamicAllocation is not null, ZoneSpread: false),
        };
        var rationale = string.Create(CultureInfo.InvariantCulture, $"driver + {executors} executor(s), dynamic {min}–{max}");
        return [new SizedComponent(s, "cpu", null, workloads, null, null, rationale)];
    }

    /// <summary>
    /// A Spark pod asks for its cores and its memory plus the overhead Spark on Kubernetes adds:
    /// max(384 MiB, 10 % of memory) (spark.kubernetes.memoryOverheadFactor, JVM jobs).
    /// </summary>
    public static PodShape Pod(SparkRoleSize role)
    {
        var overhead = Math.Max(ByteSize.FromMiB(384).Bytes, role.Memory.Bytes / 10);
        var memory = new ByteSize(role.Memory.Bytes + overhead);
        var cpu = new MilliCpu(role.Cores * 1000L);
        return new PodShape(cpu, memory, cpu, memory, 0);
    }
}
