using k8s.Models;
using Keelson.Operations.Clusters;

namespace Keelson.Operations.Tests.Clusters;

public sealed class ResourceAmountsTests
{
    [Fact]
    public void Of_reads_cpu_as_millicores_memory_as_bytes_and_any_gpu_resource()
    {
        var amounts = ResourceAmounts.Of(new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new("1500m"), ["memory"] = new("2Gi"), ["nvidia.com/gpu"] = new("2"), ["amd.com/gpu"] = new("1"), ["pods"] = new("110"),
        });

        Assert.Equal(new ResourceAmounts(1500, 2L * 1024 * 1024 * 1024, 3), amounts);
        Assert.Equal(ResourceAmounts.Zero, ResourceAmounts.Of(null));
    }

    [Fact]
    public void Requested_is_the_larger_of_the_containers_sum_and_the_largest_init_container_plus_overhead()
    {
        static V1Container Container(string cpu, string memory) =>
            new() { Name = cpu, Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) } } };

        var spec = new V1PodSpec
        {
            Containers = [Container("200m", "1Gi"), Container("300m", "1Gi")],
            InitContainers = [Container("800m", "512Mi"), Container("100m", "3Gi")],
            Overhead = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m") },
        };

        // CPU: max(500m, 800m) + 50m; memory: max(2Gi, 3Gi) — per resource, as kube-scheduler computes it.
        Assert.Equal(new ResourceAmounts(850, 3L * 1024 * 1024 * 1024, 0), ResourceAmounts.Requested(spec));
        Assert.Equal(ResourceAmounts.Zero, ResourceAmounts.Requested(new V1PodSpec { Containers = [new V1Container { Name = "bare" }] }));
    }
}
