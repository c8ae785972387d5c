namespace Keelson.Validation.Tests.Checks;

/// <summary>Autoscaler bounds and the requests utilisation metrics are measured against, per resource and container.</summary>
public sealed class ScalingTargetCheckTests
{
    private static string StatefulSet(string dbResources, string exporterResources) => """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers:
              - {name: db, image: "postgres:16", resources: DB}
              - {name: exporter, image: "exporter:1", resources: EXPORTER}
        """.Replace("DB", dbResources, StringComparison.Ordinal).Replace("EXPORTER", exporterResources, StringComparison.Ordinal);

    private static string Hpa(string metrics) => """
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: db, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}
          minReplicas: 1
          maxReplicas: 3
          metrics: METRICS
        """.Replace("METRICS", metrics, StringComparison.Ordinal);

    private static List<string> Messages(string yaml) =>
        [.. Fixtures.Validate(yaml).Findings.Where(f => f.CheckId == "scaling-target").Select(f => $"{f.Line} {f.Path}: {f.Message}")];

    [Fact]
    public void Memory_utilisation_needs_memory_requests_even_when_cpu_is_requested()
    {
        var yaml = StatefulSet("{requests: {cpu: 500m}}", "{requests: {cpu: 10m, memory: 32Mi}}")
            + "\n" + Hpa("[{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}}]");

        Assert.Equal(["21 spec.metrics[0]: memory utilisation is measured against requests, but container 'db' of StatefulSet/db has no memory request"], Messages(yaml));
    }

    [Fact]
    public void Cpu_utilisation_on_a_stateful_set_needs_cpu_requests_on_every_container()
    {
        var yaml = StatefulSet("{requests: {memory: 1Gi}}", "{}")
            + "\n" + Hpa("[{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]");

        Assert.Equal(
            [
                "21 spec.metrics[0]: cpu utilisation is measured against requests, but container 'db' of StatefulSet/db has no cpu request",
                "21 spec.metrics[0]: cpu utilisation is measured against requests, but container 'exporter' of StatefulSet/db has no cpu request",
            ],
            Messages(yaml));
    }

    [Fact]
    public void A_limit_without_a_request_counts_because_the_request_defaults_to_it()
    {
        var yaml = StatefulSet("{limits: {cpu: '1', memory: 1Gi}}", "{requests: {cpu: 10m, memory: 32Mi}}")
            + "\n" + Hpa("[{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}, {type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}}]");

        Assert.Empty(Messages(yaml));
    }

    [Fact]
    public void Average_value_targets_need_no_requests()
    {
        var yaml = StatefulSet("{}", "{}") + "\n" + Hpa("[{type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 500Mi}}}]");

        Assert.Empty(Messages(yaml));
    }

    [Fact]
    public void Container_resource_metrics_look_only_at_the_named_container_which_must_exist()
    {
        var yaml = StatefulSet("{requests: {cpu: 500m, memory: 1Gi}}", "{}") + "\n" + Hpa("""

              - {type: ContainerResource, containerResource: {name: cpu, container: exporter, target: {type: Utilization, averageUtilization: 60}}}
              - {type: ContainerResource, containerResource: {name: cpu, container: db, target: {type: Utilization, averageUtilization: 60}}}
              - {type: ContainerResource, containerResource: {name: memory, container: sidecar, target: {type: Utilization, averageUtilization: 60}}}
            """);

        Assert.Equal(
            [
                "22 spec.metrics[0]: cpu utilisation is measured against requests, but container 'exporter' of StatefulSet/db has no cpu request",
                "24 spec.metrics[2]: the metric measures container 'sidecar', which StatefulSet/db does not have",
            ],
            Messages(yaml));
    }

    [Fact]
    public void The_v1_cpu_percentage_needs_cpu_requests()
    {
        var yaml = StatefulSet("{requests: {memory: 1Gi}}", "{requests: {cpu: 10m}}")
            + "\n---\napiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: db, namespace: shop}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}, maxReplicas: 3, targetCPUUtilizationPercentage: 70}\n";

        Assert.Equal(["17 spec.targetCPUUtilizationPercentage: cpu utilisation is measured against requests, but container 'db' of StatefulSet/db has no cpu request"], Messages(yaml));
    }

    [Fact]
    public void Keda_cpu_and_memory_triggers_need_requests_and_min_at_most_max()
    {
        var yaml = StatefulSet("{requests: {cpu: 500m}}", "{requests: {cpu: 10m, memory: 32Mi}}") + """

            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: db, namespace: shop}
            spec:
              scaleTargetRef: {kind: StatefulSet, name: db}
              minReplicaCount: 5
              maxReplicaCount: 3
              triggers:
              - {type: memory, metricType: Utilization, metadata: {value: "80"}}
              - {type: cpu, metricType: AverageValue, metadata: {value: "200m"}}
              - {type: memory, metadata: {value: "80", containerName: exporter}}
            """;

        Assert.Equal(
            [
                "19 spec.minReplicaCount: minReplicaCount 5 is above maxReplicaCount 3",
                "22 spec.triggers[0]: memory utilisation is measured against requests, but container 'db' of StatefulSet/db has no memory request",
            ],
            Messages(yaml));
    }

    [Fact]
    public void Scaled_object_targets_default_to_a_deployment()
    {
        var yaml = StatefulSet("{}", "{}") + "\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: db, namespace: shop}\nspec: {scaleTargetRef: {name: db}, triggers: [{type: cron, metadata: {timezone: UTC, start: 0 8 * * *, end: 0 18 * * *, desiredReplicas: \"2\"}}]}\n";

        Assert.Equal(["17 spec.scaleTargetRef: target Deployment/db is not in these manifests; it must already exist in the cluster"], Messages(yaml));
    }
}
