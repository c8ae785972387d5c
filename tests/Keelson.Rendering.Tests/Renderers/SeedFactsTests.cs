using k8s.Models;

namespace Keelson.Rendering.Tests.Renderers;

/// <summary>The numbers the source documents state hold in the rendered objects.</summary>
public sealed class SeedFactsTests
{
    [Fact]
    public void Restaurant_gateway_matches_the_seed()
    {
        var manifest = Examples.Render("restaurant.yaml");
        var gateway = manifest.OfType<V1Deployment>().Single(d => d.Metadata.Name == "gateway");
        var resources = gateway.Spec.Template.Spec.Containers[0].Resources;
        var hpa = manifest.OfType<V2HorizontalPodAutoscaler>().Single(h => h.Metadata.Name == "gateway");

        Assert.Equal(3, gateway.Spec.Replicas);
        Assert.Equal(("100m", "200m"), (resources.Requests["cpu"].ToString(), resources.Limits["cpu"].ToString()));
        Assert.Equal(("128Mi", "256Mi"), (resources.Requests["memory"].ToString(), resources.Limits["memory"].ToString()));
        Assert.Equal((2, 10), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        Assert.Equal(70, hpa.Spec.Metrics.Single(m => m.Resource.Name == "cpu").Resource.Target.AverageUtilization);
        Assert.Equal(80, hpa.Spec.Metrics.Single(m => m.Resource.Name == "memory").Resource.Target.AverageUtilization);
    }

    [Theory]
    [InlineData("user", "1Gi")]
    [InlineData("iot", "2Gi")]
    public void Restaurant_services_keep_their_volumes(string service, string size)
    {
        var manifest = Examples.Render("restaurant.yaml");
        var claim = manifest.OfType<V1PersistentVolumeClaim>().Single(c => c.Metadata.Name == service + "-data");
        var deployment = manifest.OfType<V1Deployment>().Single(d => d.Metadata.Name == service);

        Assert.Equal(size, claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Contains(deployment.Spec.Template.Spec.Volumes, v => v.PersistentVolumeClaim?.ClaimName == service + "-data");
    }

    [Fact]
    public void Restaurant_ingress_has_tls_and_rate_limit()
    {
        var ingress = Examples.Render("restaurant.yaml").OfType<V1Ingress>().Single(i => i.Metadata.Name == "gateway");

        Assert.Equal("letsencrypt", ingress.Metadata.Annotations["cert-manager.io/cluster-issuer"]);
        Assert.Equal("100", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/limit-rpm"]);
        Assert.Equal(["api.restaurant.local"], ingress.Spec.Tls.Single().Hosts);
        Assert.Equal("nginx", ingress.Spec.IngressClassName);
    }

    [Fact]
    public void Call_center_namespace_is_labelled_with_tenant_and_preset()
    {
        var ns = Examples.Render("ai-call-center.yaml").OfType<V1Namespace>().Single();

        Assert.Equal("ai-call-center-prod", ns.Metadata.Name);
        Assert.Equal("ai-call-center-prod", ns.Metadata.Labels["keelson.dev/tenant"]);
        Assert.Equal("ai-call-center-prod", ns.Metadata.Labels["ecp.ai/tenant"]);
        Assert.Equal("medium", ns.Metadata.Labels["keelson.dev/preset"]);
    }

    [Fact]
    public void Quant_inference_runs_only_on_the_gpu_pool()
    {
        var manifest = Examples.Render("quant-platform.yaml");
        var inference = manifest.OfType<V1Deployment>().Single(d => d.Metadata.Name == "inference").Spec.Template.Spec;

        Assert.Equal("1", inference.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
        var term = inference.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms.Single();
        Assert.Contains(term.MatchExpressions, e => e.Key == "nvidia.com/gpu.product" && e.Values.SequenceEqual(["Tesla-T4"]));
        Assert.Contains(inference.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule");
        foreach (var other in manifest.OfType<V1Deployment>().Where(d => d.Metadata.Name != "inference"))
        {
            Assert.Null(other.Spec.Template.Spec.Tolerations);
            Assert.False(other.Spec.Template.Spec.Containers[0].Resources.Limits.ContainsKey("nvidia.com/gpu"));
        }
    }

    [Fact]
    public void Saga_has_redis_master_and_replica_and_kafka_with_its_coordinator()
    {
        var manifest = Examples.Render("saga-commerce.yaml");
        var sets = manifest.OfType<V1StatefulSet>().ToDictionary(s => s.Metadata.Name);

        Assert.Equal(["kafka", "kafka-zookeeper", "postgres", "redis-master", "redis-replica"], sets.Keys.Order());
        Assert.Equal(["--replicaof", "redis-master", "6379"], sets["redis-replica"].Spec.Template.Spec.Containers[0].Args);
        Assert.StartsWith("zookeeper:", sets["kafka-zookeeper"].Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
        Assert.Equal(3, manifest.OfType<V1Deployment>().Single(d => d.Metadata.Name == "nestjs").Spec.Replicas);
    }
}
