using System.Globalization;
using k8s.Models;
using Keelson.Planning;
using Keelson.Rendering.Objects;

namespace Keelson.Rendering.Renderers;

/// <summary>The tenant's scaffolding: Namespace, ResourceQuota, LimitRange and a ServiceAccount per component.</summary>
public sealed class TenantRenderer : IManifestRenderer
{
    /// <inheritdoc/>
    public IEnumerable<RenderedObject> Render(RenderContext context)
    {
        var plan = context.Plan;
        var labels = Labels.ForTenant(context);
        labels["keelson.dev/preset"] = plan.Preset;
        labels["keelson.dev/environment"] = plan.Spec.Metadata.Environment.ToString().ToLowerInvariant();
        labels["pod-security.kubernetes.io/enforce"] = "restricted";

        yield return new RenderedObject(
            new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = context.Namespace, Labels = labels } },
            null,
            ObjectGroup.Namespace);

        yield return new RenderedObject(Quota(context), null, ObjectGroup.Namespace);
        yield return new RenderedObject(Limits(context), null, ObjectGroup.Namespace);

        foreach (var component in plan.Components)
        {
            yield return new RenderedObject(
                new V1ServiceAccount
                {
                    ApiVersion = "v1",
                    Kind = "ServiceAccount",
                    Metadata = new V1ObjectMeta { Name = component.Name, NamespaceProperty = context.Namespace, Labels = Labels.ForWorkload(context, component, component.Name, null) },
                    // Only a Spark driver talks to the API server (to start its executors); nothing else gets a token.
                    AutomountServiceAccountToken = component.Component is Spec.Model.SparkComponent,
                },
                component.Name,
                Group(component));
        }
    }

    /// <summary>Where a component's objects go in the tree: stateful infrastructure apart from applications.</summary>
    public static ObjectGroup Group(ComponentPlan component) =>
        component.Component is Spec.Model.StatefulComponent ? ObjectGroup.Infrastructure : ObjectGroup.Application;

    /// <summary>
    /// Requests and limits of every workload at its autoscaler ceiling, plus headroom for rolling updates,
    /// so that the quota never blocks a scale-out the plan allows.
    /// </summary>
    private static V1ResourceQuota Quota(RenderContext context)
    {
        long cpuRequests = 0, cpuLimits = 0, memoryRequests = 0, memoryLimits = 0, storage = 0;
        int gpus = 0, pods = 0, claims = 0;
        foreach (var w in context.Plan.Components.SelectMany(c => c.Workloads))
        {
            var n = Math.Max(w.MaxReplicas, w.Replicas);
            cpuRequests += w.Pod.CpuRequest.Value * n;
            cpuLimits += w.Pod.CpuLimit.Value * n;
            memoryRequests += w.Pod.MemoryRequest.Bytes * n;
            memoryLimits += w.Pod.MemoryLimit.Bytes * n;
            gpus += w.Pod.Gpus * n;
            pods += n;
            if (w.StoragePerReplica.Bytes > 0)
            {
                var volumes = w.SharedStorage ? 1 : n;
                storage += w.StoragePerReplica.Bytes * volumes;
                claims += volumes;
            }
        }

        var factor = 1 + (context.Options.QuotaHeadroomPercent / 100.0);
        string Cpu(long milli) => new Spec.Units.MilliCpu((long)Math.Ceiling(milli * factor)).ToString();
        string Memory(long bytes) => Spec.Units.ByteSize.FromMiB((long)Math.Ceiling(bytes * factor / (1 << 20))).ToString();
        string Count(int n) => ((int)Math.Ceiling(n * factor)).ToString(CultureInfo.InvariantCulture);

        var hard = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["limits.cpu"] = new(Cpu(cpuLimits)),
            ["limits.memory"] = new(Memory(memoryLimits)),
            ["pods"] = new(Count(pods)),
            ["requests.cpu"] = new(Cpu(cpuRequests)),
            ["requests.memory"] = new(Memory(memoryRequests)),
        };
        if (gpus > 0)
        {
            hard["requests.nvidia.com/gpu"] = new(Count(gpus));
        }

        if (claims > 0)
        {
            hard["persistentvolumeclaims"] = new(Count(claims));
            hard["requests.storage"] = new(Memory(storage));
        }

        return new V1ResourceQuota
        {
            ApiVersion = "v1",
            Kind = "ResourceQuota",
            Metadata = new V1ObjectMeta
            {
                Name = "tenant-quota",
                NamespaceProperty = context.Namespace,
                Labels = Labels.ForTenant(context),
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["keelson.dev/basis"] = string.Create(CultureInfo.InvariantCulture, $"every workload at its autoscaler ceiling, +{context.Options.QuotaHeadroomPercent}% headroom"),
                },
            },
            Spec = new V1ResourceQuotaSpec { Hard = hard },
        };
    }

    /// <summary>Defaults for containers that state no resources, and a ceiling of the largest node.</summary>
    private static V1LimitRange Limits(RenderContext context)
    {
        // The ceiling is the largest machine of the cluster: a limit above it is a typo, not a plan.
        var cpu = context.Plan.Spec.Cluster.Pools.Max(p => p.Instance.VCpu);
        var memory = context.Plan.Spec.Cluster.Pools.Max(p => p.Instance.Memory.Bytes);
        return new V1LimitRange
        {
            ApiVersion = "v1",
            Kind = "LimitRange",
            Metadata = new V1ObjectMeta { Name = "tenant-limits", NamespaceProperty = context.Namespace, Labels = Labels.ForTenant(context) },
            Spec = new V1LimitRangeSpec
            {
                Limits =
                [
                    new V1LimitRangeItem
                    {
                        Type = "Container",
                        DefaultRequest = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
                        DefaultProperty = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("500m"), ["memory"] = new("512Mi") },
                        Max = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                        {
                            ["cpu"] = new(cpu.ToString(CultureInfo.InvariantCulture)),
                            ["memory"] = new(new Spec.Units.ByteSize(memory).ToString()),
                        },
                    },
                ],
            },
        };
    }
}
