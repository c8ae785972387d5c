using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Output;
using Keelson.Spec.Parsing;
using Keelson.Testing;
using Keelson.Validation.Loading;
using Keelson.Validation.Reporting;

namespace Keelson.Validation.Tests;

/// <summary>Keelson's own output passes Keelson's validation.</summary>
public sealed class RenderedExamplesTests
{
    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Every_rendered_example_validates_without_errors(string path)
    {
        var spec = StackParser.Parse(File.ReadAllText(path), path).Value!;
        var plan = Planner.Default.Plan(spec).Plan!;
        var yaml = ManifestYaml.Documents(ManifestRenderer.Default.Render(plan).Objects.Select(o => o.Resource));

        var report = Fixtures.Validate(yaml, path);

        Assert.True(report.Valid, string.Join("\n", report.Findings.Where(f => f.Severity == Severity.Error)));
        Assert.DoesNotContain(report.Findings, f => f.Severity == Severity.Warning && f.CheckId is not "container-writable-root");
        var summary = ResourceSummary.Compute(report.Documents, spec.Cluster);
        Assert.Empty(summary.Unplaced);
        Assert.Equal(plan.Components.Sum(c => c.Gpus), summary.Gpus);
        Assert.True(summary.MonthlyUsd > 0);
    }

    // Beside the examples, the stack with job queues whose rendering is a golden file in the rendering tests: suspended
    // queued Jobs, an HPA on the External queue metric and a KEDA prometheus trigger.
    public static TheoryData<string> ExampleFiles() => [.. Repo.Examples, Repo.File("tests", "Keelson.Rendering.Tests", "queued", "stack.yaml")];

    [Fact]
    public void Json_report_has_the_seed_shape()
    {
        var report = Fixtures.Validate(Fixtures.GoodDeployment.Replace("image: registry.example.com/web:1.2.3", "image: web", StringComparison.Ordinal));
        var json = System.Text.Json.Nodes.JsonNode.Parse(ReportWriter.Json(report, ResourceSummary.Compute(report.Documents, Spec.Profiles.ClusterProfiles.Get("aws-general"))))!;

        Assert.True(json["valid"]!.GetValue<bool>());
        Assert.Single(json["warnings"]!.AsArray());
        Assert.Empty(json["errors"]!.AsArray());
        Assert.Equal("500m", json["resource_summary"]!["total_cpu"]!.GetValue<string>());
        Assert.Equal("512Mi", json["resource_summary"]!["total_memory"]!.GetValue<string>());
        Assert.StartsWith("$", json["resource_summary"]!["estimated_cost"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("image-tag", json["findings"]![0]!["id"]!.GetValue<string>());
    }
}
