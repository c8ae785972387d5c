using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// Server-side apply's field ownership through the real kubectl: <c>managedFields</c> per manager, a dropped field
/// removed on the next apply, 409 conflicts naming the owner (and <c>--force-conflicts</c> taking over), shared
/// ownership of equal values, the scale subresource as its own manager, and updates recorded under kubectl's
/// manager names. Each scenario uses objects of its own in the default namespace.
/// </summary>
public sealed class KubectlServerSideApplyTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task A_field_dropped_from_the_next_apply_is_removed_and_managedFields_show_the_applier()
    {
        await Kubectl.OkAsync("apply", "--server-side", "-f", await MapAsync("ssa-drop", "{a: '1', b: '2'}"));
        var output = await Kubectl.OkAsync("apply", "--server-side", "-f", await MapAsync("ssa-drop", "{a: '1'}"));

        Assert.Contains("configmap/ssa-drop serverside-applied", output, StringComparison.Ordinal);
        Assert.Equal("""{"a":"1"}""", await Kubectl.OkAsync("get", "configmap", "ssa-drop", "-o", "jsonpath={.data}"));
        var yaml = await Kubectl.OkAsync("get", "configmap", "ssa-drop", "-o", "yaml", "--show-managed-fields");
        Assert.Matches(@"(?m)^  managedFields:\n  - apiVersion: v1\n    fieldsType: FieldsV1\n    fieldsV1:\n      f:data:\n        f:a: \{\}\n    manager: kubectl\n    operation: Apply\n    time: ""20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ""$", yaml);
        Assert.DoesNotContain("managedFields", await Kubectl.OkAsync("get", "configmap", "ssa-drop", "-o", "yaml"), StringComparison.Ordinal);

        // The same apply again changes nothing: no new resourceVersion, the entry's time kept.
        var before = await Kubectl.OkAsync("get", "configmap", "ssa-drop", "--show-managed-fields", "-o", "jsonpath={.metadata.resourceVersion} {.metadata.managedFields[0].time}");
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(5));
        await Kubectl.OkAsync("apply", "--server-side", "-f", await MapAsync("ssa-drop", "{a: '1'}"));
        Assert.Equal(before, await Kubectl.OkAsync("get", "configmap", "ssa-drop", "--show-managed-fields", "-o", "jsonpath={.metadata.resourceVersion} {.metadata.managedFields[0].time}"));
    }

    [Fact]
    public async Task Changing_a_field_another_manager_applied_is_a_409_naming_it_and_force_conflicts_takes_it()
    {
        await Kubectl.OkAsync("apply", "--server-side", "--field-manager=alice", "-f", await MapAsync("ssa-conflict", "{a: '1', b: '1'}"));
        var bob = await MapAsync("ssa-conflict", "{a: '2'}");
        var (exit, _, error) = await Kubectl.RunAsync("apply", "--server-side", "--field-manager=bob", "-f", bob);

        Assert.Equal(1, exit);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"alice\": .data.a", error, StringComparison.Ordinal);
        Assert.Contains("--force-conflicts", error, StringComparison.Ordinal);
        Assert.Equal("1", await Kubectl.OkAsync("get", "configmap", "ssa-conflict", "-o", "jsonpath={.data.a}"));

        await Kubectl.OkAsync("apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", bob);
        Assert.Equal("2", await Kubectl.OkAsync("get", "configmap", "ssa-conflict", "-o", "jsonpath={.data.a}"));
        var owners = await OwnersAsync("configmap", "ssa-conflict");
        Assert.Equal("""{"f:data":{"f:b":{}}}""", owners["alice/Apply"]);
        Assert.Equal("""{"f:data":{"f:a":{}}}""", owners["bob/Apply"]);
    }

    [Fact]
    public async Task The_same_value_from_two_appliers_is_shared_and_stays_when_one_drops_it()
    {
        await Kubectl.OkAsync("apply", "--server-side", "--field-manager=alice", "-f", await MapAsync("ssa-shared", "{a: '1', b: '1'}"));
        await Kubectl.OkAsync("apply", "--server-side", "--field-manager=bob", "-f", await MapAsync("ssa-shared", "{a: '1'}"));
        var owners = await OwnersAsync("configmap", "ssa-shared");
        Assert.Equal("""{"f:data":{"f:a":{},"f:b":{}}}""", owners["alice/Apply"]);
        Assert.Equal("""{"f:data":{"f:a":{}}}""", owners["bob/Apply"]);

        await Kubectl.OkAsync("apply", "--server-side", "--field-manager=alice", "-f", await MapAsync("ssa-shared", "{b: '1'}"));
        Assert.Equal("""{"a":"1","b":"1"}""", await Kubectl.OkAsync("get", "configmap", "ssa-shared", "-o", "jsonpath={.data}"));
        Assert.Equal("""{"f:data":{"f:b":{}}}""", (await OwnersAsync("configmap", "ssa-shared"))["alice/Apply"]);
    }

    [Fact]
    public async Task Kubectl_scale_owns_replicas_through_the_scale_subresource_so_a_reapply_conflicts_with_it()
    {
        var deployment = await ManifestAsync("ssa-scale", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: ssa-scale}
            spec:
              replicas: 2
              selector: {matchLabels: {app: ssa-scale}}
              template:
                metadata: {labels: {app: ssa-scale}}
                spec: {containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 80}]}]}
            """);
        await Kubectl.OkAsync("apply", "--server-side", "-f", deployment);
        var applied = (await OwnersAsync("deployment", "ssa-scale"))["kubectl/Apply"];
        Assert.Contains("""{"f:replicas":{},"f:selector":{},"f:template":""", applied, StringComparison.Ordinal);
        Assert.Contains("""k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}""", applied, StringComparison.Ordinal);

        await Kubectl.OkAsync("scale", "deployment/ssa-scale", "--replicas=4");
        var (exit, _, error) = await Kubectl.RunAsync("apply", "--server-side", "-f", deployment);
        Assert.Equal(1, exit);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas", error, StringComparison.Ordinal);
        Assert.Equal("4", await Kubectl.OkAsync("get", "deployment", "ssa-scale", "-o", "jsonpath={.spec.replicas}"));

        await Kubectl.OkAsync("apply", "--server-side", "--force-conflicts", "-f", deployment);
        Assert.Equal("2", await Kubectl.OkAsync("get", "deployment", "ssa-scale", "-o", "jsonpath={.spec.replicas}"));
        Assert.DoesNotContain("kubectl/Update/scale", (await OwnersAsync("deployment", "ssa-scale")).Keys);
    }

    [Fact]
    public async Task Create_label_and_edit_style_updates_are_recorded_under_kubectls_manager_names()
    {
        await Kubectl.OkAsync("create", "-f", await MapAsync("ssa-updates", "{a: '1'}"));
        await Kubectl.OkAsync("label", "configmap", "ssa-updates", "tier=front");
        await Kubectl.OkAsync("patch", "configmap", "ssa-updates", "--type=merge", "-p", """{"data":{"a":"2"}}""");
        var owners = await OwnersAsync("configmap", "ssa-updates");

        Assert.Equal(["kubectl-create/Update", "kubectl-label/Update", "kubectl-patch/Update"], owners.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""{"f:metadata":{"f:labels":{".":{},"f:tier":{}}}}""", owners["kubectl-label/Update"]);
        Assert.Equal("""{"f:data":{"f:a":{}}}""", owners["kubectl-patch/Update"]);

        // kubectl-create owned data.a until the patch changed it; it keeps the data map it created (a path with
        // nothing owned under it is written {}, not {".":{}}).
        Assert.Equal("""{"f:data":{}}""", owners["kubectl-create/Update"]);
    }

    [Fact]
    public async Task A_server_dry_run_apply_shows_the_new_owner_and_stores_none()
    {
        await Kubectl.OkAsync("apply", "--server-side", "--field-manager=alice", "-f", await MapAsync("ssa-dry", "{a: '1'}"));
        var before = await Kubectl.OkAsync("get", "configmap", "ssa-dry", "-o", "jsonpath={.metadata.resourceVersion}");
        var preview = await Kubectl.OkAsync("apply", "--server-side", "--field-manager=carol", "--dry-run=server", "-f", await MapAsync("ssa-dry", "{c: '3'}"), "-o", "jsonpath={.metadata.managedFields[*].manager}");

        Assert.Equal("alice carol", preview);
        Assert.Equal(before, await Kubectl.OkAsync("get", "configmap", "ssa-dry", "-o", "jsonpath={.metadata.resourceVersion}"));
        Assert.Equal(["alice/Apply"], (await OwnersAsync("configmap", "ssa-dry")).Keys);
    }

    [Fact]
    public async Task An_apply_without_a_field_manager_or_a_forced_merge_patch_is_422_as_upstream()
    {
        var (status, body) = await cluster.Server.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/ssa-nomanager", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa-nomanager"}}""", "application/apply-patch+yaml");
        Assert.Equal(422, status);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", (string?)body!["message"]);

        var (forced, forcedBody) = await cluster.Server.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/ssa-nomanager?force=true", "{}", "application/merge-patch+json");
        Assert.Equal(422, forced);
        Assert.Contains("force: Forbidden: may not be specified for non-apply patch", (string?)forcedBody!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_the_server_creates_itself_is_an_update_by_kube_apiserver()
    {
        var owners = await OwnersAsync("service", "kubernetes");
        Assert.Equal(["kube-apiserver/Update"], owners.Keys);
        Assert.Contains("""k:{\"port\":443,\"protocol\":\"TCP\"}""", owners["kube-apiserver/Update"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagedFields_set_to_one_empty_entry_are_cleared_and_an_apply_may_not_carry_them()
    {
        await Kubectl.OkAsync("apply", "--server-side", "-f", await MapAsync("ssa-reset", "{a: '1'}"));
        await Kubectl.OkAsync("patch", "configmap", "ssa-reset", "--type=merge", "-p", """{"metadata":{"managedFields":[{}]}}""");
        Assert.Empty(await Kubectl.OkAsync("get", "configmap", "ssa-reset", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields}"));

        // With no managed fields left, the next apply finds every field owned by before-first-apply, as upstream.
        var (exit, _, error) = await Kubectl.RunAsync("apply", "--server-side", "--field-manager=bob", "-f", await MapAsync("ssa-reset", "{a: '2'}"));
        Assert.Equal(1, exit);
        Assert.Contains("conflict with \"before-first-apply\" using v1: .data.a", error, StringComparison.Ordinal);
        await Kubectl.OkAsync("apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", await MapAsync("ssa-reset", "{a: '2'}"));
        Assert.Equal(["before-first-apply/Update", "bob/Apply"], (await OwnersAsync("configmap", "ssa-reset")).Keys.Order(StringComparer.Ordinal));

        var (status, body) = await cluster.Server.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/ssa-reset?fieldManager=bob",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa-reset","managedFields":[]}}""", "application/apply-patch+yaml");
        Assert.Equal((400, "metadata.managedFields must be nil"), (status, (string?)body!["message"]));
    }

    [Fact]
    public async Task A_conflict_Status_lists_each_field_as_a_FieldManagerConflict_cause()
    {
        await Kubectl.OkAsync("apply", "--server-side", "--field-manager=alice", "-f", await MapAsync("ssa-causes", "{a: '1', b: '1'}"));
        var (status, body) = await cluster.Server.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/ssa-causes?fieldManager=bob",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa-causes"},"data":{"a":"2","b":"2"}}""", "application/apply-patch+yaml");

        Assert.Equal(409, status);
        Assert.Equal(("Conflict", "Apply failed with 2 conflicts: conflicts with \"alice\":\n- .data.a\n- .data.b"), ((string?)body!["reason"], (string?)body["message"]));
        Assert.Equal(
            """[{"reason":"FieldManagerConflict","message":"conflict with \"alice\"","field":".data.a"},{"reason":"FieldManagerConflict","message":"conflict with \"alice\"","field":".data.b"}]""",
            body["details"]!["causes"]!.ToJsonString(Relaxed));
    }

    // Each entry's fieldsV1 by "manager/operation[/subresource]", read back with kubectl.
    private async Task<Dictionary<string, string>> OwnersAsync(string kind, string name)
    {
        var json = JsonNode.Parse(await Kubectl.OkAsync("get", kind, name, "-o", "json", "--show-managed-fields"))!;
        return json["metadata"]!["managedFields"]!.AsArray().ToDictionary(
            e => string.Join('/', new[] { (string?)e!["manager"], (string?)e["operation"], (string?)e["subresource"] }.Where(s => !string.IsNullOrEmpty(s))),
            e => e!["fieldsV1"]!.ToJsonString(Relaxed));
    }

    private Task<string> MapAsync(string name, string data) =>
        ManifestAsync(name, $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\ndata: {data}\n");

    private async Task<string> ManifestAsync(string name, string yaml)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
