using Keelson.Validation.Schema;

namespace Keelson.Validation.Tests.Schema.Crds;

public sealed class SparkApplicationSchemaTests
{
    // The operator's spark-pi example grown with the fields real jobs use: volumes, deps, monitoring, UI, sidecars.
    private const string RealWorld = """
        apiVersion: sparkoperator.k8s.io/v1beta2
        kind: SparkApplication
        metadata:
          name: nightly-etl
          namespace: data
        spec:
          type: Scala
          mode: cluster
          image: ghcr.io/acme/spark:3.5.1
          imagePullPolicy: IfNotPresent
          imagePullSecrets: [registry]
          mainClass: com.acme.etl.Nightly
          mainApplicationFile: local:///opt/spark/jars/etl.jar
          arguments: ["--date", "2024-06-01"]
          sparkVersion: 3.5.1
          sparkConf:
            spark.sql.shuffle.partitions: "400"
            spark.eventLog.enabled: "true"
          hadoopConf: {fs.s3a.impl: org.apache.hadoop.fs.s3a.S3AFileSystem}
          timeToLiveSeconds: 86400
          restartPolicy:
            type: OnFailure
            onFailureRetries: 3
            onFailureRetryInterval: 10
            onSubmissionFailureRetries: 5
            onSubmissionFailureRetryInterval: 20
          deps:
            packages: [org.apache.hadoop:hadoop-aws:3.3.4]
          volumes:
          - name: scratch
            emptyDir: {sizeLimit: 10Gi}
          monitoring:
            exposeDriverMetrics: true
            exposeExecutorMetrics: true
            prometheus: {jmxExporterJar: /prometheus/jmx_prometheus_javaagent.jar, port: 8090}
          sparkUIOptions:
            serviceType: ClusterIP
            ingressAnnotations: {kubernetes.io/ingress.class: nginx}
          dynamicAllocation: {enabled: true, initialExecutors: 2, minExecutors: 1, maxExecutors: 10, shuffleTrackingTimeout: 60000}
          driver:
            cores: 1
            coreLimit: 1200m
            memory: 2g
            serviceAccount: spark
            labels: {version: 3.5.1}
            env:
            - name: AWS_REGION
              value: eu-west-1
            volumeMounts:
            - {name: scratch, mountPath: /tmp/scratch}
            securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}
          executor:
            cores: 2
            instances: 4
            memory: 4g
            memoryOverhead: 1g
            deleteOnTermination: true
            tolerations:
            - {key: spark, operator: Equal, value: "true", effect: NoSchedule}
            sidecars:
            - name: fluent-bit
              image: fluent/fluent-bit:3.0
              resources: {requests: {cpu: 50m, memory: 64Mi}}
        """;

    [Fact]
    public void Real_world_spark_application_with_many_optional_fields_has_no_findings()
    {
        Assert.Empty(Fixtures.Validate(RealWorld).Findings);
    }

    [Fact]
    public void Bad_enums_typos_wrong_types_and_missing_version_are_located()
    {
        const string yaml = """
            apiVersion: sparkoperator.k8s.io/v1beta2
            kind: SparkApplication
            metadata: {name: etl, namespace: data}
            spec:
              type: Pyton
              mode: cluster
              image: ghcr.io/acme/etl:1.0
              mainApplicationFile: local:///opt/etl/main.py
              sparkConf:
                spark.executor.instances: 2
              restartPolicy:
                type: OnFailur
              driver:
                cores: 1
                memroy: 2g
              executor:
                instances: "2"
                memory: 4g
                volumeMounts:
                - {name: data, mountPth: /data}
            """;

        Assert.Equal(
            [
                (FieldRules.RequiredId, 5, "spec.sparkVersion"),
                (FieldRules.ValueId, 5, "spec.type"),
                (SchemaWalker.WrongTypeId, 10, "spec.sparkConf.spark.executor.instances"),
                (FieldRules.ValueId, 12, "spec.restartPolicy.type"),
                (SchemaWalker.UnknownFieldId, 15, "spec.driver.memroy"),
                (SchemaWalker.WrongTypeId, 17, "spec.executor.instances"),
                (SchemaWalker.UnknownFieldId, 20, "spec.executor.volumeMounts[0].mountPth"),
            ],
            Fixtures.SchemaFindings(yaml));
        var findings = Fixtures.Validate(yaml).Findings;
        Assert.StartsWith("Did you mean 'Python'?", findings.Single(f => f.Path == "spec.type").Hint, StringComparison.Ordinal);
        Assert.StartsWith("Did you mean 'OnFailure'?", findings.Single(f => f.Path == "spec.restartPolicy.type").Hint, StringComparison.Ordinal);
        Assert.Equal("Did you mean 'memory'?", findings.Single(f => f.Path == "spec.driver.memroy").Hint);
        Assert.Equal("Did you mean 'mountPath'?", findings.Single(f => f.Path == "spec.executor.volumeMounts[0].mountPth").Hint);
    }

    [Fact]
    public void Scheduled_application_checks_its_schedule_policy_and_template()
    {
        const string yaml = """
            apiVersion: sparkoperator.k8s.io/v1beta2
            kind: ScheduledSparkApplication
            metadata: {name: hourly, namespace: data}
            spec:
              concurrencyPolicy: Forbidden
              timeZone: Europe/Berlin
              successfulRunHistoryLimit: 3
              template:
                type: Python
                mode: client
                sparkVersion: 3.5.1
                mainApplicationFile: local:///opt/job.py
                driver: {cores: 1, memory: 1g}
                executor: {cores: 1, instance: 2, memory: 1g}
            """;

        Assert.Equal(
            [
                (FieldRules.RequiredId, 5, "spec.schedule"),
                (FieldRules.ValueId, 5, "spec.concurrencyPolicy"),
                (SchemaWalker.UnknownFieldId, 14, "spec.template.executor.instance"),
            ],
            Fixtures.SchemaFindings(yaml));
        Assert.StartsWith("Did you mean 'Forbid'?", Fixtures.Validate(yaml).Findings.Single(f => f.Path == "spec.concurrencyPolicy").Hint, StringComparison.Ordinal);
    }
}
