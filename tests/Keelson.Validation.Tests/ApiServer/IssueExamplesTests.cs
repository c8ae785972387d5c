namespace Keelson.Validation.Tests.ApiServer;

/// <summary>The objects issue 11 found passing <c>validate</c> although the API server rejects them, in one stream: each is now an error at its field.</summary>
public sealed class IssueExamplesTests
{
    private const string Stream = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: website}
            spec:
              containers:
              - name: web
                image: web:1
                ports:
                - {name: metrics-exporter, containerPort: 9100}
                - {name: http}
              topologySpreadConstraints:
              - {maxSkew: 0, whenUnsatisfiable: Sometimes, minDomains: 0}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: once}
        spec:
          template:
            spec:
              containers: []
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          schedule: "0 2 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  containers: [{name: c, image: "i:1"}]
        """;

    [Fact]
    public void Each_rejected_object_gets_an_error_at_its_field()
    {
        var report = Fixtures.Validate(Stream);

        var schema = Fixtures.SchemaFindings(Stream);

        Assert.False(report.Valid);
        Assert.Equal(
        [
            ("schema-value", 8, "spec.template.metadata.labels"),
            ("schema-name", 14, "spec.template.spec.containers[0].ports[0].name"),
            ("schema-required", 15, "spec.template.spec.containers[0].ports[1].containerPort"),
            ("schema-value", 17, "spec.template.spec.topologySpreadConstraints[0].maxSkew"),
            ("schema-value", 17, "spec.template.spec.topologySpreadConstraints[0].minDomains"),
            ("schema-required", 17, "spec.template.spec.topologySpreadConstraints[0].topologyKey"),
            ("schema-value", 17, "spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable"),
            ("schema-required", 25, "spec.template.spec.containers"),
            ("schema-required", 25, "spec.template.spec.restartPolicy"),
            ("schema-required", 36, "spec.jobTemplate.spec.template.spec.restartPolicy"),
        ], schema.OrderBy(f => f.Line).ThenBy(f => f.Path, StringComparer.Ordinal).ToList());
    }
}
