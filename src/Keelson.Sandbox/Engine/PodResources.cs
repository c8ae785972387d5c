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

    private static long Of(V1Container container, string resource, bool milli)
    {
        var quantity = container.Resources?.Requests is { } requests && requests.TryGetValue(resource, out var r) ? r
            : container.Resources?.Limits is { } limits && limits.TryGetValue(resource, out var l) ? l
            : null;
        if (quantity is null)
        {
            return 0;
        }

        var value = quantity.ToDecimal();
        return (long)Math.Ceiling(milli ? value * 1000 : value);
    }
}
