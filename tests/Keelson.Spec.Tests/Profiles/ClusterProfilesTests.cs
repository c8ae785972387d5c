using Keelson.Spec.Model;
using Keelson.Spec.Parsing;
using Keelson.Spec.Profiles;

namespace Keelson.Spec.Tests.Profiles;

public sealed class ClusterProfilesTests
{
    [Theory]
    [InlineData("aws-general")]
    [InlineData("aws-gpu")]
    [InlineData("ncp")]
    public void Built_in_profiles_load_with_dated_prices(string name)
    {
        var profile = ClusterProfiles.Get(name);

        Assert.Equal(name, profile.Name);
        Assert.False(string.IsNullOrEmpty(profile.PricesAsOf));
        Assert.Contains(profile.Pools, p => p.Role == PoolRole.Worker);
        Assert.All(profile.Pools, p => Assert.True(p.Instance.Prices.OnDemandUsd > 0));
        Assert.All(profile.Pools, p => Assert.True(p.Instance.Prices.SpotUsd <= p.Instance.Prices.OnDemandUsd));
    }

    [Fact]
    public void Gpu_pools_are_tainted_so_only_gpu_work_lands_there()
    {
        var gpuPools = ClusterProfiles.Get("aws-gpu").Pools.Where(p => p.Role == PoolRole.Gpu).ToList();

        Assert.Equal(3, gpuPools.Count);
        Assert.All(gpuPools, p => Assert.Contains(p.Taints, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule"));
        Assert.All(gpuPools, p => Assert.True(p.Instance.Gpus > 0 && p.Instance.Gpu is not null));
    }

    [Fact]
    public void Unknown_profile_names_the_built_in_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => ClusterProfiles.Get("gcp"));

        Assert.Contains("aws-general, aws-gpu, ncp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_cluster_file_is_checked_like_a_stack()
    {
        const string yaml = """
            name: lab
            pools:
              - name: cpu
                role: worker
                instance: {name: box, vcpu: 4, memory: 16Gi, prices: {onDemand: 0.2}}
                minNodes: 3
                maxNodes: 2
              - name: gpu
                role: gpu
                instance: {name: gbox, vcpu: 4, memory: 16Gi, prices: {onDemand: 1}}
                maxNodes: 2
            """;

        var result = StackParser.ParseCluster(yaml, "lab.yaml");

        Assert.Equal(["pools[0].minNodes", "pools[1].instance"], result.Diagnostics.Select(d => d.Path));
        Assert.Equal(6, result.Diagnostics[0].Line);
    }

    [Fact]
    public void Spot_and_reserved_default_to_on_demand_when_not_given()
    {
        var result = StackParser.ParseCluster("name: lab\npools:\n  - {name: a, role: worker, instance: {name: x, vcpu: 2, memory: 8Gi, prices: {onDemand: 0.1}}, maxNodes: 1}\n", "lab.yaml");

        var prices = result.Value!.Pools[0].Instance.Prices;
        Assert.Equal((0.1, 0.1, 0.1), (prices.OnDemandUsd, prices.SpotUsd, prices.ReservedUsd));
    }
}
