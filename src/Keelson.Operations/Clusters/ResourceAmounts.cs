using k8s.Models;

namespace Keelson.Operations.Clusters;

/// <summary>CPU, memory and GPUs together, in integer units: millicores, bytes, devices.</summary>
/// <param name="MilliCpu">CPU in millicores.</param>
/// <param name="MemoryBytes">Memory in bytes.</param>
/// <param name="Gpus">GPU devices (any <c>*/gpu</c> extended resource: <c>nvidia.com/gpu</c>, <c>amd.com/gpu</c>).</param>
public sealed record ResourceAmounts(long MilliCpu, long MemoryBytes, long Gpus)
{
    /// <summary>Nothing.</summary>
    public static ResourceAmounts Zero { get; } = new(0, 0, 0);

    /// <summary>The sum of two amounts.</summary>
    public static ResourceAmounts operator +(ResourceAmounts left, ResourceAmounts right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.MilliCpu + right.MilliCpu, left.MemoryBytes + right.MemoryBytes, left.Gpus + right.Gpus);
    }

    /// <summary>The sum of two amounts (for languages without operators).</summary>
    public static ResourceAmounts Add(ResourceAmounts left, ResourceAmounts right) => left + right;

    /// <summary>The larger of each figure.</summary>
    public static ResourceAmounts Max(ResourceAmounts left, ResourceAmounts right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(Math.Max(left.MilliCpu, right.MilliCpu), Math.Max(left.MemoryBytes, right.MemoryBytes), Math.Max(left.Gpus, right.Gpus));
    }

    /// <summary>The amounts of a resource list (a node's allocatable, a container's requests or usage); absent entries are zero.</summary>
    public static ResourceAmounts Of(IDictionary<string, ResourceQuantity>? resources)
    {
        if (resources is null)
        {
            return Zero;
        }

        long cpu = 0, memory = 0, gpus = 0;
        foreach (var (name, quantity) in resources)
        {
            if (quantity is null)
            {
                continue;
            }

            if (name == "cpu")
            {
                cpu = (long)Math.Ceiling(quantity.ToDecimal() * 1000m);
            }
            else if (name == "memory")
            {
                memory = (long)Math.Ceiling(quantity.ToDecimal());
            }
            else if (name.EndsWith("/gpu", StringComparison.Ordinal))
            {
                gpus += (long)quantity.ToDecimal();
            }
        }

        return new(cpu, memory, gpus);
    }

    /// <summary>
    /// What the scheduler counts for a pod, as kube-scheduler computes it: the larger of the sum of its containers'
    /// requests and its largest init container's, plus the pod overhead.
    /// </summary>
    public static ResourceAmounts Requested(V1PodSpec? spec)
    {
        if (spec is null)
        {
            return Zero;
        }

        var containers = (spec.Containers ?? []).Aggregate(Zero, (sum, c) => sum + Of(c.Resources?.Requests));
        var init = (spec.InitContainers ?? []).Aggregate(Zero, (max, c) => Max(max, Of(c.Resources?.Requests)));
        return Max(containers, init) + Of(spec.Overhead);
    }
}
