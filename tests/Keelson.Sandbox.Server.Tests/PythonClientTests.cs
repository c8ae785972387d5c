using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// The Python Kubernetes client (Debian's <c>python3-kubernetes</c>, run with <c>/usr/bin/python3</c>) against the
/// facade: list, create, patch (merge and JSON patch), <c>watch.Watch().stream</c> with its <c>watch=True</c>, and
/// paging with <c>limit</c>/<c>_continue</c>. Each scenario runs in a namespace of its own.
/// </summary>
public sealed class PythonClientTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    [Fact]
    public async Task List_returns_nodes_and_selects_config_maps_by_name()
    {
        var result = await RunAsync("list", "py-list");
        Assert.True((int)result["nodes"]! >= 1);
        Assert.Equal("NodeList", (string?)result["nodeKind"]);
        Assert.Equal(["listed"], result["configMaps"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task Create_stores_the_object_and_a_second_create_is_AlreadyExists()
    {
        var result = await RunAsync("create", "py-create");
        Assert.Matches("^[0-9a-f-]{36}$", (string?)result["uid"]);
        Assert.Equal("1", (string?)result["value"]);
        Assert.Equal((409, "AlreadyExists"), ((int)result["again"]!["status"]!, (string?)result["again"]!["reason"]));
    }

    [Fact]
    public async Task Patch_merges_a_dict_applies_a_list_as_json_patch_and_a_failed_test_is_422()
    {
        var result = await RunAsync("patch", "py-patch");
        Assert.Equal("2", (string?)result["merged"]!["value"]);
        Assert.Equal("x", (string?)result["merged"]!["extra"]);
        Assert.Equal("""{"value":"3"}""", result["jsonPatch"]!.ToJsonString());
        Assert.Equal(422, (int)result["failedTest"]!["status"]!);
        Assert.Contains("testing value /data/value failed", (string?)result["failedTest"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deployment_status_is_read_and_patched_through_the_status_subresource_only()
    {
        var result = await RunAsync("status", "py-status");
        Assert.Equal("Deployment", (string?)result["readKind"]);
        Assert.Contains("Available", result["readConditions"]!.AsArray().Select(n => (string?)n));
        var expected = result["readConditions"]!.AsArray().Select(n => (string?)n).Append("Audited").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, result["patchedConditions"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(expected, result["conditions"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(1, (int)result["replicas"]!);
        Assert.Equal("""{"team":"a"}""", result["labels"]!.ToJsonString());
        Assert.Equal((409, "Conflict"), ((int)result["stale"]!["status"]!, (string?)result["stale"]!["reason"]));
    }

    [Fact]
    public async Task Watch_stream_sees_added_modified_and_deleted()
    {
        var result = await RunAsync("watch", "py-watch");
        var events = result["events"]!.AsArray().Select(e => ((string?)e!["type"], (string?)e["value"])).ToList();
        Assert.Equal([("ADDED", "1"), ("MODIFIED", "2"), ("DELETED", "2")], events);
    }

    [Fact]
    public async Task Limit_and_continue_page_through_every_object_under_one_resource_version()
    {
        var result = await RunAsync("paging", "py-paging");
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"page-{i}"), result["names"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("[3,1,null]", result["remaining"]!.ToJsonString());
        Assert.Equal(1, (int)result["versions"]!);
    }

    [Fact]
    public async Task Leases_are_listed_with_their_renew_times_and_watched_through_create_patch_and_delete()
    {
        var result = await RunAsync("leases", "py-leases");
        var nodes = cluster.Server.Server.Inspect(c => c.Engine.Store.List<k8s.Models.V1Node>().Select(n => n.Metadata.Name).ToList());
        var leases = result["nodeLeases"]!.AsArray();
        Assert.Equal(nodes, leases.Select(l => (string?)l!["name"]));
        Assert.All(leases, l => Assert.Equal(((string?)l!["name"], 40), ((string?)l["holder"], (int)l["duration"]!)));

        // The client parsed each MicroTime into a datetime; it is the sandbox clock's latest renewal.
        var now = cluster.Server.Server.Inspect(c => c.Engine.Clock.GetUtcNow());
        Assert.All(leases, l => Assert.InRange(DateTimeOffset.Parse((string)l!["renewTime"]!, System.Globalization.CultureInfo.InvariantCulture), now.AddSeconds(-10), now));

        var events = result["events"]!.AsArray().Select(e => ((string?)e!["type"], (string?)e["holder"], (bool)e["renewed"]!)).ToList();
        Assert.Equal([("ADDED", "a", true), ("MODIFIED", "b", true), ("DELETED", "b", true)], events);
    }

    [Fact]
    public async Task Server_side_apply_conflicts_is_forced_and_removes_what_a_manager_stops_applying()
    {
        var result = await RunAsync("apply", "py-apply");
        Assert.Equal((409, "Conflict"), ((int)result["conflict"]!["status"]!, (string?)result["conflict"]!["reason"]));
        Assert.Equal("""[{"field":".data.a","message":"conflict with \"alice\"","reason":"FieldManagerConflict"}]""", Sorted(result["conflict"]!["causes"]!));

        // Bob forced a; alice then applied no data, so b (hers alone) went and a (bob's) stayed; both own the label.
        Assert.Equal("""{"a":"2"}""", result["data"]!.ToJsonString());
        Assert.Equal(
            """[["alice","Apply",{"f:metadata":{"f:labels":{"f:app":{}}}},true],["bob","Apply",{"f:data":{"f:a":{}},"f:metadata":{"f:labels":{"f:app":{}}}},true]]""",
            result["managers"]!.ToJsonString());
    }

    [Fact]
    public async Task Delete_collection_takes_what_the_selector_matches_and_a_too_old_watch_is_410_Expired()
    {
        KubectlCollectionTests.PushOutOldConfigMapVersions(cluster.Server.Server);
        var result = await RunAsync("collection", "py-collection");
        Assert.Equal(["c"], result["left"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(410, (int)result["expired"]!["status"]!);
        Assert.StartsWith("Expired: too old resource version: 1 (", (string?)result["expired"]!["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_resource_definition_serves_objects_to_CustomObjectsApi_and_its_watch()
    {
        var result = await RunAsync("crd", "py-crd");
        Assert.True((bool)result["established"]!);
        Assert.Equal("Widget", (string?)result["acceptedKind"]);

        // Created objects come back with a uid and the schema's default; lists are WidgetList in name order.
        Assert.Matches("^[0-9a-f-]{36}$", (string?)result["created"]!["uid"]);
        Assert.Equal("blue", (string?)result["created"]!["color"]);
        Assert.Equal("WidgetList", (string?)result["listed"]!["kind"]);
        Assert.Equal(["first", "second"], result["listed"]!["names"]!.AsArray().Select(n => (string?)n));
        var patched = result["patched"]!.AsObject();
        Assert.Equal((2, "blue", 5), (patched.Count, (string?)patched["color"], (int)patched["size"]!));

        var invalid = result["invalid"]!;
        Assert.Equal((422, "Invalid"), ((int)invalid["status"]!, (string?)invalid["reason"]));
        Assert.Equal("Widget.py.example.com \"tiny\" is invalid: spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1", (string?)invalid["message"]);

        var events = result["events"]!.AsArray().Select(e => ((string?)e!["type"], (string?)e["name"], (int)e["size"]!)).ToList();
        Assert.Equal([("ADDED", "watched", 3), ("MODIFIED", "watched", 4), ("DELETED", "watched", 4)], events);

        // With the definition gone, so are its objects and the resource.
        Assert.Equal(404, (int)result["afterDelete"]!);
        Assert.Empty(cluster.Server.Server.Inspect(c => c.Engine.Store.List("py.example.com", "Widget", null).ToList()));
    }

    [Fact]
    public async Task AutoscalingV1Api_replaces_an_autoscaler_without_losing_the_metrics_and_behavior_only_v2_can_express()
    {
        var result = await RunAsync("autoscaling", "py-autoscaling");
        Assert.Equal(70, (int)result["targetCpu"]!);
        Assert.Equal("""[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":80}}]""", result["metricsAnnotation"]!.ToJsonString());
        Assert.Equal(60, (int)result["behaviorAnnotation"]!["ScaleDown"]!["StabilizationWindowSeconds"]!);

        // The replace answered with the v1 view, annotations again included; the stored v2 object has the new maximum,
        // the memory metric (first, then CPU, as upstream's conversion orders them) and the behavior, and no annotations.
        Assert.Equal(7, (int)result["replacedMaxReplicas"]!);
        var replaced = result["replacedAnnotations"]!.AsArray().Select(n => (string?)n).ToList();
        Assert.Contains("autoscaling.alpha.kubernetes.io/metrics", replaced);
        Assert.Contains("autoscaling.alpha.kubernetes.io/behavior", replaced);
        Assert.Equal((7, "[\"memory\",\"cpu\"]", 60), ((int)result["maxReplicas"]!, result["metrics"]!.ToJsonString(), (int)result["scaleDown"]!));
        Assert.Equal("[]", result["storedAnnotations"]!.ToJsonString());

        Assert.Equal(400, (int)result["malformed"]!["status"]!);
        Assert.StartsWith("metadata.annotations[autoscaling.alpha.kubernetes.io/metrics]: must be a JSON array", (string?)result["malformed"]!["message"], StringComparison.Ordinal);
        Assert.Equal(7, (int)result["afterMalformed"]!);
    }

    // Causes with their keys in order    // Causes with their keys in order, as Python's json.dumps keeps the server's order and C# compares text.
    private static string Sorted(JsonNode causes) =>
        new JsonArray([.. causes.AsArray().Select(c => (JsonNode)new JsonObject(c!.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))))])
            .ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private Task<JsonNode> RunAsync(string scenario, string ns) =>
        PythonClient.RunAsync(Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, "kubeconfig"), scenario, ns);
}
