using System.Text;
using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests.Protobuf;

/// <summary>
/// kubectl's typed commands (create namespace|deployment|configmap|secret|job|cronjob, drain) send protobuf bodies;
/// each test runs the real kubectl at -v=7, checks that its request really was protobuf, then reads the stored
/// object back as JSON.
/// </summary>
public sealed class KubectlProtobufTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private const string SentProtobuf = "Content-Type: application/vnd.kubernetes.protobuf";

    private Kubectl Kubectl => cluster.Kubectl;

    private TestServer Server => cluster.Server;

    [Fact]
    public async Task Create_namespace_is_sent_as_protobuf_and_stored()
    {
        var output = await ProtobufOkAsync("create", "namespace", "pb-ns");

        Assert.Contains("namespace/pb-ns created", output, StringComparison.Ordinal);
        var stored = await GetJsonAsync("/api/v1/namespaces/pb-ns");
        Assert.Equal("pb-ns", (string?)stored["metadata"]!["name"]);
        Assert.Null(stored["metadata"]!["generateName"]);
    }

    [Fact]
    public async Task Create_deployment_keeps_replicas_image_port_and_selector()
    {
        var ns = await NamespaceAsync("pb-deploy");

        await ProtobufOkAsync("create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=8080", "-n", ns);

        var stored = await GetJsonAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web");
        var spec = stored["spec"]!;
        Assert.Equal(3, (int)spec["replicas"]!);
        Assert.Equal("web", (string?)spec["selector"]!["matchLabels"]!["app"]);
        Assert.Equal("web", (string?)spec["template"]!["metadata"]!["labels"]!["app"]);
        var container = spec["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(("nginx", "nginx:1.27"), ((string?)container["name"], (string?)container["image"]));
        Assert.Equal(8080, (int)container["ports"]![0]!["containerPort"]!);
    }

    [Fact]
    public async Task Create_configmap_from_literals_stores_every_value()
    {
        var ns = await NamespaceAsync("pb-cm");

        await ProtobufOkAsync("create", "configmap", "settings", "--from-literal=mode=prod", "--from-literal=greeting=hello world", "-n", ns);

        var data = (await GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps/settings"))["data"]!;
        Assert.Equal(("prod", "hello world"), ((string?)data["mode"], (string?)data["greeting"]));
    }

    [Fact]
    public async Task Create_secret_generic_keeps_the_bytes_and_their_base64()
    {
        var ns = await NamespaceAsync("pb-secret");
        const string password = "p@ss:w0rd/ü=+";

        await ProtobufOkAsync("create", "secret", "generic", "db", $"--from-literal=password={password}", "--from-literal=user=admin", "-n", ns);

        var stored = await GetJsonAsync($"/api/v1/namespaces/{ns}/secrets/db");
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), (string?)stored["data"]!["password"]);
        Assert.Equal("YWRtaW4=", (string?)stored["data"]!["user"]);
    }

    [Fact]
    public async Task Create_job_keeps_its_command_and_restart_policy()
    {
        var ns = await NamespaceAsync("pb-job");

        await ProtobufOkAsync("create", "job", "hello", "--image=busybox:1.36", "-n", ns, "--", "echo", "hi there");

        var pod = (await GetJsonAsync($"/apis/batch/v1/namespaces/{ns}/jobs/hello"))["spec"]!["template"]!["spec"]!;
        Assert.Equal("Never", (string?)pod["restartPolicy"]);
        Assert.Equal("busybox:1.36", (string?)pod["containers"]![0]!["image"]);
        Assert.Equal(["echo", "hi there"], pod["containers"]![0]!["command"]!.AsArray().Select(c => (string?)c));
    }

    [Fact]
    public async Task Create_cronjob_keeps_its_schedule_and_job_template()
    {
        var ns = await NamespaceAsync("pb-cron");

        await ProtobufOkAsync("create", "cronjob", "report", "--image=busybox:1.36", "--schedule=*/5 * * * *", "--restart=OnFailure", "-n", ns, "--", "date");

        var spec = (await GetJsonAsync($"/apis/batch/v1/namespaces/{ns}/cronjobs/report"))["spec"]!;
        Assert.Equal("*/5 * * * *", (string?)spec["schedule"]);
        var pod = spec["jobTemplate"]!["spec"]!["template"]!["spec"]!;
        Assert.Equal("OnFailure", (string?)pod["restartPolicy"]);
        Assert.Equal(["date"], pod["containers"]![0]!["command"]!.AsArray().Select(c => (string?)c));
    }

    [Fact]
    public async Task Drain_without_eviction_deletes_the_pods_with_protobuf_delete_options()
    {
        var ns = await NamespaceAsync("pb-drain");
        Assert.Equal(201, (await Server.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Objects.Deployment("drained"))).Status);
        Server.Server.Advance(TimeSpan.FromSeconds(30));
        var pods = (await GetJsonAsync($"/api/v1/namespaces/{ns}/pods"))["items"]!.AsArray();
        var node = (string)pods[0]!["spec"]!["nodeName"]!;
        var victims = pods.Where(p => (string?)p!["spec"]!["nodeName"] == node).Select(p => (string)p!["metadata"]!["name"]!).ToList();

        // Cordoning is a JSON patch and listing has no body, so the protobuf bodies are the pods' DeleteOptions; their
        // zero grace period removes a running pod at once (without it the pod would linger terminating).
        var output = await ProtobufOkAsync("drain", node, "--disable-eviction", "--ignore-daemonsets", "--delete-emptydir-data", "--force",
            "--grace-period=0", "--pod-selector=app=drained", "--timeout=30s");

        Assert.Contains($"node/{node} drained", output, StringComparison.Ordinal);
        Assert.True((bool)(await GetJsonAsync($"/api/v1/nodes/{node}"))["spec"]!["unschedulable"]!);
        foreach (var victim in victims)
        {
            Assert.Equal(404, (await Server.GetAsync($"/api/v1/namespaces/{ns}/pods/{victim}")).Status);
        }

        await Kubectl.OkAsync("uncordon", node);
    }

    // kubectl at -v=7 logs its request headers and response statuses; the command must have sent a protobuf body.
    private async Task<string> ProtobufOkAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Kubectl.RunAsync(["-v=7", .. args]);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)} exited {exit}:\n{stdout}\n{stderr}");
        Assert.True(stderr.Contains(SentProtobuf, StringComparison.Ordinal), $"kubectl {string.Join(' ', args)} sent no protobuf body:\n{stderr}");

        // client-go may retry a refused body as JSON, so the protobuf request must not have been refused.
        Assert.False(stderr.Contains("Response Status: 415", StringComparison.Ordinal), $"kubectl {string.Join(' ', args)} had a body refused:\n{stderr}");
        return stdout;
    }

    private async Task<string> NamespaceAsync(string name)
    {
        Assert.Equal(201, (await Server.SendAsync(HttpMethod.Post, "/api/v1/namespaces", Objects.Namespace.Replace("shop", name, StringComparison.Ordinal))).Status);
        return name;
    }

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        var (status, body) = await Server.GetAsync(path, accept: "application/json");
        Assert.True(status == 200, $"GET {path}: {status} {body?.ToJsonString()}");
        return body!;
    }
}
