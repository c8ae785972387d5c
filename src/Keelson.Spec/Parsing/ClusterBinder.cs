using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Spec.Parsing;

/// <summary>Builds a <see cref="ClusterProfile"/> from a checked cluster mapping.</summary>
internal static class ClusterBinder
{
    public static ClusterProfile Bind(YamlMap map) => new(
        map.String("name") ?? "custom",
        map.String("provider") ?? "custom",
        map.String("pricesAsOf"),
        [.. map.Maps("pools").Select(BindPool)])
    {
        ControlPlaneMonthlyUsd = map.Double("controlPlaneMonthlyUsd") ?? 0,
    };

    private static NodePool BindPool(YamlMap pool)
    {
        var role = pool.Required("role") switch
        {
            "control-plane" => PoolRole.ControlPlane,
            "worker" => PoolRole.Worker,
            "ingress" => PoolRole.Ingress,
            "edge" => PoolRole.Edge,
            _ => PoolRole.Gpu,
        };
        var instance = pool.Map("instance");
        var prices = instance.Map("prices");
        var onDemand = prices.Double("onDemand") ?? 0;
        return new NodePool(
            pool.Required("name"),
            role,
            new InstanceType(
                instance.Required("name"),
                instance.Int("vcpu") ?? 1,
                instance.Memory("memory") ?? ByteSize.Zero,
                instance.Int("gpus") ?? 0,
                instance.String("gpuType") is { } g ? Enum.Parse<GpuType>(g) : null,
                new HourlyPrices(onDemand, prices.Double("spot") ?? onDemand, prices.Double("reserved") ?? onDemand))
            {
                MaxPods = instance.Int("maxPods") ?? 110,
            },
            pool.Int("minNodes") ?? 0,
            pool.Int("maxNodes") ?? 1,
            pool.Dictionary("labels"),
            [.. pool.Maps("taints").Select(t => new Taint(t.Required("key"), t.String("value") ?? "", t.Required("effect")))],
            pool.Strings("zones"))
        {
            SpotAllowed = pool.Bool("spot") ?? role != PoolRole.ControlPlane,
        };
    }
}
