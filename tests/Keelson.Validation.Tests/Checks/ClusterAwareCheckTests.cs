using System.Text.Json.Nodes;
using System.Xml.Linq;
using Keelson.Spec.Profiles;
using Keelson.Validation.Checks;
using Keelson.Validation.Loading;
using Keelson.Validation.Reporting;

namespace Keelson.Validation.Tests.Checks;

public sealed class ClusterAwareCheckTests
{
    private static ValidationReport Validate(string yaml, KubeVersion version, string? cluster = null)
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        ManifestLoader.Parse(yaml, "in.yaml", documents, problems);
        return Validator.Create(version, cluster is null ? null : ClusterProfiles.Get(cluster)).Validate(new LoadResult(documents, problems));
    }

    [Theory]
    [InlineData("batch/v1beta1", "CronJob", "1.24", Severity.Warning, "batch/v1")]
    [InlineData("batch/v1beta1", "CronJob", "1.25", Severity.Error, "batch/v1")]
    [InlineData("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.31", Severity.Error, "autoscaling/v2")]
    [InlineData("policy/v1beta1", "PodDisruptionBudget", "1.21", Severity.Warning, "policy/v1")]
    [InlineData("extensions/v1beta1", "Ingress", "1.22", Severity.Error, "networking.k8s.io/v1")]
    [InlineData("policy/v1beta1", "PodSecurityPolicy", "1.25", Severity.Error, "Pod Security Admission")]
    public void Deprecated_and_removed_apis_name_their_replacement(string apiVersion, string kind, string kube, Severity severity, string replacement)
    {
        Assert.True(KubeVersion.TryParse(kube, out var version));

        var f = Validate($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: x}}\n", version).Findings.Single(f => f.CheckId == "api-deprecated");

        Assert.Equal(severity, f.Severity);
        Assert.Contains(replacement, f.Hint, StringComparison.Ordinal);
        Assert.Equal(1, f.Line);
    }

    [Fact]
    public void Current_apis_and_older_targets_are_not_flagged()
    {
        Assert.DoesNotContain(Validate("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\n", KubeVersion.Default).Findings, f => f.CheckId == "api-deprecated");
        Assert.DoesNotContain(Validate("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: x}\n", new KubeVersion(1, 20)).Findings, f => f.CheckId == "api-deprecated");
    }

    [Fact]
    public void A_pod_too_big_for_every_node_is_a_capacity_error()
    {
        var yaml = Fixtures.GoodDeployment.Replace("requests: {cpu: 250m, memory: 256Mi}", "requests: {cpu: \"12\", memory: 256Mi}", StringComparison.Ordinal);

        Assert.Contains(Validate(yaml, KubeVersion.Default, "aws-general").Findings, f => f.CheckId == "capacity" && f.Message.Contains("fits no node", StringComparison.Ordinal));
        Assert.DoesNotContain(Validate(Fixtures.GoodDeployment, KubeVersion.Default, "aws-general").Findings, f => f.CheckId == "capacity");
    }

    [Fact]
    public void Gpu_demand_beyond_the_gpu_pools_is_warned_as_the_seed_does()
    {
        // aws-gpu's GPU pools hold at most 40 + 20 + 20 single-GPU nodes.
        var yaml = Fixtures.GoodDeployment.Replace("replicas: 2", "replicas: 90", StringComparison.Ordinal)
            .Replace("limits: {cpu: 500m, memory: 512Mi}", "limits: {cpu: 500m, memory: 512Mi, nvidia.com/gpu: 1}", StringComparison.Ordinal);

        var f = Validate(yaml, KubeVersion.Default, "aws-gpu").Findings.Single(f => f.CheckId == "capacity");

        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Contains("need 90 GPUs", f.Message, StringComparison.Ordinal);
        Assert.Contains("at most 80", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exceeded_quota_is_an_error()
    {
        var yaml = Fixtures.GoodDeployment + "\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: shop}\nspec: {hard: {requests.cpu: 400m, pods: \"10\"}}\n";

        var f = Validate(yaml, KubeVersion.Default, "aws-general").Findings.Single(f => f.CheckId == "capacity");

        Assert.Equal("spec.hard.requests.cpu", f.Path);
        Assert.Contains("500m CPU, above the quota's 400m", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sarif_has_rules_and_located_results()
    {
        var report = Validate(Fixtures.GoodDeployment.Replace("registry.example.com/web:1.2.3", "web", StringComparison.Ordinal), KubeVersion.Default);
        var validator = Validator.Default;

        var sarif = JsonNode.Parse(ReportWriter.Sarif(report, validator.Checks.Select(c => (c.Id, c.Description))))!;

        Assert.Equal("2.1.0", sarif["version"]!.GetValue<string>());
        var run = sarif["runs"]![0]!;
        Assert.Contains(run["tool"]!["driver"]!["rules"]!.AsArray(), r => r!["id"]!.GetValue<string>() == "image-tag");
        var result = run["results"]!.AsArray().Single()!;
        Assert.Equal(("image-tag", "warning", 20), (result["ruleId"]!.GetValue<string>(), result["level"]!.GetValue<string>(), result["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!.GetValue<int>()));
    }

    [Fact]
    public void Junit_has_a_case_per_object_and_fails_the_bad_ones()
    {
        var report = Validate(Fixtures.GoodDeployment.Replace("registry.example.com/web:1.2.3", "web", StringComparison.Ordinal), KubeVersion.Default);

        var xml = XDocument.Parse(ReportWriter.JUnit(report));

        var suite = xml.Root!.Element("testsuite")!;
        Assert.Equal(("3", "1"), (suite.Attribute("tests")!.Value, suite.Attribute("failures")!.Value));
        var failing = suite.Elements("testcase").Single(c => c.Element("failure") is not null);
        Assert.Equal("Deployment/shop/web", failing.Attribute("name")!.Value);
        Assert.Equal("image-tag", failing.Element("failure")!.Attribute("type")!.Value);
    }
}
