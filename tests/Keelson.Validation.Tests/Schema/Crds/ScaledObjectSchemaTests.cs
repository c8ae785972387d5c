using Keelson.Validation.Schema;

namespace Keelson.Validation.Tests.Schema.Crds;

public sealed class ScaledObjectSchemaTests
{
    [Fact]
    public void Real_world_scaled_object_with_fallback_advanced_and_three_triggers_has_no_schema_findings()
    {
        const string yaml = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: orders-consumer
              namespace: jobs
              annotations: {scaledobject.keda.sh/transfer-hpa-ownership: "true"}
            spec:
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: orders-consumer
                envSourceContainerName: consumer
              pollingInterval: 30
              initialCooldownPeriod: 60
              cooldownPeriod: 300
              idleReplicaCount: 0
              minReplicaCount: 1
              maxReplicaCount: 50
              fallback:
                failureThreshold: 3
                replicas: 6
                behavior: currentReplicasIfHigher
              advanced:
                restoreToOriginalReplicaCount: true
                horizontalPodAutoscalerConfig:
                  name: keda-hpa-orders-consumer
                  behavior:
                    scaleDown:
                      stabilizationWindowSeconds: 300
                      policies:
                      - {type: Percent, value: 50, periodSeconds: 60}
                scalingModifiers:
                  formula: "(kafka + rabbit) / 2"
                  target: "20"
                  activationTarget: "5"
                  metricType: AverageValue
              triggers:
              - type: kafka
                name: kafka
                metadata:
                  bootstrapServers: kafka.jobs.svc:9092
                  consumerGroup: orders
                  topic: orders
                  lagThreshold: "50"
                authenticationRef:
                  name: kafka-auth
                  kind: ClusterTriggerAuthentication
              - type: rabbitmq
                name: rabbit
                useCachedMetrics: true
                metricType: AverageValue
                metadata: {queueName: orders, mode: QueueLength, value: "20"}
              - type: cpu
                metricType: Utilization
                metadata: {value: "70"}
            """;

        // The target Deployment is not part of the text, so only the schema is asserted here.
        Assert.Empty(Fixtures.SchemaFindings(yaml));
    }

    [Fact]
    public void Missing_name_wrong_types_typos_and_bad_metric_types_are_located()
    {
        const string yaml = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: consumer, namespace: jobs}
            spec:
              scaleTargetRef:
                kind: Deployment
              minReplicaCount: one
              maxReplicaCnt: 10
              triggers:
              - type: prometheus
                metricType: averageValue
                metadata:
                  threshold: 100
              fallback: {replicas: 2}
            """;

        Assert.Equal(
            [
                (FieldRules.RequiredId, 6, "spec.scaleTargetRef.name"),
                (SchemaWalker.WrongTypeId, 7, "spec.minReplicaCount"),
                (SchemaWalker.UnknownFieldId, 8, "spec.maxReplicaCnt"),
                (FieldRules.ValueId, 11, "spec.triggers[0].metricType"),
                (SchemaWalker.WrongTypeId, 13, "spec.triggers[0].metadata.threshold"),
                (FieldRules.RequiredId, 14, "spec.fallback.failureThreshold"),
            ],
            Fixtures.SchemaFindings(yaml));
        var findings = Fixtures.Validate(yaml).Findings;
        Assert.Equal("Did you mean 'maxReplicaCount'?", findings.Single(f => f.Path == "spec.maxReplicaCnt").Hint);
        Assert.Equal("Did you mean 'AverageValue'? Allowed: Utilization, AverageValue, Value.", findings.Single(f => f.Path == "spec.triggers[0].metricType").Hint);
        Assert.Equal("Quote it: \"100\".", findings.Single(f => f.Path == "spec.triggers[0].metadata.threshold").Hint);
    }

    [Fact]
    public void Triggers_and_target_are_required()
    {
        Assert.Equal(
            [(FieldRules.RequiredId, 4, "spec.scaleTargetRef"), (FieldRules.RequiredId, 4, "spec.triggers")],
            Fixtures.SchemaFindings("apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: s}\nspec: {minReplicaCount: 1}\n"));
    }
}
