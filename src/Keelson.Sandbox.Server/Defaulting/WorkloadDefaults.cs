using k8s.Models;

namespace Keelson.Sandbox.Server.Defaulting;

/// <summary>The apps/v1 and batch/v1 defaults of the API server (Kubernetes 1.32, default feature gates), one pass per kind.</summary>
internal static class WorkloadDefaults
{
    public static void Deployment(V1Deployment deployment)
    {
        var spec = deployment.Spec ??= new V1DeploymentSpec();
        spec.Replicas ??= 1;
        spec.Strategy ??= new V1DeploymentStrategy();
        spec.Strategy.Type ??= "RollingUpdate";
        if (spec.Strategy.Type == "RollingUpdate")
        {
            spec.Strategy.RollingUpdate ??= new V1RollingUpdateDeployment();
            spec.Strategy.RollingUpdate.MaxUnavailable ??= "25%";
            spec.Strategy.RollingUpdate.MaxSurge ??= "25%";
        }

        spec.RevisionHistoryLimit ??= 10;
        spec.ProgressDeadlineSeconds ??= 600;
        PodDefaults.Template(spec.Template);
    }

    public static void ReplicaSet(V1ReplicaSet replicaSet)
    {
        var spec = replicaSet.Spec ??= new V1ReplicaSetSpec();
        spec.Replicas ??= 1;
        PodDefaults.Template(spec.Template);
    }

    public static void StatefulSet(V1StatefulSet statefulSet)
    {
        var spec = statefulSet.Spec ??= new V1StatefulSetSpec();
        spec.Replicas ??= 1;
        spec.PodManagementPolicy ??= "OrderedReady";
        spec.UpdateStrategy ??= new V1StatefulSetUpdateStrategy();
        spec.UpdateStrategy.Type ??= "RollingUpdate";
        if (spec.UpdateStrategy.Type == "RollingUpdate")
        {
            spec.UpdateStrategy.RollingUpdate ??= new V1RollingUpdateStatefulSetStrategy();
            spec.UpdateStrategy.RollingUpdate.Partition ??= 0;
        }

        spec.RevisionHistoryLimit ??= 10;
        spec.PersistentVolumeClaimRetentionPolicy ??= new V1StatefulSetPersistentVolumeClaimRetentionPolicy();
        spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted ??= "Retain";
        spec.PersistentVolumeClaimRetentionPolicy.WhenScaled ??= "Retain";
        foreach (var claim in spec.VolumeClaimTemplates ?? [])
        {
            ServiceDefaults.Claim(claim);
        }

        PodDefaults.Template(spec.Template);
    }

    public static void DaemonSet(V1DaemonSet daemonSet)
    {
        var spec = daemonSet.Spec ??= new V1DaemonSetSpec();
        spec.UpdateStrategy ??= new V1DaemonSetUpdateStrategy();
        spec.UpdateStrategy.Type ??= "RollingUpdate";
        if (spec.UpdateStrategy.Type == "RollingUpdate")
        {
            spec.UpdateStrategy.RollingUpdate ??= new V1RollingUpdateDaemonSet();
            spec.UpdateStrategy.RollingUpdate.MaxUnavailable ??= 1;
            spec.UpdateStrategy.RollingUpdate.MaxSurge ??= 0;
        }

        spec.RevisionHistoryLimit ??= 10;
        PodDefaults.Template(spec.Template);
    }

    public static void Job(V1Job job)
    {
        var spec = job.Spec ??= new V1JobSpec();
        if (spec.Completions is null && spec.Parallelism is null)
        {
            spec.Completions = 1;
        }

        spec.Parallelism ??= 1;
        if (spec.BackoffLimitPerIndex is null)
        {
            spec.BackoffLimit ??= 6;
        }

        spec.CompletionMode ??= "NonIndexed";
        spec.Suspend ??= false;
        spec.PodReplacementPolicy ??= spec.PodFailurePolicy is null ? "TerminatingOrFailed" : "Failed";
        PodDefaults.Template(spec.Template);
    }

    public static void CronJob(V1CronJob cronJob)
    {
        var spec = cronJob.Spec ??= new V1CronJobSpec();
        spec.ConcurrencyPolicy ??= "Allow";
        spec.Suspend ??= false;
        spec.SuccessfulJobsHistoryLimit ??= 3;
        spec.FailedJobsHistoryLimit ??= 1;

        // The Job defaults belong to Job objects; a job template gets only its pod template's.
        PodDefaults.Template(spec.JobTemplate?.Spec?.Template);
    }
}
