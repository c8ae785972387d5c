using k8s.Models;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// A pod's effective requests as Kubernetes computes them (<c>resourcehelper.PodRequests</c>): the larger of the
/// containers' sum and the init containers' peak, restartable init containers (sidecars) counting towards both,
/// plus the pod overhead. A container giving only a limit requests that limit, as the API server defaults it.
/// </summary>
internal static class PodRequests
{
    /// <summary>CPU resource name.</summary>
    public const string Cpu = "cpu";

    /// <summary>Memory resource name.</summary>
    public const string Memory = "memory";

    /// <summary>Pod-count resource name, as nodes advertise it.</summary>
    public const string Pods = "pods";

    /// <summary>CPU kube-scheduler assumes for scoring a container that requests none (100m).</summary>
    public const long DefaultMilliCpu = 100;

    /// <summary>Memory kube-scheduler assumes for scoring a container that requests none (200 MB).</summary>
    public const long DefaultMemoryBytes = 200L * 1024 * 1024;

    /// <summary>
    /// Requests by resource name: CPU in millicores, memory in bytes, anything else in its integer unit. With
    /// <paramref name="nonZero"/>, containers without a CPU or memory request count the scoring defaults instead.
    /// </summary>
    public static Dictionary<string, long> Of(V1PodSpec spec, bool nonZero)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var container in spec.Containers ?? [])
        {
            Add(total, Of(container, nonZero));
        }

        var sidecars = new Dictionary<string, long>(StringComparer.Ordinal);
        var initPeak = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var init in spec.InitContainers ?? [])
        {
            var own = Of(init, nonZero);
            if (init.RestartPolicy == "Always")
            {
                Add(total, own);
                Add(sidecars, own);
                Max(initPeak, sidecars);
            }
            else
            {
                Add(own, sidecars);
                Max(initPeak, own);
            }
        }

        Max(total, initPeak);
        if (spec.Overhead is { } overhead)
        {
            Add(total, Convert(overhead));
        }

        return total;
    }

    /// <summary>Converts quantities to integers: CPU to millicores, everything else to whole units, rounding up.</summary>
    public static Dictionary<string, long> Convert(IDictionary<string, ResourceQuantity> quantities)
    {
        ArgumentNullException.ThrowIfNull(quantities);
        var result = new Dictionary<string, long>(quantities.Count, StringComparer.Ordinal);
        foreach (var (name, quantity) in quantities)
        {
            result[name] = Integer(name, quantity);
        }

        return result;
    }

    /// <summary>One quantity as an integer: CPU in millicores, everything else in whole units, rounded up.</summary>
    public static long Integer(string name, ResourceQuantity quantity)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        var value = quantity.ToDecimal();
        return (long)Math.Ceiling(name == Cpu ? value * 1000 : value);
    }

    private static Dictionary<string, long> Of(V1Container container, bool nonZero)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (container.Resources?.Limits is { } limits)
        {
            foreach (var (name, quantity) in limits)
            {
                result[name] = Integer(name, quantity);
            }
        }

        if (container.Resources?.Requests is { } requests)
        {
            foreach (var (name, quantity) in requests)
            {
                result[name] = Integer(name, quantity);
            }
        }

        if (nonZero)
        {
            if (result.GetValueOrDefault(Cpu) == 0)
            {
                result[Cpu] = DefaultMilliCpu;
            }

            if (result.GetValueOrDefault(Memory) == 0)
            {
                result[Memory] = DefaultMemoryBytes;
            }
        }

        return result;
    }

    private static void Add(Dictionary<string, long> into, Dictionary<string, long> add)
    {
        foreach (var (name, value) in add)
        {
            into[name] = into.GetValueOrDefault(name) + value;
        }
    }

    private static void Max(Dictionary<string, long> into, Dictionary<string, long> other)
    {
        foreach (var (name, value) in other)
        {
            into[name] = Math.Max(into.GetValueOrDefault(name), value);
        }
    }
}
