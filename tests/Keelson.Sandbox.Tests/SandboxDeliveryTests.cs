using k8s.Models;
using Keelson.Delivery;
using Keelson.Sandbox.Nodes;

namespace Keelson.Sandbox.Tests;

public class SandboxDeliveryTests
{
    [Fact]
    public void Quant_platform_rolls_out_with_gpu_pods_only_on_gpu_nodes()
    {
        var manifest = Stacks.Render("quant-platform.yaml");
        var (cluster, result, events) = Stacks.Deliver(manifest);

        Assert.True(result.Succeeded, result.Error + "\n" + string.Join("\n", events.Select(e => $"{e.At:HH:mm:ss} {e.Key} {e.Message}")));
        var store = cluster.Engine.Store;
        var nodes = store.List<V1Node>().ToDictionary(n => n.Metadata.Name);
        var pods = store.List<V1Pod>(manifest.Namespace).ToList();
        Assert.NotEmpty(pods);
        Assert.All(pods, p => Assert.True(Engine.Pods.IsReady(p), $"{p.Metadata.Name} is not ready"));
        foreach (var pod in pods)
        {
            var wantsGpu = pod.Spec.Containers.Any(c => c.Resources?.Limits?.ContainsKey(NodeFactory.GpuResource) == true);
            var onGpu = nodes[pod.Spec.NodeName].Status.Allocatable.ContainsKey(NodeFactory.GpuResource);
            Assert.Equal(wantsGpu, onGpu);
        }

        Assert.Contains(pods, p => p.Spec.Containers.Any(c => c.Resources?.Limits?.ContainsKey(NodeFactory.GpuResource) == true));
        var deployments = store.List<V1Deployment>(manifest.Namespace).ToList();
        Assert.All(deployments, d => Assert.Equal(d.Spec.Replicas, d.Status.AvailableReplicas));
    }
}
