using k8s.Models;

namespace Keelson.Sandbox.Server.Defaulting;

/// <summary>The core/v1 defaults of Services, claims, namespaces and secrets, and autoscaling/v2's for HPAs.</summary>
internal static class ServiceDefaults
{
    public static void Service(V1Service service)
    {
        var spec = service.Spec ??= new V1ServiceSpec();
        spec.Type ??= "ClusterIP";
        spec.SessionAffinity ??= "None";
        if (spec.SessionAffinity == "ClientIP")
        {
            spec.SessionAffinityConfig ??= new V1SessionAffinityConfig();
            spec.SessionAffinityConfig.ClientIP ??= new V1ClientIPConfig();
            spec.SessionAffinityConfig.ClientIP.TimeoutSeconds ??= 10800;
        }

        foreach (var port in spec.Ports ?? [])
        {
            port.Protocol ??= "TCP";
            if (port.TargetPort is null || port.TargetPort.Value is null or "" or "0")
            {
                port.TargetPort = port.Port;
            }
        }

        if (spec.Type is "NodePort" or "LoadBalancer")
        {
            spec.ExternalTrafficPolicy ??= "Cluster";
        }

        if (spec.Type == "LoadBalancer")
        {
            spec.AllocateLoadBalancerNodePorts ??= true;
        }

        if (spec.Type != "ExternalName")
        {
            spec.InternalTrafficPolicy ??= "Cluster";

            // The sandbox is a single-stack IPv4 cluster, as most are; the registry fills these in.
            if (spec.ClusterIP != "None" || spec.Selector is { Count: > 0 })
            {
                spec.IpFamilyPolicy ??= "SingleStack";
                spec.IpFamilies ??= ["IPv4"];
            }
        }

        service.Status ??= new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus() };
    }

    public static void Claim(V1PersistentVolumeClaim claim)
    {
        claim.Spec ??= new V1PersistentVolumeClaimSpec();
        claim.Spec.VolumeMode ??= "Filesystem";
        claim.Status ??= new V1PersistentVolumeClaimStatus();
        claim.Status.Phase ??= "Pending";
    }

    public static void Namespace(V1Namespace ns)
    {
        ns.Spec ??= new V1NamespaceSpec();
        ns.Spec.Finalizers ??= ["kubernetes"];

        // Set on every namespace since 1.21, so selectors can match namespaces by name.
        ns.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        ns.Metadata.Labels["kubernetes.io/metadata.name"] = ns.Metadata.Name;
    }

    public static void Secret(V1Secret secret) => secret.Type ??= "Opaque";

    public static void Autoscaler(V2HorizontalPodAutoscaler hpa)
    {
        var spec = hpa.Spec ??= new V2HorizontalPodAutoscalerSpec();
        spec.MinReplicas ??= 1;
        if (spec.Metrics is null || spec.Metrics.Count == 0)
        {
            spec.Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 80 } },
                },
            ];
        }

        // Rules are completed only when a behavior is given at all.
        if (spec.Behavior is { } behavior)
        {
            behavior.ScaleUp ??= new V2HPAScalingRules();
            behavior.ScaleUp.StabilizationWindowSeconds ??= 0;
            behavior.ScaleUp.SelectPolicy ??= "Max";
            behavior.ScaleUp.Policies ??=
            [
                new V2HPAScalingPolicy { Type = "Pods", Value = 4, PeriodSeconds = 15 },
                new V2HPAScalingPolicy { Type = "Percent", Value = 100, PeriodSeconds = 15 },
            ];
            behavior.ScaleDown ??= new V2HPAScalingRules();
            behavior.ScaleDown.SelectPolicy ??= "Max";
            behavior.ScaleDown.Policies ??= [new V2HPAScalingPolicy { Type = "Percent", Value = 100, PeriodSeconds = 15 }];
        }
    }
}
