using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// The <c>status</c> subresource through the real kubectl (<c>--subresource=status</c> on get, patch, replace and
/// server-side apply): a write there changes only the status, a write to the main resource ignores the status,
/// and the writer is recorded in <c>managedFields</c> with <c>subresource: status</c>.
/// </summary>
public sealed class KubectlStatusSubresourceTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task A_load_balancer_status_patched_through_the_subresource_shows_as_external_ip_and_main_writes_ignore_status()
    {
        const string Ns = "status-svc";
        await Kubectl.OkAsync("create", "namespace", Ns);
        await Kubectl.OkAsync("create", "service", "loadbalancer", "edge", "--tcp=80:8080", "-n", Ns);
        Assert.Matches(@"\nedge\s+LoadBalancer\s+\S+\s+<pending>\s+80(:\d+)?/TCP\s", await Kubectl.OkAsync("get", "svc", "edge", "-n", Ns));

        var patched = await Kubectl.OkAsync("patch", "svc", "edge", "-n", Ns, "--subresource=status", "--type=merge", "-p",
            """{"metadata":{"labels":{"sneaky":"yes"}},"spec":{"ports":[{"port":81,"targetPort":8080}]},"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}}""");
        Assert.Contains("service/edge patched", patched);

        Assert.Matches(@"\nedge\s+LoadBalancer\s+\S+\s+203\.0\.113\.10\s+80(:\d+)?/TCP\s", await Kubectl.OkAsync("get", "svc", "edge", "-n", Ns));
        Assert.Matches(@"^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\n", await Kubectl.OkAsync("get", "svc", "edge", "-n", Ns, "--subresource=status"));
        Assert.Equal("203.0.113.10|80|", await Kubectl.OkAsync("get", "svc", "edge", "-n", Ns, "--subresource=status", "-o",
            "jsonpath={.status.loadBalancer.ingress[0].ip}|{.spec.ports[0].port}|{.metadata.labels.sneaky}"));

        // The main resource takes no status: the address stays.
        await Kubectl.OkAsync("patch", "svc", "edge", "-n", Ns, "--type=merge", "-p", """{"status":{"loadBalancer":{"ingress":[{"ip":"198.51.100.1"}]}}}""");
        Assert.Equal("203.0.113.10", await Kubectl.OkAsync("get", "svc", "edge", "-n", Ns, "-o", "jsonpath={.status.loadBalancer.ingress[*].ip}"));

        var entries = JsonNode.Parse(await Kubectl.OkAsync("get", "svc", "edge", "-n", Ns, "-o", "json", "--show-managed-fields"))!["metadata"]!["managedFields"]!.AsArray();
        var status = Assert.Single(entries, e => (string?)e!["subresource"] == "status")!;
        Assert.Equal(("kubectl-patch", "Update", "v1"), ((string?)status["manager"], (string?)status["operation"], (string?)status["apiVersion"]));
        Assert.Equal("""{"f:status":{"f:loadBalancer":{"f:ingress":{}}}}""", status["fieldsV1"]!.ToJsonString());
        Assert.DoesNotContain(entries, e => (string?)e!["subresource"] != "status" && e!["fieldsV1"]!.AsObject().ContainsKey("f:status"));
    }

    [Fact]
    public async Task Deployment_conditions_merge_through_a_strategic_status_patch_and_survive_the_controller()
    {
        const string Ns = "status-deploy";
        await Kubectl.OkAsync("create", "namespace", Ns);
        await Kubectl.OkAsync("create", "deployment", "web", "--image=nginx:1.27", "-n", Ns);
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(30));

        await Kubectl.OkAsync("patch", "deploy", "web", "-n", Ns, "--subresource=status", "-p",
            """{"status":{"conditions":[{"type":"Audited","status":"True","reason":"Checked","message":"by the auditor"}]}}""");
        await Kubectl.OkAsync("patch", "deploy", "web", "-n", Ns, "--subresource=status", "--type=json", "-p", """[{"op":"replace","path":"/spec/replicas","value":9}]""");
        await Kubectl.OkAsync("scale", "deploy", "web", "-n", Ns, "--replicas=2");
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal("Available Progressing Audited|2|2", await Kubectl.OkAsync("get", "deploy", "web", "-n", Ns, "--subresource=status", "-o",
            "jsonpath={.status.conditions[*].type}|{.spec.replicas}|{.status.readyReplicas}"));
        Assert.Equal("by the auditor", await Kubectl.OkAsync("get", "deploy", "web", "-n", Ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Audited\")].message}"));
    }

    [Fact]
    public async Task A_custom_kind_declaring_the_status_subresource_takes_status_only_there_and_by_server_side_apply()
    {
        const string Ns = "status-crd";
        await Kubectl.OkAsync("create", "namespace", Ns);
        await Kubectl.OkAsync("apply", "-f", await WriteAsync("widgets.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.status.example.com
            spec:
              group: status.example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget}
              versions:
              - name: v1
                served: true
                storage: true
                subresources:
                  status: {}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          size: {type: integer}
                      status:
                        type: object
                        properties:
                          phase: {type: string}
                          ready: {type: integer}
            """));
        await Kubectl.OkAsync("wait", "--for", "condition=established", "crd/widgets.status.example.com", "--timeout=20s");
        Assert.Contains("widgets/status", await Kubectl.OkAsync("get", "--raw", "/apis/status.example.com/v1"));

        // Created with a status: the status is dropped, as the API server drops it.
        var widget = await WriteAsync("widget.yaml", """
            apiVersion: status.example.com/v1
            kind: Widget
            metadata: {name: gear}
            spec: {size: 3}
            status: {phase: Faked}
            """);
        await Kubectl.OkAsync("apply", "-n", Ns, "-f", widget);
        Assert.Equal("3|", await Kubectl.OkAsync("get", "widget", "gear", "-n", Ns, "-o", "jsonpath={.spec.size}|{.status.phase}"));

        await Kubectl.OkAsync("patch", "widget", "gear", "-n", Ns, "--subresource=status", "--type=merge", "-p", """{"spec":{"size":7},"status":{"phase":"Ready","ready":3}}""");
        Assert.Equal("3|Ready|3", await Kubectl.OkAsync("get", "widget", "gear", "-n", Ns, "-o", "jsonpath={.spec.size}|{.status.phase}|{.status.ready}"));

        // Server-side apply of the status by a controller: it takes status.phase from the patch's manager (a conflict
        // without --force-conflicts); another applier changing it then conflicts with the controller.
        var (refused, _, conflict) = await Kubectl.RunAsync("apply", "--server-side", "--subresource=status", "--field-manager=widget-controller", "-n", Ns, "-f", await WriteAsync("status-0.yaml", """
            apiVersion: status.example.com/v1
            kind: Widget
            metadata: {name: gear}
            status: {phase: Serving}
            """));
        Assert.NotEqual(0, refused);
        Assert.Contains("conflict with \"kubectl-patch\" with subresource \"status\" using status.example.com/v1: .status.phase", conflict);
        await Kubectl.OkAsync("apply", "--server-side", "--subresource=status", "--force-conflicts", "--field-manager=widget-controller", "-n", Ns, "-f", await WriteAsync("status-1.yaml", """
            apiVersion: status.example.com/v1
            kind: Widget
            metadata: {name: gear}
            status: {phase: Serving}
            """));
        var (exit, _, error) = await Kubectl.RunAsync("apply", "--server-side", "--subresource=status", "--field-manager=intruder", "-n", Ns, "-f", await WriteAsync("status-2.yaml", """
            apiVersion: status.example.com/v1
            kind: Widget
            metadata: {name: gear}
            status: {phase: Broken}
            """));
        Assert.NotEqual(0, exit);
        Assert.Contains("conflict with \"widget-controller\" with subresource \"status\"", error);
        Assert.Contains(".status.phase", error);

        // A main-resource apply that still carries the old status leaves the stored status alone.
        await Kubectl.OkAsync("apply", "-n", Ns, "-f", widget);
        Assert.Equal("Serving|3", await Kubectl.OkAsync("get", "widget", "gear", "-n", Ns, "-o", "jsonpath={.status.phase}|{.status.ready}"));
        var entries = JsonNode.Parse(await Kubectl.OkAsync("get", "widget", "gear", "-n", Ns, "-o", "json", "--show-managed-fields"))!["metadata"]!["managedFields"]!.AsArray();
        var applied = Assert.Single(entries, e => (string?)e!["manager"] == "widget-controller")!;
        Assert.Equal(("Apply", "status"), ((string?)applied["operation"], (string?)applied["subresource"]));
        Assert.Equal("""{"f:status":{"f:phase":{}}}""", applied["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public async Task Kinds_without_a_status_subresource_refuse_it()
    {
        await Kubectl.OkAsync("create", "configmap", "plain", "-n", "default", "--from-literal=a=1");
        var (exit, _, error) = await Kubectl.RunAsync("get", "configmap", "plain", "-n", "default", "--subresource=status");
        Assert.NotEqual(0, exit);
        Assert.Contains("the server could not find the requested resource", error);
    }

    [Fact]
    public async Task Cluster_scoped_kinds_serve_their_status_too()
    {
        var ns = JsonNode.Parse(await Kubectl.OkAsync("get", "--raw", "/api/v1/namespaces/default/status"))!;
        Assert.Equal(("Namespace", "default", "Active"), ((string?)ns["kind"], (string?)ns["metadata"]!["name"], (string?)ns["status"]!["phase"]));
        var node = (await Kubectl.OkAsync("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        Assert.Equal("True", await Kubectl.OkAsync("get", "node", node, "--subresource=status", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"));
    }

    [Fact]
    public async Task The_hpa_controllers_replicas_are_owned_by_kube_controller_manager_through_scale()
    {
        const string Ns = "status-hpa";
        await Kubectl.OkAsync("create", "namespace", Ns);
        await Kubectl.OkAsync("create", "deployment", "busy", "--image=nginx:1.27", "--replicas=1", "-n", Ns);
        await Kubectl.OkAsync("autoscale", "deploy/busy", "--min=3", "--max=5", "--cpu-percent=60", "-n", Ns);
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(60));

        var deployment = JsonNode.Parse(await Kubectl.OkAsync("get", "deploy", "busy", "-n", Ns, "-o", "json", "--show-managed-fields"))!;
        Assert.Equal(3, (int)deployment["spec"]!["replicas"]!);
        var entries = deployment["metadata"]!["managedFields"]!.AsArray();
        var controller = Assert.Single(entries, e => (string?)e!["manager"] == "kube-controller-manager")!;
        Assert.Equal(("Update", "apps/v1", "scale"), ((string?)controller["operation"], (string?)controller["apiVersion"], (string?)controller["subresource"]));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", controller["fieldsV1"]!.ToJsonString());
        var created = Assert.Single(entries, e => (string?)e!["manager"] == "kubectl-create")!;
        Assert.False(created["fieldsV1"]!["f:spec"]!.AsObject().ContainsKey("f:replicas"));

        // As against a real cluster, an apply that sets replicas now conflicts with the controller.
        var (exit, _, error) = await Kubectl.RunAsync("apply", "--server-side", "--field-manager=ops", "-n", Ns, "-f", await WriteAsync("busy.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: busy}
            spec:
              replicas: 1
              selector: {matchLabels: {app: busy}}
              template:
                metadata: {labels: {app: busy}}
                spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
            """));
        Assert.NotEqual(0, exit);
        Assert.Contains("conflict with \"kube-controller-manager\" with subresource \"scale\" using apps/v1: .spec.replicas", error);
    }

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
