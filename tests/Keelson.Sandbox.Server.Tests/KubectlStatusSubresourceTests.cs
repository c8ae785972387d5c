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
        var controller = Assert.Single(entries, e => (string?)e!["manager"] == "kube-controller-manager" && (string?)e["subresource"] == "scale")!;
        Assert.Equal(("Update", "apps/v1"), ((string?)controller["operation"], (string?)controller["apiVersion"]));
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

    [Fact]
    public async Task Controller_and_kubelet_status_writes_show_in_managedFields_and_only_a_status_apply_conflicts_with_them()
    {
        const string Ns = "status-owners";
        await Kubectl.OkAsync("create", "namespace", Ns);
        await Kubectl.OkAsync("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "-n", Ns);
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(60));

        // As a real cluster shows them: the deployment controller's status (and the revision annotation it sets through
        // /status), the ReplicaSet it created and its status, the pods the ReplicaSet controller created and the
        // kubelet's pod status; nobody owns the PodScheduled condition the binding set.
        var deployment = await EntriesAsync("deploy", "web", Ns);
        var status = Assert.Single(deployment, e => Is(e, "kube-controller-manager", "status"))!;
        Assert.Equal(("Update", "apps/v1"), ((string?)status["operation"], (string?)status["apiVersion"]));
        Assert.NotNull(status["fieldsV1"]!["f:metadata"]!["f:annotations"]!["f:deployment.kubernetes.io/revision"]);
        Assert.NotNull(status["fieldsV1"]!["f:status"]!["f:conditions"]!["k:{\"type\":\"Available\"}"]);
        Assert.NotNull(status["fieldsV1"]!["f:status"]!["f:readyReplicas"]);
        Assert.DoesNotContain(deployment, e => Is(e, "kubectl-create", null) && e!["fieldsV1"]!.AsObject().ContainsKey("f:status"));

        var rs = await SelectedEntriesAsync("rs", "app=web", Ns);
        Assert.NotNull(Assert.Single(rs, e => Is(e, "kube-controller-manager", null))!["fieldsV1"]!["f:metadata"]!["f:ownerReferences"]);
        Assert.NotNull(Assert.Single(rs, e => Is(e, "kube-controller-manager", "status"))!["fieldsV1"]!["f:status"]!["f:availableReplicas"]);

        var pod = JsonNode.Parse(await Kubectl.OkAsync("get", "pods", "-n", Ns, "-l", "app=web", "-o", "json", "--show-managed-fields"))!["items"]![0]!;
        var podEntries = pod["metadata"]!["managedFields"]!.AsArray();
        var kubelet = Assert.Single(podEntries, e => Is(e, "kubelet", "status"))!["fieldsV1"]!["f:status"]!;
        Assert.NotNull(kubelet["f:podIPs"]!["k:{\"ip\":\"" + (string?)pod["status"]!["podIP"] + "\"}"]);
        Assert.NotNull(kubelet["f:conditions"]!["k:{\"type\":\"Ready\"}"]);
        Assert.NotNull(Assert.Single(podEntries, e => Is(e, "kube-controller-manager", null))!["fieldsV1"]!["f:spec"]!["f:containers"]);
        Assert.DoesNotContain("PodScheduled", podEntries.ToJsonString(), StringComparison.Ordinal);

        var node = (await Kubectl.OkAsync("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        Assert.Single(await EntriesAsync("node", node, null), e => Is(e, "kubelet", "status"));

        // Events are created by their reporting component, each its own field manager, as on a real cluster.
        var events = JsonNode.Parse(await Kubectl.OkAsync("get", "events", "-n", Ns, "-o", "json", "--show-managed-fields"))!["items"]!.AsArray();
        string? ManagerOfEvent(params string[] reasons)
        {
            var entry = Assert.Single(events.First(e => reasons.Contains((string?)e!["reason"]))!["metadata"]!["managedFields"]!.AsArray())!;
            Assert.Equal(("Update", "v1"), ((string?)entry["operation"], (string?)entry["apiVersion"]));
            Assert.NotNull(entry["fieldsV1"]!["f:involvedObject"]);
            return (string?)entry["manager"];
        }

        Assert.Equal("kube-controller-manager", ManagerOfEvent("ScalingReplicaSet"));
        Assert.Equal("kube-scheduler", ManagerOfEvent("Scheduled"));
        Assert.Equal("kubelet", ManagerOfEvent("Pulling", "Pulled"));

        // A main-resource apply that carries a status does not conflict with the controller (status is not applied
        // there); a status apply of a field the controller owns does, as upstream.
        const string Manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
            status: {readyReplicas: 9}
            """;
        await Kubectl.OkAsync("apply", "--server-side", "--field-manager=ops", "-n", Ns, "-f", await WriteAsync("owners-main.yaml", Manifest));
        Assert.Equal("2", await Kubectl.OkAsync("get", "deploy", "web", "-n", Ns, "-o", "jsonpath={.status.readyReplicas}"));
        var (exit, _, error) = await Kubectl.RunAsync("apply", "--server-side", "--subresource=status", "--field-manager=ops", "-n", Ns, "-f", await WriteAsync("owners-status.yaml", Manifest));
        Assert.NotEqual(0, exit);
        Assert.Contains("conflict with \"kube-controller-manager\" with subresource \"status\" using apps/v1: .status.readyReplicas", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_definitions_status_is_written_by_the_api_server_and_through_its_subresource_only()
    {
        await Kubectl.OkAsync("apply", "-f", await WriteAsync("gadgets.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: gadgets.status.example.com
            spec:
              group: status.example.com
              scope: Namespaced
              names: {plural: gadgets, kind: Gadget}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """));
        await Kubectl.OkAsync("wait", "--for", "condition=established", "crd/gadgets.status.example.com", "--timeout=20s");
        const string Conditions = "jsonpath={range .status.conditions[*]}{.type}={.status}:{.reason} {end}|{.status.acceptedNames.singular}|{.status.acceptedNames.listKind}|{.status.storedVersions[*]}";
        Assert.Equal("NamesAccepted=True:NoConflicts Established=True:InitialNamesAccepted |gadget|GadgetList|v1",
            await Kubectl.OkAsync("get", "crd", "gadgets.status.example.com", "--subresource=status", "-o", Conditions));
        Assert.Contains("customresourcedefinitions/status", await Kubectl.OkAsync("get", "--raw", "/apis/apiextensions.k8s.io/v1"), StringComparison.Ordinal);
        var apiServer = Assert.Single(await EntriesAsync("crd", "gadgets.status.example.com", null), e => Is(e, "kube-apiserver", "status"))!;
        Assert.NotNull(apiServer["fieldsV1"]!["f:status"]!["f:acceptedNames"]);
        Assert.NotNull(apiServer["fieldsV1"]!["f:status"]!["f:conditions"]!["k:{\"type\":\"Established\"}"]);

        // The main resource takes no status; /status does, and the API server keeps a condition of another type.
        await Kubectl.OkAsync("patch", "crd", "gadgets.status.example.com", "--type=json", "-p", """[{"op":"add","path":"/status/storedVersions/-","value":"v0"}]""");
        await Kubectl.OkAsync("patch", "crd", "gadgets.status.example.com", "--subresource=status", "--type=json", "-p",
            """[{"op":"add","path":"/status/conditions/-","value":{"type":"Audited","status":"True","reason":"Checked","message":"by the auditor","lastTransitionTime":"2026-01-05T09:00:00Z"}}]""");
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("NamesAccepted=True:NoConflicts Established=True:InitialNamesAccepted Audited=True:Checked |gadget|GadgetList|v1",
            await Kubectl.OkAsync("get", "crd", "gadgets.status.example.com", "-o", Conditions));
    }

    private static bool Is(JsonNode? entry, string manager, string? subresource) =>
        (string?)entry!["manager"] == manager && (string?)entry["subresource"] == subresource;

    // The managedFields of one object.
    private async Task<JsonArray> EntriesAsync(string kind, string name, string? ns)
    {
        string[] scope = ns is null ? [] : ["-n", ns];
        var item = JsonNode.Parse(await Kubectl.OkAsync(["get", kind, name, .. scope, "-o", "json", "--show-managed-fields"]))!;
        return item["metadata"]!["managedFields"]!.AsArray();
    }

    // The managedFields of the first object a label selector finds.
    private async Task<JsonArray> SelectedEntriesAsync(string kind, string selector, string ns)
    {
        var list = JsonNode.Parse(await Kubectl.OkAsync("get", kind, "-l", selector, "-n", ns, "-o", "json", "--show-managed-fields"))!;
        return list["items"]![0]!["metadata"]!["managedFields"]!.AsArray();
    }

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
