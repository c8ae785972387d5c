using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Sandbox.Server.Defaulting;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;

namespace Keelson.Sandbox.Server.Tests.Resources;

/// <summary>
/// The spec of the <c>autoscaling/v1</c> view, converted as upstream's pkg/apis/autoscaling/v1/conversion.go: metrics
/// other than a CPU utilisation target and <c>behavior</c> travel in round-trip annotations of the view.
/// </summary>
public sealed class AutoscalerV1SpecTests
{
    private const string MetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
    private const string BehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";

    private static readonly ApiResource V1 = ResourceCatalog.OfKind("autoscaling/v1", "HorizontalPodAutoscaler")!;
    private static readonly ApiResource V2 = ResourceCatalog.OfKind("autoscaling/v2", "HorizontalPodAutoscaler")!;

    [Fact]
    public void The_v1_view_carries_every_other_metric_in_v1s_shape_and_the_behavior_with_gos_field_names()
    {
        var v1 = ResourceViews.ToNode(Autoscaler(), V1);

        Assert.Equal("""{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":10,"targetCPUUtilizationPercentage":70}""", v1["spec"]!.ToJsonString());
        var annotations = v1["metadata"]!["annotations"]!;
        Assert.Equal(
            """[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":80}},"""
            + """{"type":"Pods","pods":{"metricName":"requests","targetAverageValue":"10"}},"""
            + """{"type":"Object","object":{"target":{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","name":"main"},"metricName":"hits","targetValue":"0","averageValue":"5"}},"""
            + """{"type":"External","external":{"metricName":"queue","metricSelector":{"matchLabels":{"queue":"jobs"}},"targetValue":"30"}},"""
            + """{"type":"ContainerResource","containerResource":{"name":"cpu","targetAverageValue":"200m","container":"web"}}]""",
            (string?)annotations[MetricsAnnotation]);
        Assert.Equal(
            """{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}]},"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Min","Policies":[{"Type":"Percent","Value":50,"PeriodSeconds":30}]}}""",
            (string?)annotations[BehaviorAnnotation]);
        Assert.Equal("keep", (string?)annotations["team"]);
    }

    [Fact]
    public void A_v1_write_of_the_view_keeps_the_v2_only_spec_with_the_other_metrics_first_as_upstream_orders_them()
    {
        var v1 = ResourceViews.ToNode(Autoscaler(), V1);
        v1["spec"]!["maxReplicas"] = 12;

        var stored = Stored(v1);

        Assert.Equal(12, stored.Spec.MaxReplicas);
        Assert.Equal(["Resource/memory", "Pods", "Object", "External", "ContainerResource/cpu", "Resource/cpu"], stored.Spec.Metrics.Select(Describe));
        var expected = ApiJson.ToNode(Autoscaler().Spec);
        var written = ApiJson.ToNode(stored.Spec);
        Assert.Equal(expected["behavior"]!.ToJsonString(), written["behavior"]!.ToJsonString());
        Assert.Equal(MetricJson(expected, "memory"), MetricJson(written, "memory"));
        Assert.Equal(70, stored.Spec.Metrics.Last().Resource.Target.AverageUtilization);
        Assert.Equal("50%", string.Join(',', stored.Spec.Behavior.ScaleDown.Policies.Select(p => $"{p.Value}%")));

        // Upstream's v1 Object source always has a targetValue, so an AverageValue target comes back with a zero value.
        var described = stored.Spec.Metrics.Single(m => m.Type == "Object").ObjectProperty.Target;
        Assert.Equal(("AverageValue", "5", "0"), (described.Type, described.AverageValue.ToString(), described.Value.ToString()));

        // The annotations were read, not stored.
        Assert.Equal(["team"], stored.Metadata.Annotations.Keys);
    }

    [Fact]
    public void A_changed_metrics_annotation_changes_the_v2_metrics()
    {
        var v1 = ResourceViews.ToNode(Autoscaler(), V1);
        v1["metadata"]!["annotations"]![MetricsAnnotation] = """[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"300Mi"}}]""";
        v1["spec"]!["targetCPUUtilizationPercentage"] = 55;

        var stored = Stored(v1);

        Assert.Equal(["Resource/memory", "Resource/cpu"], stored.Spec.Metrics.Select(Describe));
        Assert.Equal(("AverageValue", "300Mi", (int?)null), (stored.Spec.Metrics[0].Resource.Target.Type, stored.Spec.Metrics[0].Resource.Target.AverageValue.ToString(), stored.Spec.Metrics[0].Resource.Target.AverageUtilization));
        Assert.Equal(55, stored.Spec.Metrics[1].Resource.Target.AverageUtilization);
    }

    [Fact]
    public void A_v1_write_without_the_annotations_sets_the_spec_to_what_v1_says_as_upstream_does()
    {
        var v1 = ResourceViews.ToNode(Autoscaler(), V1);
        v1["metadata"]!["annotations"]!.AsObject().Remove(MetricsAnnotation);
        v1["metadata"]!["annotations"]!.AsObject().Remove(BehaviorAnnotation);

        var stored = Stored(v1);

        Assert.Equal(["Resource/cpu"], stored.Spec.Metrics.Select(Describe));
        Assert.Null(stored.Spec.Behavior);
    }

    [Fact]
    public void A_v2_spec_without_a_cpu_utilisation_target_round_trips_without_one()
    {
        var hpa = Autoscaler();
        hpa.Spec.Metrics = [hpa.Spec.Metrics[1]];
        hpa.Spec.Behavior = null;
        var v1 = ResourceViews.ToNode(hpa, V1);
        Assert.Null(v1["spec"]!["targetCPUUtilizationPercentage"]);
        Assert.Null(v1["metadata"]!["annotations"]![BehaviorAnnotation]);

        Assert.Equal(["Resource/memory"], Stored(v1).Spec.Metrics.Select(Describe));
    }

    [Theory]
    [InlineData("""{"ScaleDown":{"StabilizationWindowSeconds":120}}""")]
    [InlineData("""{"scaleDown":{"stabilizationWindowSeconds":120}}""")]
    [InlineData("""{"SCALEDOWN":{"stabilizationwindowseconds":120},"unknown":1}""")]
    public void The_behavior_annotation_is_read_without_regard_to_the_case_of_its_names(string annotation)
    {
        var stored = Stored(V1Body(new JsonObject { [BehaviorAnnotation] = annotation }));

        Assert.Equal(120, stored.Spec.Behavior.ScaleDown.StabilizationWindowSeconds);

        // Defaulting completes a given behavior, as it does for a v2 write.
        Assert.Equal("Max", stored.Spec.Behavior.ScaleUp.SelectPolicy);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("""{"ScaleUp":null,"ScaleDown":null}""")]
    public void A_behavior_annotation_with_neither_direction_is_no_behavior(string annotation) =>
        Assert.Null(Stored(V1Body(new JsonObject { [BehaviorAnnotation] = annotation })).Spec.Behavior);

    [Theory]
    [InlineData(MetricsAnnotation, "not json")]
    [InlineData(MetricsAnnotation, """{"type":"Pods"}""")]
    [InlineData(MetricsAnnotation, """[1]""")]
    [InlineData(MetricsAnnotation, """[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":"high"}}]""")]
    [InlineData(BehaviorAnnotation, "[]")]
    [InlineData(BehaviorAnnotation, """{"ScaleUp":{"Policies":{"Type":"Pods"}}}""")]
    [InlineData(BehaviorAnnotation, """{"ScaleUp":{"Policies":[{"Type":"Pods","Value":"four","PeriodSeconds":15}]}}""")]
    public void A_malformed_annotation_is_a_400_naming_it(string name, string value)
    {
        var error = Assert.Throws<ApiException>(() => Stored(V1Body(new JsonObject { [name] = value })));

        Assert.Equal(400, error.Code);
        Assert.StartsWith($"metadata.annotations[{name}]: must be ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v2_write_drops_the_round_trip_annotations()
    {
        var body = ApiJson.ToNode(Autoscaler(), "autoscaling/v2", "HorizontalPodAutoscaler");
        body["metadata"]!["annotations"]![MetricsAnnotation] = "[]";
        body["metadata"]!["annotations"]![BehaviorAnnotation] = "{}";

        var stored = ResourceViews.ToStored(body, V2);

        Assert.Equal("""{"team":"keep"}""", stored["metadata"]!["annotations"]!.ToJsonString());
    }

    private static V2HorizontalPodAutoscaler Autoscaler()
    {
        var hpa = new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Annotations = new Dictionary<string, string> { ["team"] = "keep" } },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web" },
                MinReplicas = 2,
                MaxReplicas = 10,
                Metrics =
                [
                    new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 70 } } },
                    new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "memory", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 80 } } },
                    new V2MetricSpec { Type = "Pods", Pods = new V2PodsMetricSource { Metric = new V2MetricIdentifier { Name = "requests" }, Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("10") } } },
                    new V2MetricSpec
                    {
                        Type = "Object",
                        ObjectProperty = new V2ObjectMetricSource
                        {
                            DescribedObject = new V2CrossVersionObjectReference { ApiVersion = "networking.k8s.io/v1", Kind = "Ingress", Name = "main" },
                            Metric = new V2MetricIdentifier { Name = "hits" },
                            Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("5") },
                        },
                    },
                    new V2MetricSpec
                    {
                        Type = "External",
                        External = new V2ExternalMetricSource
                        {
                            Metric = new V2MetricIdentifier { Name = "queue", Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["queue"] = "jobs" } } },
                            Target = new V2MetricTarget { Type = "Value", Value = new ResourceQuantity("30") },
                        },
                    },
                    new V2MetricSpec
                    {
                        Type = "ContainerResource",
                        ContainerResource = new V2ContainerResourceMetricSource { Name = "cpu", Container = "web", Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("200m") } },
                    },
                ],
                Behavior = new V2HorizontalPodAutoscalerBehavior
                {
                    ScaleUp = new V2HPAScalingRules { StabilizationWindowSeconds = 0, SelectPolicy = "Max", Policies = [new V2HPAScalingPolicy { Type = "Pods", Value = 4, PeriodSeconds = 15 }] },
                    ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = 60, SelectPolicy = "Min", Policies = [new V2HPAScalingPolicy { Type = "Percent", Value = 50, PeriodSeconds = 30 }] },
                },
            },
        };
        return hpa;
    }

    // A bare v1 body with the given annotations, as a client might write it.
    private static JsonObject V1Body(JsonObject annotations) => new()
    {
        ["apiVersion"] = "autoscaling/v1",
        ["kind"] = "HorizontalPodAutoscaler",
        ["metadata"] = new JsonObject { ["name"] = "web", ["annotations"] = annotations },
        ["spec"] = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web" },
            ["maxReplicas"] = 5,
        },
    };

    // What a v1 write stores: the v2 model, defaulted as the API server does.
    private static V2HorizontalPodAutoscaler Stored(JsonObject v1)
    {
        var stored = (V2HorizontalPodAutoscaler)ApiJson.ToModel(ResourceViews.ToStored(v1, V1), ResourceViews.StoredType(V1));
        ObjectDefaults.Apply(stored);
        return stored;
    }

    private static string Describe(V2MetricSpec metric) => metric.Type switch
    {
        "Resource" => $"Resource/{metric.Resource.Name}",
        "ContainerResource" => $"ContainerResource/{metric.ContainerResource.Name}",
        _ => metric.Type,
    };

    private static string MetricJson(JsonNode spec, string resource) =>
        spec["metrics"]!.AsArray().Single(m => (string?)m!["resource"]?["name"] == resource)!.ToJsonString();
}
