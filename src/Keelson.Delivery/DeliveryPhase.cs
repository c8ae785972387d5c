namespace Keelson.Delivery;

/// <summary>
/// The apply phases of a delivery, in order, as a durable deployment records them: each applies the objects of
/// its kinds; <see cref="Deployer.WaitReadyAsync"/> and <see cref="Deployer.CommitAsync"/> then verify and record.
/// </summary>
public enum DeliveryPhase
{
    /// <summary>Namespace, quota, limits and network policies.</summary>
    Namespace,

    /// <summary>Service accounts, RBAC, Secrets and ConfigMaps.</summary>
    Config,

    /// <summary>Persistent volume claims.</summary>
    Storage,

    /// <summary>StatefulSets, Deployments, DaemonSets, Jobs, CronJobs and Spark applications.</summary>
    Workloads,

    /// <summary>Services.</summary>
    Services,

    /// <summary>Ingress.</summary>
    Ingress,

    /// <summary>Autoscalers, disruption budgets, monitoring and every other kind.</summary>
    Monitoring,
}

/// <summary>Which phase applies which kind.</summary>
public static class DeliveryPhases
{
    /// <summary>The phase of a kind; kinds not listed (CRD-backed monitoring, autoscalers) go last.</summary>
    public static DeliveryPhase Of(string kind) => kind switch
    {
        "Namespace" or "ResourceQuota" or "LimitRange" or "NetworkPolicy" => DeliveryPhase.Namespace,
        "ServiceAccount" or "Role" or "RoleBinding" or "ClusterRole" or "ClusterRoleBinding" or "Secret" or "ConfigMap" => DeliveryPhase.Config,
        "PersistentVolumeClaim" => DeliveryPhase.Storage,
        "StatefulSet" or "Deployment" or "DaemonSet" or "Job" or "CronJob" or "SparkApplication" or "ScheduledSparkApplication" => DeliveryPhase.Workloads,
        "Service" => DeliveryPhase.Services,
        "Ingress" => DeliveryPhase.Ingress,
        _ => DeliveryPhase.Monitoring,
    };
}
