using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Crds;
using Keelson.Rendering.Output;
using Keelson.Spec.Parsing;
using Keelson.Testing;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using Keelson.Validation.Schema.Crds;

namespace Keelson.Validation.Tests.Schema.Crds;

public sealed class CrdSchemasTests
{
    [Fact]
    public void Every_custom_kind_Keelson_renders_has_a_schema_at_the_rendered_version()
    {
        Assert.Equal(
            ManifestYaml.CustomKinds.Keys.Order(StringComparer.Ordinal),
            CrdSchemas.Kinds.Select(k => $"{k.ApiVersion}/{k.Kind}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Custom_resources_rendered_from_every_example_have_no_schema_findings()
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        foreach (var path in Repo.Examples)
        {
            var plan = Planner.Default.Plan(StackParser.Parse(File.ReadAllText(path), path).Value!).Plan!;
            ManifestLoader.Parse(ManifestYaml.Documents(ManifestRenderer.Default.Render(plan).Objects.Select(o => o.Resource)), path, documents, problems);
        }

        // No example schedules a Spark job, so Keelson's own ScheduledSparkApplication type is rendered directly.
        ManifestLoader.Parse(ManifestYaml.Document(ScheduledJob()), "scheduled.yaml", documents, problems);

        var report = Validator.Default.Validate(new LoadResult(documents, problems));

        var custom = documents.Where(d => CrdSchemas.Kinds.Contains((d.ApiVersion, d.Kind))).ToList();
        Assert.Equal(CrdSchemas.Kinds.Select(k => k.Kind).Order(StringComparer.Ordinal), custom.Select(d => d.Kind).Distinct().Order(StringComparer.Ordinal));
        Assert.DoesNotContain(report.Findings, f => f.CheckId.StartsWith("schema-", StringComparison.Ordinal) && custom.Any(d => d.Ref == f.Target && d.File == f.File));
    }

    [Theory]
    [InlineData("monitoring.coreos.com/v1alpha1", "ServiceMonitor", "monitoring.coreos.com/v1")]
    [InlineData("keda.sh/v1", "ScaledObject", "keda.sh/v1alpha1")]
    [InlineData("sparkoperator.k8s.io/v1beta1", "SparkApplication", "sparkoperator.k8s.io/v1beta2")]
    public void Another_version_of_a_known_crd_is_not_checked_and_names_the_known_version(string apiVersion, string kind, string known)
    {
        // A ScaledObject also gets scaling-target (its target is missing); only the schema finding matters here.
        var f = Assert.Single(Fixtures.Validate($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: x}}\nspec: {{whatever: 1}}\n").Findings, f => f.CheckId.StartsWith("schema-", StringComparison.Ordinal));

        Assert.Equal((Validator.NotCheckedId, Severity.Info), (f.CheckId, f.Severity));
        Assert.Equal($"Keelson checks {kind} at {known}; other versions are not checked.", f.Hint);
    }

    [Fact]
    public void Unknown_custom_resources_stay_not_checked_and_list_the_known_ones()
    {
        var f = Assert.Single(Fixtures.Validate("apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: k}\nspec: {kafka: {replicas: 3}}\n").Findings);

        Assert.Equal((Validator.NotCheckedId, Severity.Info), (f.CheckId, f.Severity));
        Assert.Contains("keda.sh/v1alpha1 ScaledObject", f.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_names_and_labels_of_custom_resources_are_checked_like_any_object()
    {
        var findings = Fixtures.SchemaFindings("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: Bad_Name\n  labels: {team: a b}\nspec: {groups: []}\n");

        Assert.Equal([(FieldRules.NameId, 4, "metadata.name"), (FieldRules.NameId, 5, "metadata.labels.team")], findings);
    }

    private static ScheduledSparkApplication ScheduledJob() => new()
    {
        Metadata = new() { Name = "hourly-report", NamespaceProperty = "data" },
        Spec = new ScheduledSparkApplicationSpec
        {
            Schedule = "0 * * * *",
            Template = new SparkApplicationSpec
            {
                Image = "ghcr.io/acme/report:1.0",
                MainApplicationFile = "local:///opt/report.py",
                Driver = new SparkPodSpec { Cores = 1, Memory = "1024m", ServiceAccount = "spark" },
                Executor = new SparkPodSpec { Cores = 1, Memory = "2048m", Instances = 2 },
            },
        },
    };
}
