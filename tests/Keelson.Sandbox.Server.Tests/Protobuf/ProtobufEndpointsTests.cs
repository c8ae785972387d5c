using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Protobuf;

namespace Keelson.Sandbox.Server.Tests.Protobuf;

/// <summary>The facade's protobuf bodies and responses over HTTP; bodies are encoded with the codec under test.</summary>
public sealed class ProtobufEndpointsTests
{
    private const string Protobuf = KubernetesProtobuf.MediaType;

    [Fact]
    public async Task A_protobuf_deployment_is_created_and_reads_back_as_json()
    {
        await using var server = await Objects.ShopAsync();

        var (status, created) = await SendProtobufAsync(server, HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web", replicas: 3));

        Assert.Equal(201, status);
        Assert.Equal("Deployment", (string?)created!["kind"]);
        var (_, stored) = await server.GetAsync("/apis/apps/v1/namespaces/shop/deployments/web");
        Assert.Equal(3, (int)stored!["spec"]!["replicas"]!);
        Assert.Equal("100m", (string?)stored["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["requests"]!["cpu"]);
    }

    [Fact]
    public async Task A_protobuf_body_of_a_custom_resource_is_a_415_naming_its_type()
    {
        await using var server = await Objects.ShopAsync();
        var body = KubernetesProtobuf.Encode(JsonNode.Parse(Objects.ConfigMap("a", "web"))!.AsObject());
        body = [.. body.AsSpan(0, 4), .. Retype(body, "monitoring.coreos.com/v1", "ServiceMonitor")];

        var (status, error) = await SendBytesAsync(server, HttpMethod.Post, "/apis/monitoring.coreos.com/v1/namespaces/shop/servicemonitors", body);

        Assert.Equal(415, status);
        Assert.Equal("UnsupportedMediaType", (string?)error!["reason"]);
        Assert.Contains("monitoring.coreos.com/v1/ServiceMonitor", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_protobuf_body_that_is_not_an_envelope_is_a_400()
    {
        await using var server = await Objects.ShopAsync();

        var (status, error) = await SendBytesAsync(server, HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", "{\"kind\":\"ConfigMap\"}"u8.ToArray());

        Assert.Equal(400, status);
        Assert.Contains("k8s\\0", (string?)error!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protobuf_delete_options_with_a_zero_grace_period_remove_a_running_pod_at_once()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        server.Server.Advance(TimeSpan.FromSeconds(30));
        var (_, pods) = await server.GetAsync("/api/v1/namespaces/shop/pods");
        var victim = (string)pods!["items"]![0]!["metadata"]!["name"]!;

        var (status, deleted) = await SendProtobufAsync(server, HttpMethod.Delete, $"/api/v1/namespaces/shop/pods/{victim}",
            """{"apiVersion":"v1","kind":"DeleteOptions","gracePeriodSeconds":0}""");

        // Without the body's grace period the pod would be returned terminating, not gone.
        Assert.Equal(200, status);
        Assert.Equal("Success", (string?)deleted!["status"]);
        Assert.Equal(404, (await server.GetAsync($"/api/v1/namespaces/shop/pods/{victim}")).Status);
    }

    [Fact]
    public async Task A_client_accepting_only_protobuf_gets_objects_lists_and_errors_in_protobuf()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", Objects.ConfigMap("a", "web", "x"));

        var (status, type, one) = await GetProtobufAsync(server, "/api/v1/namespaces/shop/configmaps/a");
        Assert.Equal((200, Protobuf), (status, type));
        Assert.Equal("x", (string?)one["data"]!["value"]);

        (status, _, var list) = await GetProtobufAsync(server, "/api/v1/namespaces/shop/configmaps");
        Assert.Equal(200, status);
        Assert.Equal("ConfigMapList", (string?)list["kind"]);
        Assert.Equal("a", (string?)list["items"]![0]!["metadata"]!["name"]);

        (status, _, var missing) = await GetProtobufAsync(server, "/api/v1/namespaces/shop/configmaps/nope");
        Assert.Equal(404, status);
        Assert.Equal(("Status", "NotFound"), ((string?)missing["kind"], (string?)missing["reason"]));
    }

    [Fact]
    public async Task A_protobuf_only_client_asking_for_a_custom_resource_is_told_406()
    {
        await using var server = await Objects.ShopAsync();
        var monitor = """{"apiVersion":"monitoring.coreos.com/v1","kind":"ServiceMonitor","metadata":{"name":"m"},"spec":{"selector":{},"endpoints":[{"port":"http"}]}}""";
        Assert.Equal(201, (await server.SendAsync(HttpMethod.Post, "/apis/monitoring.coreos.com/v1/namespaces/shop/servicemonitors", monitor)).Status);

        var (status, _, error) = await GetProtobufAsync(server, "/apis/monitoring.coreos.com/v1/namespaces/shop/servicemonitors/m");

        Assert.Equal(406, status);
        Assert.Equal("NotAcceptable", (string?)error["reason"]);
    }

    [Fact]
    public async Task A_client_that_also_accepts_json_gets_json()
    {
        await using var server = await Objects.ShopAsync();

        var (status, body) = await server.GetAsync("/api/v1/namespaces/shop", accept: $"{Protobuf}, application/json");

        Assert.Equal(200, status);
        Assert.Equal("Namespace", (string?)body!["kind"]);
    }

    private static Task<(int Status, JsonNode? Body)> SendProtobufAsync(TestServer server, HttpMethod method, string path, string json) =>
        SendBytesAsync(server, method, path, KubernetesProtobuf.Encode(JsonNode.Parse(json)!.AsObject()));

    private static async Task<(int Status, JsonNode? Body)> SendBytesAsync(TestServer server, HttpMethod method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static async Task<(int Status, string? ContentType, JsonObject Body)> GetProtobufAsync(TestServer server, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(Protobuf));
        using var response = await server.Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, KubernetesProtobuf.Decode(bytes));
    }

    // The envelope of a body re-typed, to send a type the facade has no schema for.
    private static byte[] Retype(byte[] body, string apiVersion, string kind)
    {
        var unknown = K8S.Io.Apimachinery.Pkg.Runtime.Unknown.Parser.ParseFrom(body.AsSpan(4));
        unknown.TypeMeta = new K8S.Io.Apimachinery.Pkg.Runtime.TypeMeta { ApiVersion = apiVersion, Kind = kind };
        return Google.Protobuf.MessageExtensions.ToByteArray(unknown);
    }
}
