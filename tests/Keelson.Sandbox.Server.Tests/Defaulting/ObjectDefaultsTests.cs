using k8s.Models;
using Keelson.Sandbox.Server.Defaulting;

namespace Keelson.Sandbox.Server.Tests.Defaulting;

public sealed class ObjectDefaultsTests
{
    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("registry:5000/team/nginx", "Always")]
    [InlineData("registry:5000/team/nginx:1.27", "IfNotPresent")]
    [InlineData("nginx@sha256:0123", "IfNotPresent")]
    public void Image_pull_policy_follows_the_tag(string image, string expected) =>
        Assert.Equal(expected, PodDefaults.PullPolicy(image));

    [Fact]
    public void A_bare_deployment_gets_every_apps_v1_default()
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1", Ports = [new V1ContainerPort { ContainerPort = 80 }] }] },
                },
            },
        };

        ObjectDefaults.Apply(deployment);

        var spec = deployment.Spec;
        Assert.Equal(1, spec.Replicas);
        Assert.Equal("RollingUpdate", spec.Strategy.Type);
        Assert.Equal("25%", spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal("25%", spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal(10, spec.RevisionHistoryLimit);
        Assert.Equal(600, spec.ProgressDeadlineSeconds);
        var pod = spec.Template.Spec;
        Assert.Equal(("Always", "ClusterFirst", 30L, "default-scheduler", true), (pod.RestartPolicy, pod.DnsPolicy, pod.TerminationGracePeriodSeconds, pod.SchedulerName, pod.EnableServiceLinks));
        Assert.NotNull(pod.SecurityContext);
        Assert.Null(pod.ServiceAccountName);
        var container = pod.Containers[0];
        Assert.Equal(("IfNotPresent", "/dev/termination-log", "File", "TCP"), (container.ImagePullPolicy, container.TerminationMessagePath, container.TerminationMessagePolicy, container.Ports[0].Protocol));
    }

    [Fact]
    public void Fields_a_client_set_are_kept()
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 0,
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "c", Image = "x", ImagePullPolicy = "Never" }] } },
            },
        };

        ObjectDefaults.Apply(deployment);

        Assert.Equal(0, deployment.Spec.Replicas);
        Assert.Null(deployment.Spec.Strategy.RollingUpdate);
        Assert.Equal("Never", deployment.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("Never", deployment.Spec.Template.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public void A_job_gets_batch_v1_defaults_and_a_cron_job_only_its_own()
    {
        var template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "c", Image = "x:1" }] } };
        var job = new V1Job { Metadata = new V1ObjectMeta { Name = "j" }, Spec = new V1JobSpec { Template = template } };
        var cron = new V1CronJob
        {
            Metadata = new V1ObjectMeta { Name = "c" },
            Spec = new V1CronJobSpec { Schedule = "* * * * *", JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = KubeClone(template) } } },
        };

        ObjectDefaults.Apply(job);
        ObjectDefaults.Apply(cron);

        Assert.Equal((1, 1, 6, "NonIndexed", false, "TerminatingOrFailed"), (job.Spec.Completions, job.Spec.Parallelism, job.Spec.BackoffLimit, job.Spec.CompletionMode, job.Spec.Suspend, job.Spec.PodReplacementPolicy));
        Assert.Equal(("Allow", false, 3, 1), (cron.Spec.ConcurrencyPolicy, cron.Spec.Suspend, cron.Spec.SuccessfulJobsHistoryLimit, cron.Spec.FailedJobsHistoryLimit));
        Assert.Null(cron.Spec.JobTemplate.Spec.BackoffLimit);
        Assert.Equal("ClusterFirst", cron.Spec.JobTemplate.Spec.Template.Spec.DnsPolicy);
    }

    [Fact]
    public void A_job_with_parallelism_only_keeps_completions_unset()
    {
        var job = new V1Job { Metadata = new V1ObjectMeta { Name = "j" }, Spec = new V1JobSpec { Parallelism = 3, Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [] } } } };
        ObjectDefaults.Apply(job);
        Assert.Null(job.Spec.Completions);
        Assert.Equal(3, job.Spec.Parallelism);
    }

    [Fact]
    public void Stateful_and_daemon_sets_get_their_update_strategies()
    {
        var sts = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Spec = new V1StatefulSetSpec { VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" }, Spec = new V1PersistentVolumeClaimSpec() }] },
        };
        var ds = new V1DaemonSet { Metadata = new V1ObjectMeta { Name = "agent" }, Spec = new V1DaemonSetSpec() };

        ObjectDefaults.Apply(sts);
        ObjectDefaults.Apply(ds);

        Assert.Equal(("OrderedReady", "RollingUpdate", 0, 10), (sts.Spec.PodManagementPolicy, sts.Spec.UpdateStrategy.Type, sts.Spec.UpdateStrategy.RollingUpdate.Partition, sts.Spec.RevisionHistoryLimit));
        Assert.Equal(("Retain", "Retain"), (sts.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted, sts.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled));
        Assert.Equal("Filesystem", sts.Spec.VolumeClaimTemplates[0].Spec.VolumeMode);
        Assert.Equal(("RollingUpdate", "1", "0"), (ds.Spec.UpdateStrategy.Type, ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.Value, ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge.Value));
    }

    [Fact]
    public void A_service_port_targets_itself_over_TCP()
    {
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Port = 8080 }, new V1ServicePort { Port = 9090, TargetPort = "metrics" }] },
        };

        ObjectDefaults.Apply(service);

        Assert.Equal(("ClusterIP", "None", "Cluster"), (service.Spec.Type, service.Spec.SessionAffinity, service.Spec.InternalTrafficPolicy));
        Assert.Equal(("TCP", "8080"), (service.Spec.Ports[0].Protocol, service.Spec.Ports[0].TargetPort.Value));
        Assert.Equal("metrics", service.Spec.Ports[1].TargetPort.Value);
        Assert.Equal("SingleStack", service.Spec.IpFamilyPolicy);
        Assert.Equal(["IPv4"], service.Spec.IpFamilies);
    }

    [Fact]
    public void A_pod_gets_what_admission_adds()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") } } }] },
        };

        ObjectDefaults.Apply(pod);

        Assert.Equal(("default", "default", 0), (pod.Spec.ServiceAccountName, pod.Spec.ServiceAccount, pod.Spec.Priority));
        Assert.Equal(["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"], pod.Spec.Tolerations.Select(t => t.Key));
        Assert.All(pod.Spec.Tolerations, t => Assert.Equal(300, t.TolerationSeconds));
        Assert.Equal("Always", pod.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal("1Gi", pod.Spec.Containers[0].Resources.Requests["memory"].ToString());
        Assert.Equal("Guaranteed", pod.Status.QosClass);
    }

    [Fact]
    public void A_namespace_is_labelled_with_its_name_and_finalised_by_kubernetes()
    {
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } };
        ObjectDefaults.Apply(ns);
        Assert.Equal("shop", ns.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
    }

    [Fact]
    public void An_autoscaler_without_metrics_targets_80_percent_cpu()
    {
        var hpa = new V2HorizontalPodAutoscaler { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V2HorizontalPodAutoscalerSpec { MaxReplicas = 5 } };
        ObjectDefaults.Apply(hpa);
        Assert.Equal(1, hpa.Spec.MinReplicas);
        Assert.Equal(80, hpa.Spec.Metrics.Single().Resource.Target.AverageUtilization);
        Assert.Null(hpa.Spec.Behavior);
    }

    private static V1PodTemplateSpec KubeClone(V1PodTemplateSpec template) =>
        new() { Spec = new V1PodSpec { RestartPolicy = template.Spec.RestartPolicy, Containers = [.. template.Spec.Containers.Select(c => new V1Container { Name = c.Name, Image = c.Image })] } };
}
