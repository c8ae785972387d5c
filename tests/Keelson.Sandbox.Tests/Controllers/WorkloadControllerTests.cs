using k8s.Models;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Tests.Controllers;

public class WorkloadControllerTests
{
    [Fact]
    public void StatefulSet_starts_pods_in_order_with_a_bound_claim_each()
    {
        var cluster = Small.Cluster();
        cluster.Apply(new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = Small.Ns },
            Spec = new V1StatefulSetSpec
            {
                Replicas = 3,
                ServiceName = "db",
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } },
                Template = Small.Template("db"),
                VolumeClaimTemplates =
                [
                    new V1PersistentVolumeClaim
                    {
                        Metadata = new V1ObjectMeta { Name = "data" },
                        Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } } },
                    },
                ],
            },
        });

        // Before db-0 is ready (8 s pull + 1 s start + 5 s readiness delay), db-1 must not exist.
        cluster.Engine.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["db-0"], Small.Pods(cluster, "db").Select(p => p.Metadata.Name));

        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        var pods = Small.Pods(cluster, "db");
        Assert.Equal(["db-0", "db-1", "db-2"], pods.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(pods, p => Assert.True(Pods.IsReady(p)));
        Assert.True(pods.Single(p => p.Metadata.Name == "db-1").Status.StartTime > pods.Single(p => p.Metadata.Name == "db-0").Status.StartTime);
        var claims = cluster.Engine.Store.List<V1PersistentVolumeClaim>(Small.Ns).ToList();
        Assert.Equal(["data-db-0", "data-db-1", "data-db-2"], claims.Select(c => c.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(claims, c => Assert.Equal("Bound", c.Status.Phase));
        Assert.Equal("data-db-2", pods.Single(p => p.Metadata.Name == "db-2").Spec.Volumes.Single(v => v.Name == "data").PersistentVolumeClaim.ClaimName);
    }

    [Fact]
    public void Job_runs_completions_with_bounded_parallelism()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Job("report", completions: 3, parallelism: 2, backoffLimit: 1));
        cluster.Engine.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(2, Small.Pods(cluster, "report").Count);

        cluster.Engine.Advance(TimeSpan.FromMinutes(3));
        var job = cluster.Engine.Store.Get<V1Job>(Small.Ns, "report")!;
        Assert.Equal(3, job.Status.Succeeded);
        Assert.Contains(job.Status.Conditions, c => c.Type == "Complete" && c.Status == "True");
        Assert.Equal(3, cluster.Engine.Store.List<V1Pod>(Small.Ns).Count(p => p.Status.Phase == "Succeeded"));
    }

    [Fact]
    public void Job_fails_after_its_backoff_limit()
    {
        var cluster = Small.Cluster();
        cluster.Engine.Context.Faults.Add(new PodFailure("broken-"));
        cluster.Apply(Job("broken", completions: 1, parallelism: 1, backoffLimit: 2));
        cluster.Engine.Advance(TimeSpan.FromMinutes(10));

        var job = cluster.Engine.Store.Get<V1Job>(Small.Ns, "broken")!;
        Assert.Equal(3, job.Status.Failed);
        var failed = Assert.Single(job.Status.Conditions, c => c.Type == "Failed");
        Assert.Equal("BackoffLimitExceeded", failed.Reason);
        Assert.Equal(0, job.Status.Succeeded);
    }

    [Fact]
    public void CronJob_starts_a_job_per_schedule_and_keeps_its_history_limit()
    {
        var cluster = Small.Cluster();
        cluster.Apply(new V1CronJob
        {
            ApiVersion = "batch/v1",
            Kind = "CronJob",
            Metadata = new V1ObjectMeta { Name = "sync", NamespaceProperty = Small.Ns },
            Spec = new V1CronJobSpec
            {
                Schedule = "*/10 * * * *",
                ConcurrencyPolicy = "Forbid",
                SuccessfulJobsHistoryLimit = 2,
                JobTemplate = new V1JobTemplateSpec { Spec = Job("unused", 1, 1, 1).Spec },
            },
        });
        cluster.Engine.Advance(TimeSpan.FromMinutes(35), TimeSpan.FromSeconds(5));

        var jobs = cluster.Engine.Store.List<V1Job>(Small.Ns).Select(j => j.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        var start = cluster.Engine.Clock.GetUtcNow() - TimeSpan.FromMinutes(35);
        Assert.Equal([JobController.ScheduledName("sync", start.AddMinutes(20)), JobController.ScheduledName("sync", start.AddMinutes(30))], jobs);
        var cron = cluster.Engine.Store.Get<V1CronJob>(Small.Ns, "sync")!;
        Assert.Equal(start.AddMinutes(30).UtcDateTime, cron.Status.LastScheduleTime);
    }

    private static V1Job Job(string name, int completions, int parallelism, int backoffLimit) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Small.Ns },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            BackoffLimit = backoffLimit,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [Sandbox.Kubelet.SimulatedKubelet.DurationAnnotation] = "30s" } },
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "run", Image = "shop/report:1" }] },
            },
        },
    };
}
