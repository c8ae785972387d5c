namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// What every cluster has, through the real kubectl: a <c>default</c> ServiceAccount in each namespace, the
/// <c>kubernetes</c> Service, addresses on nodes and pods, and namespace deletion through <c>Terminating</c>.
/// </summary>
public sealed class KubectlClusterBasicsTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    private SandboxApiServer Server => cluster.Server.Server;

    [Fact]
    public async Task A_new_namespace_gets_a_default_service_account_and_its_name_label()
    {
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("ns-team", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n"));
        Assert.Equal("default", await Kubectl.OkAsync("get", "serviceaccount", "default", "-n", "team", "-o", "jsonpath={.metadata.name}"));
        Assert.Equal("team|kubernetes|Active", await Kubectl.OkAsync("get", "ns", "team", "-o",
            "jsonpath={.metadata.labels.kubernetes\\.io/metadata\\.name}|{.spec.finalizers[0]}|{.status.phase}"));
    }

    [Fact]
    public async Task The_kubernetes_service_is_in_default()
    {
        Assert.Equal("10.96.0.1|443|6443|TCP", await Kubectl.OkAsync("get", "svc", "kubernetes", "-n", "default", "-o",
            "jsonpath={.spec.clusterIP}|{.spec.ports[0].port}|{.spec.ports[0].targetPort}|{.spec.ports[0].protocol}"));
    }

    [Fact]
    public async Task Nodes_and_running_pods_have_addresses()
    {
        var node = (await Kubectl.OkAsync("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        var addresses = await Kubectl.OkAsync("get", "node", node, "-o", "jsonpath={range .status.addresses[*]}{.type}={.address};{end}");
        Assert.Matches($@"^InternalIP=10\.0\.\d+\.\d+;Hostname={node};$", addresses);

        await Kubectl.OkAsync("create", "-f", await ManifestAsync("ip-pod", "apiVersion: v1\nkind: Pod\nmetadata: {name: ip-pod}\nspec: {containers: [{name: c, image: 'busybox:1.36'}]}\n"));
        Server.Advance(TimeSpan.FromSeconds(30));
        var ips = await Kubectl.OkAsync("get", "pod", "ip-pod", "-o", "jsonpath={.status.podIP}|{.status.podIPs[0].ip}|{.status.hostIPs[0].ip}");
        Assert.Matches(@"^(10\.244\.\d+\.\d+)\|\1\|10\.0\.\d+\.\d+$", ips);
    }

    [Fact]
    public async Task A_deleted_namespace_is_Terminating_until_its_pods_are_gone()
    {
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("doomed", """
            apiVersion: v1
            kind: Namespace
            metadata: {name: doomed}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: worker, namespace: doomed}
            spec: {containers: [{name: c, image: "busybox:1.36"}]}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: doomed}
            data: {mode: v1}
            """));
        Server.Advance(TimeSpan.FromSeconds(30));

        Assert.Contains("namespace \"doomed\" deleted", await Kubectl.OkAsync("delete", "ns", "doomed", "--wait=false"), StringComparison.Ordinal);

        Assert.Equal("Terminating", await Kubectl.OkAsync("get", "ns", "doomed", "-o", "jsonpath={.status.phase}"));
        Assert.Contains("NotFound", (await Kubectl.RunAsync("get", "configmap", "settings", "-n", "doomed")).Error, StringComparison.Ordinal);
        var refused = await Kubectl.RunAsync("apply", "-f", await ManifestAsync("late", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late, namespace: doomed}\n"));
        Assert.NotEqual(0, refused.Exit);
        Assert.Contains("unable to create new content in namespace doomed because it is being terminated", refused.Error, StringComparison.Ordinal);

        Server.Advance(TimeSpan.FromSeconds(40));
        Assert.Contains("NotFound", (await Kubectl.RunAsync("get", "ns", "doomed")).Error, StringComparison.Ordinal);
    }

    private async Task<string> ManifestAsync(string name, string yaml)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
