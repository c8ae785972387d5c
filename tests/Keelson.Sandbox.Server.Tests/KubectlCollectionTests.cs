using System.Text.Json.Nodes;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// <c>deletecollection</c> (DELETE on a collection with selectors) and a watch from a resourceVersion older than
/// the kept history, through the real kubectl's <c>--raw</c> requests.
/// </summary>
public sealed class KubectlCollectionTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    /// <summary>More config map changes than the watch history keeps (4,096 per resource), in a namespace of their own.</summary>
    internal static void PushOutOldConfigMapVersions(SandboxApiServer server)
    {
        server.Inspect(c =>
        {
            c.Apply(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "churn" } });
            var map = (V1ConfigMap)c.Apply(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "churn", NamespaceProperty = "churn" }, Data = new Dictionary<string, string> { ["n"] = "0" } });
            var stored = c.Engine.Store.Get<V1ConfigMap>("churn", "churn")!;
            for (var i = 1; i <= 4200; i++)
            {
                stored.Data["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                c.Engine.Store.Update(stored);
            }

            return map;
        });
    }

    [Fact]
    public async Task Deletecollection_deletes_what_the_label_selector_matches_and_answers_the_deleted_list()
    {
        await Kubectl.OkAsync("create", "namespace", "dc");
        foreach (var (name, batch) in new[] { ("a", "old"), ("b", "old"), ("c", "new") })
        {
            await Kubectl.OkAsync("create", "configmap", name, "-n", "dc", "--from-literal=k=v");
            await Kubectl.OkAsync("label", "configmap", name, "-n", "dc", $"batch={batch}");
        }

        var dry = JsonNode.Parse(await Kubectl.OkAsync("delete", "--raw", "/api/v1/namespaces/dc/configmaps?labelSelector=batch%3Dold&dryRun=All"))!;
        Assert.Equal(2, dry["items"]!.AsArray().Count);
        Assert.Equal("a b c", await Kubectl.OkAsync("get", "configmaps", "-n", "dc", "-l", "batch", "-o", "jsonpath={.items[*].metadata.name}"));

        var deleted = JsonNode.Parse(await Kubectl.OkAsync("delete", "--raw", "/api/v1/namespaces/dc/configmaps?labelSelector=batch%3Dold"))!;
        Assert.Equal("ConfigMapList", (string?)deleted["kind"]);
        Assert.Equal(["a", "b"], deleted["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));
        Assert.Equal("c", await Kubectl.OkAsync("get", "configmaps", "-n", "dc", "-l", "batch", "-o", "jsonpath={.items[*].metadata.name}"));
    }

    [Fact]
    public async Task Deletecollection_takes_field_selectors_and_is_not_served_for_namespaces()
    {
        await Kubectl.OkAsync("create", "namespace", "dc-fields");
        await Kubectl.OkAsync("create", "configmap", "keep", "-n", "dc-fields");
        await Kubectl.OkAsync("create", "configmap", "drop", "-n", "dc-fields");
        await Kubectl.OkAsync("delete", "--raw", "/api/v1/namespaces/dc-fields/configmaps?fieldSelector=metadata.name%3Ddrop");
        Assert.Equal("keep", await Kubectl.OkAsync("get", "configmaps", "-n", "dc-fields", "-o", "jsonpath={.items[*].metadata.name}"));

        var (exit, _, error) = await Kubectl.RunAsync("delete", "--raw", "/api/v1/namespaces");
        Assert.NotEqual(0, exit);
        Assert.Contains("MethodNotAllowed", error, StringComparison.Ordinal);
        var verbs = await Kubectl.OkAsync("get", "--raw", "/api/v1");
        var resources = JsonNode.Parse(verbs)!["resources"]!.AsArray();
        Assert.Contains("deletecollection", resources.Single(r => (string?)r!["name"] == "configmaps")!["verbs"]!.AsArray().Select(v => (string?)v));
        Assert.DoesNotContain("deletecollection", resources.Single(r => (string?)r!["name"] == "namespaces")!["verbs"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public async Task A_watch_from_a_version_older_than_the_kept_history_is_one_410_Expired_event()
    {
        PushOutOldConfigMapVersions(cluster.Server.Server);
        var output = await Kubectl.OkAsync("get", "--raw", "/api/v1/namespaces/churn/configmaps?watch=1&resourceVersion=1");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = JsonNode.Parse(Assert.Single(lines))!;
        Assert.Equal("ERROR", (string?)error["type"]);
        Assert.Equal(("Status", 410, "Expired"), ((string?)error["object"]!["kind"], (int)error["object"]!["code"]!, (string?)error["object"]!["reason"]));
        Assert.Matches(@"^too old resource version: 1 \(\d+\)$", (string?)error["object"]!["message"]);

        // From a version still kept the watch is served as before: the changes since, no error.
        var recent = long.Parse(await Kubectl.OkAsync("get", "configmap", "churn", "-n", "churn", "-o", "jsonpath={.metadata.resourceVersion}"), System.Globalization.CultureInfo.InvariantCulture);
        var replay = await Kubectl.OkAsync("get", "--raw", $"/api/v1/namespaces/churn/configmaps?watch=1&resourceVersion={recent - 2}&timeoutSeconds=1");
        var events = replay.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["MODIFIED", "MODIFIED"], events.Select(e => (string?)e["type"]));
        Assert.Equal("4200", (string?)events[^1]["object"]!["data"]!["n"]);
    }

    [Fact]
    public async Task Changes_older_than_the_history_window_are_compacted_away_so_a_watch_from_before_them_is_410()
    {
        await Kubectl.OkAsync("create", "namespace", "window");
        await Kubectl.OkAsync("create", "configmap", "w", "-n", "window", "--from-literal=k=1");
        var before = await Kubectl.OkAsync("get", "configmap", "w", "-n", "window", "-o", "jsonpath={.metadata.resourceVersion}");
        await Kubectl.OkAsync("patch", "configmap", "w", "-n", "window", "-p", """{"data":{"k":"2"}}""");

        // Within the window (5 minutes of cluster time) the change is replayed.
        var replay = await Kubectl.OkAsync("get", "--raw", $"/api/v1/namespaces/window/configmaps?watch=1&resourceVersion={before}&timeoutSeconds=1");
        var change = JsonNode.Parse(Assert.Single(replay.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal(("MODIFIED", "2"), ((string?)change["type"], (string?)change["object"]!["data"]!["k"]));

        // Past it the change is compacted, as etcd compacts: the old version is gone, the current one still serves.
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(6));
        var expired = JsonNode.Parse(Assert.Single((await Kubectl.OkAsync("get", "--raw", $"/api/v1/namespaces/window/configmaps?watch=1&resourceVersion={before}")).Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal(("ERROR", 410), ((string?)expired["type"], (int)expired["object"]!["code"]!));
        var now = (string?)JsonNode.Parse(await Kubectl.OkAsync("get", "--raw", "/api/v1/namespaces/window/configmaps"))!["metadata"]!["resourceVersion"];
        var quiet = await Kubectl.OkAsync("get", "--raw", $"/api/v1/namespaces/window/configmaps?watch=1&resourceVersion={now}&timeoutSeconds=1");
        Assert.DoesNotContain("ERROR", quiet, StringComparison.Ordinal);
    }
}
