using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Keelson.Planning;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Objects;

/// <summary>Builds the pod template of a workload: resources, probes, security context, placement, spread.</summary>
public static class PodTemplates
{
    /// <summary>Annotation whose value changes with the component's configuration, so config changes roll pods.</summary>
    public const string ConfigChecksum = "checksum/config";

    /// <summary>Label every node of a pool carries when its profile declares no labels of its own.</summary>
    public const string PoolLabel = "keelson.dev/pool";

    /// <summary>User and group the containers run as.</summary>
    public const long RunAsUser = 10001;

    /// <summary>The pod template of <paramref name="workload"/>.</summary>
    public static V1PodTemplateSpec Build(RenderContext context, ComponentPlan component, WorkloadPlan workload, ContainerContract contract, string configHash)
    {
        var labels = Labels.ForWorkload(context, component, workload.Name, Labels.VersionOf(contract.Image));
        var pool = context.Plan.Spec.Cluster.Pools.First(p => p.Name == component.Pool);
        var volumes = new List<V1Volume> { new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() } };
        var mounts = new List<V1VolumeMount> { new() { Name = "tmp", MountPath = "/tmp" } };
        for (var i = 0; i < contract.ScratchPaths.Count; i++)
        {
            volumes.Add(new V1Volume { Name = $"scratch-{i}", EmptyDir = new V1EmptyDirVolumeSource() });
            mounts.Add(new V1VolumeMount { Name = $"scratch-{i}", MountPath = contract.ScratchPaths[i] });
        }

        if (contract.DataPath is not null && workload.StoragePerReplica.Bytes > 0)
        {
            // A StatefulSet's claim template provides "data"; a shared volume is a PVC of its own.
            mounts.Add(new V1VolumeMount { Name = "data", MountPath = contract.DataPath });
            if (workload.SharedStorage)
            {
                volumes.Add(new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = DataClaimName(workload) } });
            }
        }

        var container = new V1Container
        {
            Name = workload.Name,
            Image = contract.Image,
            ImagePullPolicy = "IfNotPresent",
            Args = contract.Args.Count > 0 ? [.. contract.Args] : null,
            Ports = contract.Ports.Count > 0 ? [.. contract.Ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port, Protocol = "TCP" })] : null,
            Env = Env(component, contract),
            EnvFrom = EnvFrom(component, contract),
            Resources = Resources(workload),
            LivenessProbe = Probe(contract, liveness: true),
            ReadinessProbe = Probe(contract, liveness: false),
            StartupProbe = Probe(contract, liveness: true) is { } startup ? Startup(startup) : null,
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Privileged = false,
                ReadOnlyRootFilesystem = contract.ReadOnlyRoot,
                RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
            VolumeMounts = mounts,
        };

        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [ConfigChecksum] = configHash };
        if (context.Monitoring && MetricsEndpoint.For(component, contract) is { } metrics)
        {
            // For Prometheus without the operator: the plain scrape config keeps pods that carry these.
            annotations["prometheus.io/path"] = metrics.Path;
            annotations["prometheus.io/port"] = metrics.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            annotations["prometheus.io/scrape"] = "true";
        }

        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta
            {
                Labels = labels,
                Annotations = annotations,
            },
            Spec = new V1PodSpec
            {
                ServiceAccountName = component.Name,
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                TerminationGracePeriodSeconds = 30,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true,
                    RunAsUser = RunAsUser,
                    RunAsGroup = RunAsUser,
                    FsGroup = RunAsUser,
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                Containers = [container],
                Volumes = volumes,
                Affinity = Affinity(pool, workload),
                Tolerations = pool.Taints.Count > 0
                    ? [.. pool.Taints.Select(t => new V1Toleration { Key = t.Key, OperatorProperty = t.Value.Length == 0 ? "Exists" : "Equal", Value = t.Value.Length == 0 ? null : t.Value, Effect = t.Effect })]
                    : null,
                TopologySpreadConstraints = Spread(context, workload),
            },
        };
    }

    /// <summary>A short, stable hash of configuration entries (SHA-256, first 16 hex digits).</summary>
    public static string Hash(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>Requests and limits of one container; GPUs as <c>nvidia.com/gpu</c> limits.</summary>
    public static V1ResourceRequirements Resources(WorkloadPlan workload)
    {
        var pod = workload.Pod;
        var limits = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new(pod.CpuLimit.ToString()),
            ["memory"] = new(pod.MemoryLimit.ToString()),
        };
        if (pod.Gpus > 0)
        {
            limits["nvidia.com/gpu"] = new(pod.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new V1ResourceRequirements
        {
            Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = new(pod.CpuRequest.ToString()),
                ["memory"] = new(pod.MemoryRequest.ToString()),
            },
            Limits = limits,
        };
    }

    private static List<V1EnvVar>? Env(ComponentPlan component, ContainerContract contract)
    {
        var env = contract.Env.Select(e => new V1EnvVar { Name = e.Name, Value = e.Value }).ToList();
        env.AddRange(contract.SecretEnv.Select(e => new V1EnvVar
        {
            Name = e.Name,
            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = SecretName(component), Key = e.Key } },
        }));
        if (component.Component is ServiceComponent s)
        {
            env.AddRange(s.Env.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }));
        }

        return env.Count > 0 ? env : null;
    }

    private static List<V1EnvFromSource> EnvFrom(ComponentPlan component, ContainerContract contract)
    {
        var sources = new List<V1EnvFromSource> { new() { ConfigMapRef = new V1ConfigMapEnvSource { Name = ConfigMapName(component) } } };
        if (component.Component is ServiceComponent { Secrets.Count: > 0 })
        {
            sources.Add(new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = SecretName(component) } });
        }

        return sources;
    }

    /// <summary>Name of the PersistentVolumeClaim a workload's replicas share.</summary>
    public static string DataClaimName(WorkloadPlan workload) => workload.Name + "-data";

    /// <summary>Name of a component's ConfigMap.</summary>
    public static string ConfigMapName(ComponentPlan component) => component.Name + "-config";

    /// <summary>Name of a component's Secret.</summary>
    public static string SecretName(ComponentPlan component) => component.Name + "-secrets";

    private static V1Probe? Probe(ContainerContract contract, bool liveness)
    {
        var probe = contract.Probe switch
        {
            ProbeKind.Http => new V1Probe { HttpGet = new V1HTTPGetAction { Path = liveness ? contract.LivenessPath : contract.ReadinessPath, Port = contract.Ports[0].Name } },
            ProbeKind.Exec => new V1Probe { Exec = new V1ExecAction { Command = [.. contract.ExecCommand] } },
            ProbeKind.Tcp => new V1Probe { TcpSocket = new V1TCPSocketAction { Port = contract.Ports[0].Name } },
            _ => null,
        };
        if (probe is null)
        {
            return null;
        }

        probe.PeriodSeconds = liveness ? 10 : 5;
        probe.TimeoutSeconds = 3;
        probe.FailureThreshold = 3;
        return probe;
    }

    private static V1Probe Startup(V1Probe liveness)
    {
        // The startup probe holds liveness off for up to 5 minutes while a slow model or engine loads.
        liveness.PeriodSeconds = 5;
        liveness.FailureThreshold = 60;
        return liveness;
    }

    private static V1Affinity? Affinity(NodePool pool, WorkloadPlan workload)
    {
        if (workload.Pod.Gpus == 0 && pool.Role != PoolRole.Gpu)
        {
            return null;
        }

        var expressions = pool.Labels.Count > 0
            ? pool.Labels.Select(l => new V1NodeSelectorRequirement { Key = l.Key, OperatorProperty = "In", Values = [l.Value] }).ToList()
            : [new V1NodeSelectorRequirement { Key = PoolLabel, OperatorProperty = "In", Values = [pool.Name] }];
        return new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = expressions }] },
            },
        };
    }

    private static List<V1TopologySpreadConstraint>? Spread(RenderContext context, WorkloadPlan workload)
    {
        if (Math.Max(workload.Replicas, workload.MaxReplicas) <= 1)
        {
            return null;
        }

        var selector = new V1LabelSelector { MatchLabels = Labels.Selector(context, workload.Name) };
        return
        [
            new V1TopologySpreadConstraint { MaxSkew = 1, TopologyKey = "kubernetes.io/hostname", WhenUnsatisfiable = "ScheduleAnyway", LabelSelector = selector },
            new V1TopologySpreadConstraint
            {
                MaxSkew = 1,
                TopologyKey = "topology.kubernetes.io/zone",
                WhenUnsatisfiable = workload.ZoneSpread ? "DoNotSchedule" : "ScheduleAnyway",
                LabelSelector = selector,
            },
        ];
    }
}
