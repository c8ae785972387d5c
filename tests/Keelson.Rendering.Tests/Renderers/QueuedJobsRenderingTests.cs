using k8s.Models;
using Keelson.Planning;
using Keelson.Rendering.Crds;
using Keelson.Rendering.Objects;
using Keelson.Rendering.Output;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Rendering.Tests.Renderers;

/// <summary>
/// Jobs and cronjobs naming a stack queue render suspended and unpinned, and workers on a Keelson queue scale on
/// <c>keelson_queue_pending_jobs</c>; <c>queued/golden.yaml</c> is the human-read rendering of <c>queued/stack.yaml</c>
/// (rewrite with <c>./test --update-golden</c>).
/// </summary>
public sealed class QueuedJobsRenderingTests
{
    private static readonly Lazy<Manifest> Rendered = new(() =>
    {
        var spec = StackParser.Parse(File.ReadAllText(Repo.File("tests", "Keelson.Rendering.Tests", "queued", "stack.yaml")), "queued/stack.yaml");
        Assert.True(spec.Succeeded, string.Join("\n", spec.Diagnostics));
        return ManifestRenderer.Default.Render(Planner.Default.Plan(spec.Value!).Plan!);
    });

    private static T One<T>(string name)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta> => Assert.Single(Rendered.Value.Objects.Select(o => o.Resource).OfType<T>(), r => r.Metadata.Name == name);

    [Fact]
    public void Cronjob_naming_a_queue_creates_suspended_unpinned_jobs_with_queue_and_priority()
    {
        var cron = One<V1CronJob>("collect");
        var template = cron.Spec.JobTemplate;

        Assert.True(template.Spec.Suspend);
        Assert.Equal("pipelines", template.Metadata.Labels[QueuedJobs.QueueLabel]);
        Assert.Equal("10", template.Metadata.Annotations[QueuedJobs.PriorityAnnotation]);
        Assert.Null(template.Spec.Template.Spec.Affinity);
        Assert.Null(template.Spec.Template.Spec.Tolerations);
        Assert.Null(template.Spec.Template.Spec.NodeSelector);
        Assert.Null(cron.Spec.Suspend);
        Assert.Equal("2", template.Spec.Template.Spec.Containers[0].Resources.Requests["cpu"].ToString());
    }

    [Fact]
    public void Job_naming_a_queue_is_suspended_with_priority_zero()
    {
        var job = One<V1Job>("backfill");

        Assert.True(job.Spec.Suspend);
        Assert.Equal("pipelines", job.Metadata.Labels[QueuedJobs.QueueLabel]);
        Assert.Equal("0", job.Metadata.Annotations[QueuedJobs.PriorityAnnotation]);
        Assert.Equal((2, 4), (job.Spec.Parallelism, job.Spec.Completions));
    }

    [Fact]
    public void Cronjob_asking_for_a_T4_requests_the_GPU_and_names_its_type_but_leaves_the_pool_to_the_queue()
    {
        var template = One<V1CronJob>("backtest").Spec.JobTemplate;

        Assert.True(template.Spec.Suspend);
        Assert.Equal("T4", template.Metadata.Annotations[QueuedJobs.GpuTypeAnnotation]);
        var resources = template.Spec.Template.Spec.Containers[0].Resources;
        Assert.Equal(("1", "1"), (resources.Requests["nvidia.com/gpu"].ToString(), resources.Limits["nvidia.com/gpu"].ToString()));
        Assert.Null(template.Spec.Template.Spec.Affinity);
        Assert.Null(template.Spec.Template.Spec.Tolerations);
        Assert.False(One<V1CronJob>("collect").Spec.JobTemplate.Metadata.Annotations.ContainsKey(QueuedJobs.GpuTypeAnnotation));
    }

    [Fact]
    public void Worker_on_a_keelson_queue_gets_an_hpa_on_the_pending_jobs_gauge()
    {
        var hpa = One<V2HorizontalPodAutoscaler>("engine");

        var metric = Assert.Single(hpa.Spec.Metrics);
        Assert.Equal("External", metric.Type);
        Assert.Equal("keelson_queue_pending_jobs", metric.External.Metric.Name);
        Assert.Equal(new Dictionary<string, string> { ["queue"] = "pipelines", ["tenant"] = "quant-batch" }, metric.External.Metric.Selector.MatchLabels);
        Assert.Equal(("AverageValue", "2"), (metric.External.Target.Type, metric.External.Target.AverageValue.ToString()));
        Assert.Equal((1, 5), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        Assert.DoesNotContain(Rendered.Value.Objects.Select(o => o.Resource).OfType<V2HorizontalPodAutoscaler>(), h => h.Metadata?.Name == "engine-keda");
    }

    [Fact]
    public void Worker_asking_for_keda_gets_a_prometheus_trigger_on_the_gauge()
    {
        var scaled = One<ScaledObject>("engine-keda");

        var trigger = Assert.Single(scaled.Spec!.Triggers);
        Assert.Equal("prometheus", trigger.Type);
        Assert.Equal(new Dictionary<string, string>
        {
            ["query"] = "sum(keelson_queue_pending_jobs{tenant=\"quant-batch\",queue=\"pipelines\"})",
            ["serverAddress"] = "http://prometheus-operated.monitoring.svc:9090",
            ["threshold"] = "2",
        }, trigger.Metadata);
        Assert.Equal((0, 5), (scaled.Spec!.MinReplicaCount, scaled.Spec.MaxReplicaCount));
    }

    [Fact]
    public void Rendered_yaml_matches_the_golden_file()
    {
        var yaml = ManifestYaml.Documents(Rendered.Value.Objects.Select(o => o.Resource));
        var path = Repo.File("tests", "Keelson.Rendering.Tests", "queued", "golden.yaml");
        if (Environment.GetEnvironmentVariable("KEELSON_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, yaml);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run ./test --update-golden and review it");
        Assert.Equal(File.ReadAllText(path), yaml);
    }
}
