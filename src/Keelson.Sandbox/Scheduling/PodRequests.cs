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
    /// Requests by resource name: CPU in millicores, memory in bytes, anything else in its integer unit; and the
    /// same with containers that request no CPU or memory counting kube-scheduler's scoring defaults instead.
    /// </summary>
    public static (Dictionary<string, long> Requests, Dictionary<string, long> NonZero) Of(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);

        // Quantities are slow to read, so each container's are read once for both sums.
        var containers = (spec.Containers ?? []).Select(Of).ToList();
        var inits = (spec.InitContainers ?? []).Select(c => (Sidecar: c.RestartPolicy == "Always", Requests: Of(c))).ToList();
        var overhead = spec.Overhead is { } o ? Convert(o) : null;
        return (Sum(containers, inits, overhead, nonZero: false), Sum(containers, inits, overhead, nonZero: true));
    }

    private static Dictionary<string, long> Sum(
        List<Dictionary<string, long>> containers, List<(bool Sidecar, Dictionary<string, long> Requests)> inits, Dictionary<string, long>? overhead, bool nonZero)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var container in containers)
        {
            Add(total, Defaulted(container, nonZero));
        }

        var sidecars = new Dictionary<string, long>(StringComparer.Ordinal);
        var initPeak = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (sidecar, requests) in inits)
        {
            var own = new Dictionary<string, long>(Defaulted(requests, nonZero), StringComparer.Ordinal);
            if (sidecar)
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
        if (overhead is not null)
        {
            Add(total, overhead);
        }

        return total;
    }

    private static Dictionary<string, long> Defaulted(Dictionary<string, long> requests, bool nonZero)
    {
        if (!nonZero || (requests.GetValueOrDefault(Cpu) > 0 && requests.GetValueOrDefault(Memory) > 0))
        {
            return requests;
        }

        var defaulted = new Dictionary<string, long>(requests, StringComparer.Ordinal);
        if (defaulted.GetValueOrDefault(Cpu) == 0)
        {
            defaulted[Cpu] = DefaultMilliCpu;
        }

        if (defaulted.GetValueOrDefault(Memory) == 0)
        {
            defaulted[Memory] = DefaultMemoryBytes;
        }

        return defaulted;
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

    private static Dictionary<string, long> Of(V1Container container)
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
