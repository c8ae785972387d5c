using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Sandbox.Tests;

/// <summary>A small two-pool cluster and minimal workloads for controller scenarios.</summary>
internal static class Small
{
    public const string Ns = "shop";

    public static ClusterProfile Profile(int generalMin = 2, int generalMax = 5) => new("small", "test", null,
    [
        new NodePool("general", PoolRole.Worker, new InstanceType("m.xlarge", 4, ByteSize.FromGiB(16), 0, null, new HourlyPrices(0.2, 0.08, 0.12)),
            generalMin, generalMax, new Dictionary<string, string>(), [], ["zone-a", "zone-b"]),
        new NodePool("gpu", PoolRole.Gpu, new InstanceType("g.xlarge", 4, ByteSize.FromGiB(16), 1, GpuType.T4, new HourlyPrices(0.5, 0.2, 0.3)),
            0, 2, new Dictionary<string, string>(), [new Taint("nvidia.com/gpu", "present", "NoSchedule")], ["zone-a"]),
    ]);

    public static SandboxCluster Cluster(ClusterProfile? profile = null, ILoadModel? load = null, SandboxOptions? options = null)
    {
        var cluster = new SandboxCluster(new SandboxEngine(profile ?? Profile(), options, load));
        cluster.Apply(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Ns } });
        return cluster;
    }

    public static V1Deployment Deployment(string name, int replicas, string cpu = "500m", string image = "shop/app:1", int? maxSurge = null, int? maxUnavailable = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Strategy = maxSurge is null && maxUnavailable is null ? null : new V1DeploymentStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = maxSurge ?? 1, MaxUnavailable = maxUnavailable ?? 0 },
            },
            Template = Template(name, cpu, image),
        },
    };

    public static V1PodTemplateSpec Template(string name, string cpu = "500m", string image = "shop/app:1") => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = image,
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new("256Mi") },
                        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new("256Mi") },
                    },
                    ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/ready", Port = 8080 }, InitialDelaySeconds = 5 },
                },
            ],
        },
    };

    public static List<V1Pod> Pods(SandboxCluster cluster, string prefix) =>
        [.. cluster.Engine.Store.List<V1Pod>(Ns).Where(p => p.Metadata.Name.StartsWith(prefix + "-", StringComparison.Ordinal) && Engine.Pods.IsActive(p))];
}
