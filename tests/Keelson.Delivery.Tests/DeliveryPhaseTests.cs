using Keelson.Rendering;

namespace Keelson.Delivery.Tests;

public class DeliveryPhaseTests
{
    [Fact]
    public void Phases_follow_the_apply_order_so_a_phased_delivery_applies_in_dependency_order()
    {
        string[] kinds = ["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "ServiceAccount", "Role", "RoleBinding", "Secret", "ConfigMap",
            "PersistentVolumeClaim", "Service", "StatefulSet", "Deployment", "Job", "CronJob", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceMonitor"];
        var byRank = kinds.OrderBy(ApplyOrder.Rank).ToList();

        // Services are applied after workloads in phases (the seed's step order) but before them in ApplyOrder;
        // every other kind keeps its relative order.
        var phases = byRank.Where(k => k != "Service").Select(DeliveryPhases.Of).ToList();
        Assert.Equal(phases.Order(), phases);
        Assert.Equal(DeliveryPhase.Services, DeliveryPhases.Of("Service"));
        Assert.Equal(DeliveryPhase.Monitoring, DeliveryPhases.Of("PrometheusRule"));
        Assert.Equal(DeliveryPhase.Workloads, DeliveryPhases.Of("SparkApplication"));
    }
}
