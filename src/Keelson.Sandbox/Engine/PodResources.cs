using k8s.Models;

namespace Keelson.Sandbox.Engine;

/// <summary>A pod's effective requests as the scheduler and quota count them, in integer units.</summary>
public static class PodResources
{
    /// <summary>
    /// Requested millicores of a resource (<c>cpu</c>) or units (memory bytes, GPUs): the larger of the containers'
    /// sum and any single init container, with a limit standing in for a missing request as the API server defaults it.
    /// </summary>
    public static long Request(V1PodSpec spec, string resource, bool milli)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var cache = Requests.GetOrCreateValue(spec);
        lock (cache)
        {
            if (!cache.TryGetValue((resource, milli), out var value))
            {
                value = Compute(spec, resource, milli);
                cache[(resource, milli)] = value;
            }

            return value;
        }
    }

    // Pod specs are not edited in place once created, so their requests are read once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<V1PodSpec, Dictionary<(string, bool), long>> Requests = [];

    private static long Compute(V1PodSpec spec, string resource, bool milli)
    {
        long sum = 0;
        foreach (var c in spec.Containers ?? [])
        {
            sum += Of(c, resource, milli);
        }

        foreach (var c in spec.InitContainers ?? [])
        {
            sum = Math.Max(sum, Of(c, resource, milli));
        }

        return sum;
    }

    /// <summary>A quantity from a resource list (node allocatable, requests) in integer units; 0 when absent.</summary>
    public static long Quantity(IDictionary<string, ResourceQuantity>? list, string resource, bool milli) =>
        list is not null && list.TryGetValue(resource, out var quantity) ? Units(quantity, milli) : 0;

    private static long Of(V1Container container, string resource, bool milli)
    {
        var quantity = container.Resources?.Requests is { } requests && requests.TryGetValue(resource, out var r) ? r
            : container.Resources?.Limits is { } limits && limits.TryGetValue(resource, out var l) ? l
            : null;
        return quantity is null ? 0 : Units(quantity, milli);
    }

    private static long Units(ResourceQuantity quantity, bool milli)
    {
        var value = quantity.ToDecimal();
        return (long)Math.Ceiling(milli ? value * 1000 : value);
    }
}
