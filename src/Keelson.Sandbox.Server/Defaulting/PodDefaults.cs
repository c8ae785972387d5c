using k8s.Models;

namespace Keelson.Sandbox.Server.Defaulting;

/// <summary>
/// The API server's defaults for pod specs (those of pods and of every pod template), and the ones its admission
/// plugins add to pods themselves (service account, not-ready/unreachable tolerations, priority).
/// </summary>
internal static class PodDefaults
{
    private static readonly string[] QosResources = ["cpu", "memory"];

    /// <summary>Defaults a pod template's spec, as defaulting does inside Deployments, Jobs and the rest.</summary>
    public static void Template(V1PodTemplateSpec? template)
    {
        if (template?.Spec is { } spec)
        {
            Spec(spec);
        }
    }

    /// <summary>A pod created through the API: its spec, then what ServiceAccount, DefaultTolerationSeconds and Priority admission add.</summary>
    public static void Pod(V1Pod pod)
    {
        pod.Spec ??= new V1PodSpec();
        var spec = pod.Spec;
        Spec(spec);
        spec.ServiceAccountName ??= spec.ServiceAccount ?? "default";
        spec.ServiceAccount ??= spec.ServiceAccountName;
        spec.Priority ??= 0;
        spec.PreemptionPolicy ??= "PreemptLowerPriority";
        spec.Tolerations ??= [];
        foreach (var taint in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            if (!spec.Tolerations.Any(t => t.Key == taint && t.Effect is "NoExecute" or null))
            {
                spec.Tolerations.Add(new V1Toleration { Key = taint, OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 });
            }
        }

        pod.Status ??= new V1PodStatus();
        pod.Status.Phase ??= "Pending";
        pod.Status.QosClass ??= QosClass(spec);
    }

    /// <summary>SetDefaults_PodSpec with its containers, probes and volumes.</summary>
    public static void Spec(V1PodSpec spec)
    {
        spec.DnsPolicy ??= "ClusterFirst";
        spec.RestartPolicy ??= "Always";
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.SchedulerName ??= "default-scheduler";
        spec.SecurityContext ??= new V1PodSecurityContext();
        spec.EnableServiceLinks ??= true;
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            Container(container, spec.HostNetwork == true);
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            Volume(volume);
        }
    }

    /// <summary>The image pull policy the API server picks: Always for <c>:latest</c> or no tag, IfNotPresent otherwise.</summary>
    public static string PullPolicy(string? image)
    {
        var name = image ?? "";
        if (name.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        var tag = colon > slash ? name[(colon + 1)..] : "";
        return tag is "" or "latest" ? "Always" : "IfNotPresent";
    }

    private static void Container(V1Container container, bool hostNetwork)
    {
        container.ImagePullPolicy ??= PullPolicy(container.Image);
        container.TerminationMessagePath ??= "/dev/termination-log";
        container.TerminationMessagePolicy ??= "File";
        foreach (var port in container.Ports ?? [])
        {
            port.Protocol ??= "TCP";
            if (hostNetwork)
            {
                port.HostPort ??= port.ContainerPort;
            }
        }

        foreach (var env in container.Env ?? [])
        {
            if (env.ValueFrom?.FieldRef is { } field)
            {
                field.ApiVersion ??= "v1";
            }
        }

        foreach (var probe in new[] { container.LivenessProbe, container.ReadinessProbe, container.StartupProbe })
        {
            Probe(probe);
        }

        // Limits without requests request what they limit.
        if (container.Resources?.Limits is { Count: > 0 } limits)
        {
            container.Resources.Requests ??= new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
            foreach (var (name, quantity) in limits)
            {
                container.Resources.Requests.TryAdd(name, quantity);
            }
        }
    }

    private static void Probe(V1Probe? probe)
    {
        if (probe is null)
        {
            return;
        }

        probe.TimeoutSeconds ??= 1;
        probe.PeriodSeconds ??= 10;
        probe.SuccessThreshold ??= 1;
        probe.FailureThreshold ??= 3;
        if (probe.HttpGet is { } get)
        {
            get.Path ??= "/";
            get.Scheme ??= "HTTP";
        }
    }

    private static void Volume(V1Volume volume)
    {
        if (volume.Secret is { } secret)
        {
            secret.DefaultMode ??= 420;
        }

        if (volume.ConfigMap is { } configMap)
        {
            configMap.DefaultMode ??= 420;
        }

        if (volume.Projected is { } projected)
        {
            projected.DefaultMode ??= 420;
        }

        if (volume.DownwardAPI is { } downward)
        {
            downward.DefaultMode ??= 420;
        }

        if (volume.HostPath is { } hostPath)
        {
            hostPath.Type ??= "";
        }
    }

    // Guaranteed when every container limits and requests the same CPU and memory, BestEffort with none at all.
    private static string QosClass(V1PodSpec spec)
    {
        var containers = spec.Containers ?? [];
        if (containers.All(c => (c.Resources?.Requests?.Count ?? 0) == 0 && (c.Resources?.Limits?.Count ?? 0) == 0))
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c => QosResources.All(r =>
            c.Resources?.Limits?.TryGetValue(r, out var limit) == true
            && c.Resources.Requests?.TryGetValue(r, out var request) == true
            && limit.ToDecimal() == request.ToDecimal()));
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
