using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// <c>autoscaling/v1</c> through the real kubectl: a v1 HorizontalPodAutoscaler is stored as the v2 object
/// (its CPU target a Resource metric), and reads back in either version.
/// </summary>
public sealed class KubectlAutoscaleTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>, IAsyncLifetime
{
    private const string V1 = "horizontalpodautoscalers.v1.autoscaling";
    private const string MetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
    private const string BehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";

    // The v2 spec as the tests compare it; the last field is the round-trip annotations, which are never stored.
    private const string V2Spec = "jsonpath={.spec.maxReplicas}|{.spec.metrics[*].resource.name}|{.spec.metrics[*].resource.target.averageUtilization}|"
        + "{.spec.behavior.scaleDown.stabilizationWindowSeconds}|{.spec.behavior.scaleDown.selectPolicy}|{.metadata.annotations.autoscaling\\.alpha\\.kubernetes\\.io/metrics}";

    private Kubectl Kubectl => cluster.Kubectl;

    public async Task InitializeAsync() => await Kubectl.OkAsync("apply", "-f", await ManifestAsync("scaled", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: scaled}
        spec:
          selector: {matchLabels: {app: scaled}}
          template:
            metadata: {labels: {app: scaled}}
            spec: {containers: [{name: web, image: "nginx:1.27", resources: {requests: {cpu: 100m}}}]}
        """));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_autoscaling_v1_object_is_stored_as_v2_and_reads_back_in_both_versions()
    {
        var output = await Kubectl.OkAsync("apply", "-f", await ManifestAsync("hpa-v1", """
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata: {name: scaled}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: scaled}
              minReplicas: 2
              maxReplicas: 5
              targetCPUUtilizationPercentage: 70
            """));
        Assert.Contains("horizontalpodautoscaler.autoscaling/scaled created", output, StringComparison.Ordinal);

        Assert.Equal("autoscaling/v1|2|5|70", await Kubectl.OkAsync("get", "horizontalpodautoscalers.v1.autoscaling", "scaled", "-o",
            "jsonpath={.apiVersion}|{.spec.minReplicas}|{.spec.maxReplicas}|{.spec.targetCPUUtilizationPercentage}"));
        Assert.Equal("autoscaling/v2|Resource|cpu|Utilization|70", await Kubectl.OkAsync("get", "hpa", "scaled", "-o",
            "jsonpath={.apiVersion}|{.spec.metrics[0].type}|{.spec.metrics[0].resource.name}|{.spec.metrics[0].resource.target.type}|{.spec.metrics[0].resource.target.averageUtilization}"));
        Assert.Equal("2", await Kubectl.OkAsync("get", "deploy", "scaled", "-o", "jsonpath={.spec.replicas}"));
    }

    [Fact]
    public async Task Kubectl_autoscale_creates_an_autoscaler_that_get_reads()
    {
        var (exit, output, error) = await Kubectl.RunAsync("autoscale", "deploy/scaled", "--name", "by-cli", "--min", "2", "--max", "5", "--cpu-percent", "70");
        Assert.True(exit == 0, output + error);
        Assert.Contains("horizontalpodautoscaler.autoscaling/by-cli autoscaled", output, StringComparison.Ordinal);
        Assert.Equal("2|5|70", await Kubectl.OkAsync("get", "hpa", "by-cli", "-o",
            "jsonpath={.spec.minReplicas}|{.spec.maxReplicas}|{.spec.metrics[0].resource.target.averageUtilization}"));
    }

    [Fact]
    public async Task A_v1_status_write_keeps_the_conditions_and_metrics_that_only_v2_can_express()
    {
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("kept", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: kept}
            spec:
              selector: {matchLabels: {app: kept}}
              template:
                metadata: {labels: {app: kept}}
                spec: {containers: [{name: web, image: "nginx:1.27", resources: {requests: {cpu: 100m, memory: 128Mi}}}]}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: kept}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: kept}
              minReplicas: 1
              maxReplicas: 5
              metrics:
              - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}
              - {type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}}
            """));
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(90));
        const string ConditionsAnnotation = "{.metadata.annotations.autoscaling\\.alpha\\.kubernetes\\.io/conditions}";
        const string V2Status = "jsonpath={.status.desiredReplicas}|{.status.conditions[*].type}|{.status.currentMetrics[*].resource.name}|" + ConditionsAnnotation;
        var before = (await Kubectl.OkAsync("get", "hpa", "kept", "-o", V2Status)).Split('|');
        Assert.Equal("cpu memory", before[2]);
        Assert.NotEmpty(before[1]);
        Assert.Empty(before[3]);

        // The v1 view carries what it cannot say in upstream's round-trip annotations, metrics in v1's shape.
        var v1 = JsonNode.Parse(await Kubectl.OkAsync("get", "horizontalpodautoscalers.v1.autoscaling", "kept", "-o", "json"))!;
        var annotations = v1["metadata"]!["annotations"]!;
        Assert.Equal(before[1], string.Join(' ', JsonNode.Parse((string)annotations["autoscaling.alpha.kubernetes.io/conditions"]!)!.AsArray().Select(c => (string?)c!["type"])));
        var others = JsonNode.Parse((string)annotations["autoscaling.alpha.kubernetes.io/current-metrics"]!)!.AsArray();
        Assert.Equal("Resource|memory", $"{others.Single()!["type"]}|{others.Single()!["resource"]!["name"]}");
        Assert.NotNull(others.Single()!["resource"]!["currentAverageUtilization"]);
        Assert.NotNull(v1["status"]!["currentCPUUtilizationPercentage"]);
        Assert.NotEmpty(await Kubectl.OkAsync("get", "horizontalpodautoscalers.v1.autoscaling", "kept", "-o", "jsonpath=" + ConditionsAnnotation));

        // A v1 status patch, and a v1 status replace without the annotations, change v1's fields and lose nothing else.
        await Kubectl.OkAsync("patch", "horizontalpodautoscalers.v1.autoscaling", "kept", "--subresource=status", "--type=merge", "-p", """{"status":{"desiredReplicas":4}}""");
        Assert.Equal(["4", before[1], "cpu memory", ""], (await Kubectl.OkAsync("get", "hpa", "kept", "-o", V2Status)).Split('|'));
        v1 = JsonNode.Parse(await Kubectl.OkAsync("get", "horizontalpodautoscalers.v1.autoscaling", "kept", "-o", "json"))!;
        v1["metadata"]!.AsObject().Remove("annotations");
        v1["status"]!["desiredReplicas"] = 3;
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, "kept-v1.json");
        await File.WriteAllTextAsync(path, v1.ToJsonString());
        await Kubectl.OkAsync("replace", "--subresource=status", "-f", path);
        Assert.Equal(["3", before[1], "cpu memory", ""], (await Kubectl.OkAsync("get", "hpa", "kept", "-o", V2Status)).Split('|'));
    }

    [Fact]
    public async Task A_v1_replace_of_the_v1_view_keeps_the_metrics_and_behavior_only_v2_can_express()
    {
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("spec-kept", V2Autoscaler("spec-kept")));

        // The v1 view carries them in upstream's annotations: metrics in v1's MetricSpec shape, behavior with Go's names.
        var v1 = JsonNode.Parse(await Kubectl.OkAsync("get", V1, "spec-kept", "-o", "json"))!;
        Assert.Equal(70, (int)v1["spec"]!["targetCPUUtilizationPercentage"]!);
        var metrics = JsonNode.Parse((string)v1["metadata"]!["annotations"]![MetricsAnnotation]!)!.AsArray();
        Assert.Equal("""[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":80}}]""", metrics.ToJsonString());
        var behavior = JsonNode.Parse((string)v1["metadata"]!["annotations"]![BehaviorAnnotation]!)!;
        Assert.Equal((60, "Min"), ((int)behavior["ScaleDown"]!["StabilizationWindowSeconds"]!, (string?)behavior["ScaleDown"]!["SelectPolicy"]));

        // What `kubectl edit` does by hand: the v1 JSON with a new maxReplicas, replaced.
        v1["spec"]!["maxReplicas"] = 7;
        await Kubectl.OkAsync("replace", "-f", await JsonFileAsync("spec-kept-v1", v1));

        Assert.Equal("7|memory cpu|80 70|60|Min|", await Kubectl.OkAsync("get", "hpa", "spec-kept", "-o", V2Spec));
    }

    [Fact]
    public async Task A_v1_write_with_a_changed_metrics_annotation_changes_the_v2_metrics()
    {
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("spec-changed", V2Autoscaler("spec-changed")));
        var v1 = JsonNode.Parse(await Kubectl.OkAsync("get", V1, "spec-changed", "-o", "json"))!;
        v1["metadata"]!["annotations"]![MetricsAnnotation] = """[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"300Mi"}}]""";

        await Kubectl.OkAsync("replace", "-f", await JsonFileAsync("spec-changed-v1", v1));

        Assert.Equal("Resource|memory|AverageValue|300Mi", await Kubectl.OkAsync("get", "hpa", "spec-changed", "-o",
            "jsonpath={.spec.metrics[0].type}|{.spec.metrics[0].resource.name}|{.spec.metrics[0].resource.target.type}|{.spec.metrics[0].resource.target.averageValue}"));
        Assert.Equal("5|memory cpu|70|60|Min|", await Kubectl.OkAsync("get", "hpa", "spec-changed", "-o", V2Spec));
    }

    [Fact]
    public async Task A_malformed_round_trip_annotation_is_refused_with_an_error_naming_it()
    {
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("spec-malformed", V2Autoscaler("spec-malformed")));
        var v1 = JsonNode.Parse(await Kubectl.OkAsync("get", V1, "spec-malformed", "-o", "json"))!;
        v1["metadata"]!["annotations"]![BehaviorAnnotation] = "{\"ScaleUp\":";
        v1["spec"]!["maxReplicas"] = 9;

        var (exit, output, error) = await Kubectl.RunAsync("replace", "-f", await JsonFileAsync("spec-malformed-v1", v1));

        Assert.NotEqual(0, exit);
        Assert.Contains("(BadRequest)", error, StringComparison.Ordinal);
        Assert.Contains($"metadata.annotations[{BehaviorAnnotation}]: must be a JSON object", error, StringComparison.Ordinal);
        Assert.Empty(output);
        Assert.Equal("5|cpu memory|70 80|60|Min|", await Kubectl.OkAsync("get", "hpa", "spec-malformed", "-o", V2Spec));
    }

    [Fact]
    public async Task Patches_server_side_apply_and_dry_runs_through_v1_keep_the_v2_only_spec()
    {
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("spec-patched", V2Autoscaler("spec-patched")));

        await Kubectl.OkAsync("patch", V1, "spec-patched", "--type=merge", "-p", """{"spec":{"maxReplicas":6}}""");
        Assert.Equal("6|memory cpu|80 70|60|Min|", await Kubectl.OkAsync("get", "hpa", "spec-patched", "-o", V2Spec));
        await Kubectl.OkAsync("patch", V1, "spec-patched", "--type=strategic", "-p", """{"spec":{"minReplicas":2}}""");
        Assert.Equal("2", await Kubectl.OkAsync("get", "hpa", "spec-patched", "-o", "jsonpath={.spec.minReplicas}"));
        Assert.Equal("6|memory cpu|80 70|60|Min|", await Kubectl.OkAsync("get", "hpa", "spec-patched", "-o", V2Spec));

        // A server-side apply of a v1 manifest that knows nothing of the annotations merges into the view, which has them.
        await Kubectl.OkAsync("apply", "--server-side", "--force-conflicts", "-f", await ManifestAsync("spec-patched-v1", """
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata: {name: spec-patched}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: scaled}
              minReplicas: 2
              maxReplicas: 8
              targetCPUUtilizationPercentage: 60
            """));
        Assert.Equal("8|memory cpu|80 60|60|Min|", await Kubectl.OkAsync("get", "hpa", "spec-patched", "-o", V2Spec));

        // A dry run answers with the v1 view of what would be stored, annotations included, and stores nothing.
        var v1 = JsonNode.Parse(await Kubectl.OkAsync("get", V1, "spec-patched", "-o", "json"))!;
        v1["spec"]!["maxReplicas"] = 9;
        var dry = JsonNode.Parse(await Kubectl.OkAsync("replace", "--dry-run=server", "-o", "json", "-f", await JsonFileAsync("spec-patched-dry", v1)))!;
        Assert.Equal(9, (int)dry["spec"]!["maxReplicas"]!);
        Assert.Equal(v1["metadata"]!["annotations"]![MetricsAnnotation]!.ToJsonString(), dry["metadata"]!["annotations"]![MetricsAnnotation]!.ToJsonString());
        Assert.Equal(v1["metadata"]!["annotations"]![BehaviorAnnotation]!.ToJsonString(), dry["metadata"]!["annotations"]![BehaviorAnnotation]!.ToJsonString());
        Assert.Equal("8|memory cpu|80 60|60|Min|", await Kubectl.OkAsync("get", "hpa", "spec-patched", "-o", V2Spec));
    }

    [Fact]
    public async Task A_v1_create_reads_the_annotations_and_list_and_watch_of_v1_show_them()
    {
        var manifest = await ManifestAsync("spec-created", """
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata:
              name: spec-created
              annotations:
                autoscaling.alpha.kubernetes.io/metrics: '[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":75}}]'
                autoscaling.alpha.kubernetes.io/behavior: '{"ScaleDown":{"StabilizationWindowSeconds":30}}'
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: scaled}
              maxReplicas: 4
              targetCPUUtilizationPercentage: 65
            """);
        var dry = JsonNode.Parse(await Kubectl.OkAsync("create", "--dry-run=server", "-o", "json", "-f", manifest))!;
        Assert.Equal("Max", (string?)JsonNode.Parse((string)dry["metadata"]!["annotations"]![BehaviorAnnotation]!)!["ScaleUp"]!["SelectPolicy"]);
        Assert.Contains("NotFound", (await Kubectl.RunAsync("get", "hpa", "spec-created")).Error, StringComparison.Ordinal);

        await Kubectl.OkAsync("create", "-f", manifest);
        Assert.Equal("4|memory cpu|75 65|30|Max|", await Kubectl.OkAsync("get", "hpa", "spec-created", "-o", V2Spec));

        var list = JsonNode.Parse(await Kubectl.OkAsync("get", V1, "-o", "json"))!;
        var listed = list["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "spec-created")!;
        Assert.Equal("""[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":75}}]""", (string?)listed["metadata"]!["annotations"]![MetricsAnnotation]);

        var watched = await Kubectl.OkAsync("get", "--raw", "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers?watch=1&fieldSelector=metadata.name%3Dspec-created&timeoutSeconds=1");
        var added = JsonNode.Parse(watched.Split('\n', StringSplitOptions.RemoveEmptyEntries).First())!;
        Assert.Equal(("ADDED", "autoscaling/v1"), ((string?)added["type"], (string?)added["object"]!["apiVersion"]));
        Assert.Equal((string?)listed["metadata"]!["annotations"]![BehaviorAnnotation], (string?)added["object"]!["metadata"]!["annotations"]![BehaviorAnnotation]);
    }

    private static string V2Autoscaler(string name) => """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: NAME}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: scaled}
          minReplicas: 1
          maxReplicas: 5
          metrics:
          - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}
          - {type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}}
          behavior:
            scaleDown: {stabilizationWindowSeconds: 60, selectPolicy: Min}
        """.Replace("NAME", name, StringComparison.Ordinal);

    private async Task<string> JsonFileAsync(string name, JsonNode json)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}.json");
        await File.WriteAllTextAsync(path, json.ToJsonString());
        return path;
    }

    private async Task<string> ManifestAsync(string name, string yaml)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
