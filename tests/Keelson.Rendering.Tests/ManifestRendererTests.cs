using k8s.Models;
using Keelson.Rendering.Crds;
using Keelson.Rendering.Output;

namespace Keelson.Rendering.Tests;

public sealed class ManifestRendererTests
{
    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Every_example_renders_a_namespace_first_and_default_deny(string example)
    {
        var manifest = Examples.Render(example);

        Assert.Equal("Namespace", manifest.Objects[0].Resource.Kind);
        Assert.Contains(manifest.OfType<V1NetworkPolicy>(), p => p.Metadata.Name == "default-deny" && p.Spec.PolicyTypes.SequenceEqual(["Ingress", "Egress"]));
        Assert.All(manifest.Objects.Skip(1), o => Assert.Equal(manifest.Namespace, o.Resource.Metadata.NamespaceProperty));
        Assert.Equal(manifest.Objects.Count, manifest.Objects.Select(o => o.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Objects_come_in_apply_order(string example)
    {
        var kinds = Examples.Render(example).Objects.Select(o => o.Resource.Kind).ToList();

        int First(string kind) => kinds.IndexOf(kind);
        int Last(string kind) => kinds.LastIndexOf(kind);
        Assert.True(Last("ConfigMap") < First("Deployment") || First("Deployment") < 0);
        Assert.True(Last("ServiceAccount") < First("StatefulSet") || First("StatefulSet") < 0);
        Assert.True(First("Ingress") < 0 || Last("Service") < First("Ingress"));
        var firstCustom = kinds.FindIndex(k => ApplyOrder.Rank(k) == ApplyOrder.Rank("SparkApplication"));
        Assert.True(firstCustom < 0 || kinds.Skip(firstCustom).All(k => ApplyOrder.Rank(k) == ApplyOrder.Rank("SparkApplication")));
    }

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Rendering_twice_gives_byte_identical_yaml(string example)
    {
        var first = ManifestYaml.Documents(Examples.Render(example).Objects.Select(o => o.Resource));
        var again = ManifestRenderer.Default.Render(Examples.Render(example).Plan);

        Assert.Equal(first, ManifestYaml.Documents(again.Objects.Select(o => o.Resource)));
    }

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Every_pod_is_locked_down_and_sized(string example)
    {
        var manifest = Examples.Render(example);
        foreach (var template in PodTemplatesOf(manifest))
        {
            var pod = template.Spec;
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            Assert.False(pod.AutomountServiceAccountToken);
            foreach (var c in pod.Containers)
            {
                Assert.False(c.SecurityContext.AllowPrivilegeEscalation);
                Assert.Equal(["ALL"], c.SecurityContext.Capabilities.Drop);
                Assert.NotNull(c.Resources.Requests["cpu"]);
                Assert.NotNull(c.Resources.Limits["memory"]);
                Assert.DoesNotContain(":latest", c.Image, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Long_running_pods_have_all_three_probes(string example)
    {
        var manifest = Examples.Render(example);
        var templates = manifest.OfType<V1Deployment>().Select(d => d.Spec.Template).Concat(manifest.OfType<V1StatefulSet>().Select(s => s.Spec.Template));
        foreach (var container in templates.SelectMany(t => t.Spec.Containers))
        {
            Assert.NotNull(container.LivenessProbe);
            Assert.NotNull(container.ReadinessProbe);
            Assert.NotNull(container.StartupProbe);
        }
    }

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Every_replicated_workload_has_a_disruption_budget_and_spread(string example)
    {
        var manifest = Examples.Render(example);
        var budgets = manifest.OfType<V1PodDisruptionBudget>().Select(p => p.Metadata.Name).ToHashSet();
        foreach (var (name, replicas, template) in manifest.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Replicas ?? 1, d.Spec.Template))
                     .Concat(manifest.OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Replicas ?? 1, s.Spec.Template))))
        {
            if (replicas > 1)
            {
                Assert.Contains(name, budgets);
                Assert.Contains(template.Spec.TopologySpreadConstraints, t => t.TopologyKey == "kubernetes.io/hostname");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void References_between_objects_resolve(string example)
    {
        var manifest = Examples.Render(example);
        var names = manifest.Objects.Select(o => o.Id).ToHashSet();
        foreach (var hpa in manifest.OfType<V2HorizontalPodAutoscaler>())
        {
            Assert.Contains($"Deployment/{hpa.Spec.ScaleTargetRef.Name}", names);
            Assert.True(hpa.Spec.MinReplicas <= hpa.Spec.MaxReplicas);
        }

        foreach (var template in PodTemplatesOf(manifest))
        {
            Assert.Contains($"ServiceAccount/{template.Spec.ServiceAccountName}", names);
            foreach (var source in template.Spec.Containers.SelectMany(c => c.EnvFrom ?? []))
            {
                Assert.Contains(source.ConfigMapRef is { } cm ? $"ConfigMap/{cm.Name}" : $"Secret/{source.SecretRef.Name}", names);
            }

            foreach (var claim in (template.Spec.Volumes ?? []).Where(v => v.PersistentVolumeClaim is not null))
            {
                Assert.Contains($"PersistentVolumeClaim/{claim.PersistentVolumeClaim.ClaimName}", names);
            }
        }

        foreach (var ingress in manifest.OfType<V1Ingress>())
        {
            foreach (var backend in ingress.Spec.Rules.SelectMany(r => r.Http.Paths).Select(p => p.Backend.Service))
            {
                var service = manifest.OfType<V1Service>().Single(s => s.Metadata.Name == backend.Name);
                Assert.Contains(service.Spec.Ports, p => p.Name == backend.Port.Name);
            }
        }

        foreach (var set in manifest.OfType<V1StatefulSet>())
        {
            Assert.Equal("None", manifest.OfType<V1Service>().Single(s => s.Metadata.Name == set.Spec.ServiceName).Spec.ClusterIP);
        }
    }

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Secrets_hold_only_empty_placeholders(string example)
    {
        foreach (var secret in Examples.Render(example).OfType<V1Secret>())
        {
            Assert.Null(secret.Data);
            Assert.All(secret.StringData, kv => Assert.Equal("", kv.Value));
            Assert.Contains(Keelson.Rendering.Renderers.ConfigRenderer.FillAnnotation, secret.Metadata.Annotations.Keys);
        }
    }

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Quota_covers_every_workload_at_its_ceiling(string example)
    {
        var manifest = Examples.Render(example);
        var quota = manifest.OfType<V1ResourceQuota>().Single().Spec.Hard;
        var limitMax = manifest.OfType<V1LimitRange>().Single().Spec.Limits[0].Max;
        var ceiling = manifest.Plan.Components.SelectMany(c => c.Workloads).Sum(w => w.Pod.CpuRequest.Value * Math.Max(w.MaxReplicas, w.Replicas));

        Assert.True(quota["requests.cpu"].ToDecimal() * 1000 >= ceiling);
        foreach (var container in PodTemplatesOf(manifest).SelectMany(t => t.Spec.Containers))
        {
            Assert.True(container.Resources.Limits["cpu"].ToDecimal() <= limitMax["cpu"].ToDecimal());
            Assert.True(container.Resources.Limits["memory"].ToDecimal() <= limitMax["memory"].ToDecimal());
        }
    }

    [Fact]
    public void Monitoring_defaults_on_in_prod_only()
    {
        Assert.True(new RenderContext(Examples.Render("restaurant.yaml").Plan, new RenderOptions()).Monitoring);
        Assert.False(new RenderContext(Examples.Render("saga-commerce.yaml").Plan, new RenderOptions()).Monitoring);
        Assert.False(new RenderContext(Examples.Render("restaurant.yaml").Plan, new RenderOptions { Monitoring = false }).Monitoring);
    }

    [Fact]
    public void Changing_config_changes_the_pod_checksum()
    {
        var plan = Examples.Render("saga-commerce.yaml").Plan;
        var changed = plan with
        {
            Components = [.. plan.Components.Select(c => c.Name != "nestjs" ? c : c with
            {
                Component = (Spec.Model.ServiceComponent)c.Component with { Config = new Dictionary<string, string> { ["SAGA_TIMEOUT_MS"] = "60000" } },
            })],
        };

        string Checksum(Planning.Plan p) => ManifestRenderer.Default.Render(p).OfType<V1Deployment>().Single(d => d.Metadata.Name == "nestjs").Spec.Template.Metadata.Annotations["checksum/config"];

        Assert.NotEqual(Checksum(plan), Checksum(changed));
        Assert.Equal(Checksum(plan), Checksum(plan));
    }

    [Fact]
    public void Spark_becomes_a_spark_application_with_dynamic_allocation()
    {
        var spark = Examples.Render("autus-pipeline.yaml").OfType<SparkApplication>().Single();

        Assert.Equal("sparkoperator.k8s.io/v1beta2", spark.ApiVersion);
        Assert.Equal((2, 100, 3), (spark.Spec!.DynamicAllocation!.MinExecutors, spark.Spec.DynamicAllocation.MaxExecutors, spark.Spec.Executor.Instances));
        Assert.Equal("Always", spark.Spec.RestartPolicy.Type);
        Assert.Equal("2048m", spark.Spec.Executor.Memory);
    }

    [Fact]
    public void Keda_workers_get_a_scaled_object_on_their_kafka_dependency()
    {
        var manifest = Examples.Render("autus-pipeline.yaml");
        var scaled = manifest.OfType<ScaledObject>().Single(s => s.Metadata.Name == "analytics-consumer");

        Assert.Equal("kafka", scaled.Spec!.Triggers[0].Type);
        Assert.Equal("events.autus.svc.cluster.local:9092", scaled.Spec.Triggers[0].Metadata["bootstrapServers"]);
        Assert.Equal("1000", scaled.Spec.Triggers[0].Metadata["lagThreshold"]);
        Assert.DoesNotContain(manifest.OfType<V2HorizontalPodAutoscaler>(), h => h.Metadata.Name == "analytics-consumer");
    }

    [Fact]
    public void Workers_without_keda_scale_on_the_queue_length_metric()
    {
        var hpa = Examples.Render("quant-platform.yaml").OfType<V2HorizontalPodAutoscaler>().Single(h => h.Metadata.Name == "backtest");

        var metric = Assert.Single(hpa.Spec.Metrics);
        Assert.Equal(("External", "keelson_queue_length", "5"), (metric.Type, metric.External.Metric.Name, metric.External.Target.AverageValue.ToString()));
        Assert.Equal((1, 20), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
    }

    [Fact]
    public void Dependency_edges_become_network_policy_rules()
    {
        var manifest = Examples.Render("saga-commerce.yaml");
        var postgres = manifest.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "allow-postgres");
        var nest = manifest.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "allow-nestjs");

        Assert.Contains(postgres.Spec.Ingress, r => r.FromProperty.Any(f => f.PodSelector?.MatchLabels["keelson.dev/component"] == "nestjs") && r.Ports.Single().Port.Value == "5432");
        Assert.Equal(["kafka", "postgres", "redis"], nest.Spec.Egress.SelectMany(e => e.To).Select(t => t.PodSelector.MatchLabels["keelson.dev/component"]).Order());
        Assert.Contains(nest.Spec.Ingress, r => r.FromProperty.Any(f => f.NamespaceSelector?.MatchLabels["kubernetes.io/metadata.name"] == "ingress-nginx"));
    }

    internal static IEnumerable<V1PodTemplateSpec> PodTemplatesOf(Manifest manifest) =>
        manifest.OfType<V1Deployment>().Select(d => d.Spec.Template)
            .Concat(manifest.OfType<V1StatefulSet>().Select(s => s.Spec.Template))
            .Concat(manifest.OfType<V1Job>().Select(j => j.Spec.Template))
            .Concat(manifest.OfType<V1CronJob>().Select(c => c.Spec.JobTemplate.Spec.Template));
}
