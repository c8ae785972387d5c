using System.Globalization;
using k8s.Models;
using Keelson.Rendering.Objects;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Profiles;

namespace Keelson.Testing;

/// <summary>
/// A saved sandbox of many ready nodes and running pods, written into a server's data directory before it starts
/// (which serves every saved sandbox again): one general pool of aws-gpu, pods of one tenant spread evenly over the
/// nodes. The console's ClusterPagePerformanceTests and bench/http/cluster-view.sh read it through the cluster view.
/// </summary>
public static class LargeSandbox
{
    /// <summary>Writes <c>sandbox/{name}.json</c> under <paramref name="dataDirectory"/>.</summary>
    public static async Task WriteAsync(string dataDirectory, string name, int nodeCount, int podCount)
    {
        var template = ClusterProfiles.Get("aws-gpu");
        var general = template.Pools.First(p => p.Name == "general");
        var engine = new SandboxEngine(template with { Name = name, Pools = [general with { MinNodes = nodeCount, MaxNodes = nodeCount }] });
        engine.Store.Create(new V1Namespace
        {
            ApiVersion = "v1", Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = "fleet", Labels = new Dictionary<string, string> { [Labels.Tenant] = "fleet" } },
        });
        var nodes = engine.Store.List<V1Node>().Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < podCount; i++)
        {
            engine.Store.Create(new V1Pod
            {
                ApiVersion = "v1", Kind = "Pod",
                Metadata = new V1ObjectMeta { Name = string.Create(CultureInfo.InvariantCulture, $"worker-{i:D5}"), NamespaceProperty = "fleet", Labels = new Dictionary<string, string> { ["app"] = "worker" } },
                Spec = new V1PodSpec
                {
                    NodeName = nodes[i % nodes.Count],
                    Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m"), ["memory"] = new("512Mi") } } }],
                },
                Status = new V1PodStatus
                {
                    Phase = "Running",
                    Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True" }, new V1PodCondition { Type = "Ready", Status = "True" }],
                },
            });
        }

        await SandboxState.SaveAsync(engine, Path.Combine(Directory.CreateDirectory(Path.Combine(dataDirectory, "sandbox")).FullName, name + ".json"), CancellationToken.None);
    }
}
