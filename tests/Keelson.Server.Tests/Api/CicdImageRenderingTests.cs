using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Delivery.Kubernetes;
using Keelson.Server.Api;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// A service's registered CI/CD image is what its workloads run: in the manifest download, and in the sandbox after a
/// deployment, which keeps the images it was started with (a rollback brings the earlier image back).
/// </summary>
public sealed class CicdImageRenderingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_registered_image_is_rendered_deployed_pinned_per_deployment_and_dropped_when_deactivated()
    {
        var tenant = new JsonObject { ["tenant_id"] = "img-render", ["service_requirements"] = new JsonObject { ["chatbot"] = 20, ["callbot"] = 0 } };
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/tenants/", tenant.ToJsonString())).Status);
        Assert.Contains("image: ecp-ai/chatbot:1.0.0", await ManifestAsync(), StringComparison.Ordinal);

        var form = new JsonObject
        {
            ["service_name"] = "chatbot", ["display_name"] = "Chatbot", ["image_name"] = "chatbot", ["image_tag"] = "2.1.0",
            ["registry_url"] = "http://localhost:5000", ["repository"] = "team", ["category"] = "ai_nlp",
        };
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/cicd/register", form.ToJsonString())).Status);
        var manifest = await ManifestAsync();
        Assert.Contains("image: localhost:5000/team/chatbot:2.1.0", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("ecp-ai/chatbot:1.0.0", manifest, StringComparison.Ordinal);

        var first = await DeployAsync();
        Assert.Equal("localhost:5000/team/chatbot:2.1.0", await RunningImageAsync());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/api/v1/cicd/chatbot", """{"image_tag": "2.2.0"}""")).Status);
        var second = await DeployAsync();
        Assert.Equal("localhost:5000/team/chatbot:2.2.0", await RunningImageAsync());

        // The rollback delivers what the first deployment delivered, its image included, whatever the store says now.
        var (status, rollback, _) = await SendAsync(HttpMethod.Post, $"/api/v1/deployments/{second}/rollback", null);
        Assert.Equal(HttpStatusCode.Accepted, status);
        using (var client = factory.CreateClient())
        {
            Assert.Equal("succeeded", (await DeploymentClient.WaitFinishedAsync(client, rollback["deployment_id"]!.GetValue<string>()))["status"]!.GetValue<string>());
        }

        Assert.Equal("localhost:5000/team/chatbot:2.1.0", await RunningImageAsync());
        Assert.NotEqual(first, second);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "/api/v1/cicd/chatbot", null)).Status);
        Assert.Contains("image: ecp-ai/chatbot:1.0.0", await ManifestAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_may_name_its_own_images_which_win_over_the_store_and_bad_ones_are_422()
    {
        var bad = """{"tenant_id": "img-bad", "service_requirements": {"chatbot": 5}, "service_images": {"chatbot": "Not An Image", "robot": "x/y:1"}}""";
        var (status, problem, _) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/", bad);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(["service_images.chatbot", "service_images.robot"], problem["errors"]!.AsObject().Select(e => e.Key).Order());

        var own = """{"tenant_id": "img-own", "service_requirements": {"chatbot": 5}, "service_images": {"chatbot": "registry.example.com/mine/chatbot:9.0.0"}}""";
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/tenants/", own)).Status);
        using var client = factory.CreateClient();
        Assert.Contains("image: registry.example.com/mine/chatbot:9.0.0", await client.GetStringAsync(new Uri("/api/v1/tenants/img-own/manifest", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public void Pinning_leaves_stack_documents_unused_services_and_named_images_alone()
    {
        var image = new Operations.Cicd.ServiceImage
        {
            ServiceName = "stt", DisplayName = "STT", ImageName = "stt", ImageTag = "3", RegistryUrl = "r.example.com", Repository = "", Category = "main", IsActive = true,
        };
        Assert.Equal("""{"service_requirements":{"stt":2},"service_images":{"stt":"r.example.com/stt:3"}}""", ServiceImagePins.Pin("""{"service_requirements":{"stt":2}}""", [image]));
        Assert.Equal("""{"service_requirements":{"stt":0}}""", ServiceImagePins.Pin("""{"service_requirements":{"stt":0}}""", [image]));
        Assert.Equal("""{"service_requirements":{"stt":2},"service_images":{"stt":"own/stt:1"}}""", ServiceImagePins.Pin("""{"service_requirements":{"stt":2},"service_images":{"stt":"own/stt:1"}}""", [image]));
        Assert.Equal("""{"service_requirements":{"stt":2}}""", ServiceImagePins.Pin("""{"service_requirements":{"stt":2}}""", [image with { IsActive = false }]));
        Assert.Equal("kind: Stack\n", ServiceImagePins.Pin("kind: Stack\n", [image]));
    }

    private async Task<string> ManifestAsync()
    {
        using var client = factory.CreateClient();
        return await client.GetStringAsync(new Uri("/api/v1/tenants/img-render/manifest?format=yaml", UriKind.Relative));
    }

    private async Task<string> DeployAsync()
    {
        var (status, accepted, _) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/img-render/deploy", null);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = accepted["deployment_id"]!.GetValue<string>();
        using var client = factory.CreateClient();
        Assert.Equal("succeeded", (await DeploymentClient.WaitFinishedAsync(client, id))["status"]!.GetValue<string>());
        return id;
    }

    private async Task<string> RunningImageAsync()
    {
        using var cluster = KubernetesCluster.Connect(Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig"), null);
        var deployment = (V1Deployment?)await cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", "img-render", "chatbot"), CancellationToken.None);
        return deployment!.Spec.Template.Spec.Containers.Single().Image;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, ResponseHeaders Headers)> SendAsync(HttpMethod method, string path, string? json)
    {
        using var client = factory.CreateClient();
        return await DropInTests.SendWithAsync(client, method, path, json, demo: null);
    }
}
