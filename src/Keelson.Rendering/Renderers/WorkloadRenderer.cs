using k8s.Models;
using Keelson.Planning;
using Keelson.Rendering.Objects;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Renderers;

/// <summary>Deployments, StatefulSets (with volume claim templates), Jobs and CronJobs.</summary>
public sealed class WorkloadRenderer : IManifestRenderer
{
    /// <inheritdoc/>
    public IEnumerable<RenderedObject> Render(RenderContext context)
    {
        foreach (var component in context.Plan.Components.Where(c => c.Component is not SparkComponent))
        {
            var hash = PodTemplates.Hash(context.Config(component));
            foreach (var workload in component.Workloads)
            {
                var contract = ContainerContract.For(component, workload);
                var template = PodTemplates.Build(context, component, workload, contract, hash);
                var metadata = new V1ObjectMeta
                {
                    Name = workload.Name,
                    NamespaceProperty = context.Namespace,
                    Labels = Labels.ForWorkload(context, component, workload.Name, Labels.VersionOf(contract.Image)),
                };
                var group = TenantRenderer.Group(component);
                if (workload.SharedStorage)
                {
                    yield return new RenderedObject(SharedClaim(context, component, workload), component.Name, group);
                }

                yield return component.Component switch
                {
                    StatefulComponent s => new RenderedObject(StatefulSet(context, workload, s, metadata, template), component.Name, group),
                    CronJobComponent cron => new RenderedObject(CronJob(cron, metadata, template), component.Name, group),
                    JobComponent job => new RenderedObject(Job(job, metadata, template), component.Name, group),
                    _ => new RenderedObject(Deployment(context, workload, metadata, template, component), component.Name, group),
                };
            }
        }
    }

    /// <summary>
    /// The volume a service's replicas share. ReadWriteOnce suffices for one replica; more replicas need
    /// ReadWriteMany, which the storage class must offer (EFS, Filestore, NFS, CephFS).
    /// </summary>
    private static V1PersistentVolumeClaim SharedClaim(RenderContext context, ComponentPlan component, WorkloadPlan workload) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta
        {
            Name = PodTemplates.DataClaimName(workload),
            NamespaceProperty = context.Namespace,
            Labels = Labels.ForWorkload(context, component, workload.Name, null),
        },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = [Math.Max(workload.Replicas, workload.MaxReplicas) > 1 ? "ReadWriteMany" : "ReadWriteOnce"],
            StorageClassName = (component.Component as ServiceComponent)?.Storage?.StorageClass,
            Resources = new V1VolumeResourceRequirements
            {
                Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = new(workload.StoragePerReplica.ToString()) },
            },
        },
    };

    private static V1Deployment Deployment(RenderContext context, WorkloadPlan workload, V1ObjectMeta metadata, V1PodTemplateSpec template, ComponentPlan component) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = metadata,
        Spec = new V1DeploymentSpec
        {
            // With an autoscaler the replica count is left to it after the first apply; the plan's peak seeds it.
            Replicas = workload.Replicas,
            RevisionHistoryLimit = 5,
            Selector = new V1LabelSelector { MatchLabels = Labels.Selector(context, workload.Name) },
            Strategy = new V1DeploymentStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDeployment
                {
                    MaxSurge = "25%",
                    MaxUnavailable = workload.Pod.Gpus > 0 || workload.Replicas <= 1 ? "0" : "25%",
                },
            },
            Template = template,
        },
    };

    private static V1StatefulSet StatefulSet(RenderContext context, WorkloadPlan workload, StatefulComponent component, V1ObjectMeta metadata, V1PodTemplateSpec template) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = metadata,
        Spec = new V1StatefulSetSpec
        {
            Replicas = workload.Replicas,
            ServiceName = workload.Name,
            PodManagementPolicy = "OrderedReady",
            RevisionHistoryLimit = 5,
            Selector = new V1LabelSelector { MatchLabels = Labels.Selector(context, workload.Name) },
            UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate" },
            PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Retain", WhenScaled = "Retain" },
            Template = template,
            VolumeClaimTemplates =
            [
                new V1PersistentVolumeClaim
                {
                    ApiVersion = "v1",
                    Kind = "PersistentVolumeClaim",
                    Metadata = new V1ObjectMeta { Name = "data", Labels = Labels.Selector(context, workload.Name) },
                    Spec = new V1PersistentVolumeClaimSpec
                    {
                        AccessModes = ["ReadWriteOnce"],
                        StorageClassName = component.Storage.StorageClass,
                        Resources = new V1VolumeResourceRequirements
                        {
                            Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = new(workload.StoragePerReplica.ToString()) },
                        },
                    },
                },
            ],
        },
    };

    private static V1JobSpec JobSpec(JobComponent job, V1PodTemplateSpec template)
    {
        template.Spec.RestartPolicy = "Never";
        return new V1JobSpec
        {
            Parallelism = job.Parallelism,
            Completions = job.Completions,
            BackoffLimit = job.BackoffLimit,
            ActiveDeadlineSeconds = job.Deadline is { } d ? (long)d.TotalSeconds : null,
            TtlSecondsAfterFinished = 86400,
            Template = template,
        };
    }

    private static V1Job Job(JobComponent job, V1ObjectMeta metadata, V1PodTemplateSpec template)
    {
        var spec = JobSpec(job, template);
        QueuedJobs.Apply(job, metadata, spec);
        return new V1Job { ApiVersion = "batch/v1", Kind = "Job", Metadata = metadata, Spec = spec };
    }

    private static V1CronJob CronJob(CronJobComponent cron, V1ObjectMeta metadata, V1PodTemplateSpec template)
    {
        // Each run the CronJob creates is a suspended Job that waits for admission, as Kueue's cronjob integration does.
        var jobMetadata = new V1ObjectMeta { Labels = metadata.Labels };
        var spec = JobSpec(cron, template);
        QueuedJobs.Apply(cron, jobMetadata, spec);
        return new V1CronJob
        {
            ApiVersion = "batch/v1",
            Kind = "CronJob",
            Metadata = metadata,
            Spec = new V1CronJobSpec
            {
                Schedule = cron.Schedule,
                ConcurrencyPolicy = cron.ConcurrencyPolicy.ToString(),
                StartingDeadlineSeconds = 300,
                SuccessfulJobsHistoryLimit = 3,
                FailedJobsHistoryLimit = 3,
                JobTemplate = new V1JobTemplateSpec { Metadata = jobMetadata, Spec = spec },
            },
        };
    }
}
