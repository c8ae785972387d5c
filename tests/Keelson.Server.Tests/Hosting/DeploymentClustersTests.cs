using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server;
using Keelson.Server.Tests.Api;
using Keelson.Spec.Profiles;
using Microsoft.AspNetCore.Hosting;

namespace Keelson.Server.Tests.Hosting;

/// <summary>A production cluster from a kubeconfig (here the sandbox behind its API facade, standing in for a real one).</summary>
public sealed class ProductionClusterFactory : ApiFactory, IAsyncLifetime
{
    private string kubeconfig = "";

    /// <summary>The cluster production deployments go to.</summary>
    public SandboxApiServer Facade { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Facade = await SandboxApiServer.StartAsync(new SandboxCluster(new SandboxEngine(ClusterProfiles.Get("aws-gpu"))), new SandboxApiOptions { Speed = 60 }, CancellationToken.None);
        kubeconfig = Path.Combine(DataDirectory, "production.kubeconfig");
        await SandboxKubeconfig.WriteAsync(kubeconfig, Facade.Url, CancellationToken.None);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Facade.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:AdminKeys:0", "admin-key-1");
        builder.UseSetting("Keelson:Clusters:Production:Kubeconfig", kubeconfig);
    }
}

/// <summary>A demo cluster configured at an address where nothing listens.</summary>
public sealed class UnreachableClusterFactory : ApiFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var kubeconfig = Path.Combine(DataDirectory, "nowhere.kubeconfig");
        File.WriteAllText(kubeconfig, SandboxKubeconfig.Text(new Uri("http://127.0.0.1:9/")));
        builder.UseSetting("Keelson:Clusters:Demo:Kubeconfig", kubeconfig);
    }
}

public sealed class DeploymentClustersTests(ProductionClusterFactory production) : IClassFixture<ProductionClusterFactory>
{
    [Fact]
    public async Task A_production_deployment_goes_to_the_configured_cluster_and_a_demo_one_to_the_embedded_sandbox()
    {
        using var client = production.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", "admin-key-1");
        var prod = await DeployAsync(client, "false", "prod-one");
        var demo = await DeployAsync(client, "true", "demo-one");

        Assert.Equal(("succeeded", "succeeded"), (prod["status"]!.GetValue<string>(), demo["status"]!.GetValue<string>()));
        Assert.Contains("context keelson-sandbox at", prod["steps"]![1]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("the embedded sandbox (aws-gpu)", demo["steps"]![1]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var namespaces = production.Facade.Inspect(c => c.Engine.Store.List<V1Namespace>(null).Select(n => n.Metadata.Name).ToList());
        Assert.Contains("prod-one", namespaces);
        Assert.DoesNotContain("demo-one", namespaces);

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Readiness_fails_while_a_configured_cluster_does_not_answer()
    {
        await using var factory = new UnreachableClusterFactory();
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }

    private static async Task<JsonObject> DeployAsync(HttpClient client, string demo, string tenant)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/") { Content = JsonContent.Create(DeploymentEndpointsTests.Request(tenant)) };
        create.Headers.Add("X-Demo-Mode", demo);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(create)).StatusCode);
        using var deploy = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tenants/{tenant}/deploy");
        deploy.Headers.Add("X-Demo-Mode", demo);
        using var accepted = await client.SendAsync(deploy);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["deployment_id"]!.GetValue<string>();
        return await DeploymentClient.WaitFinishedAsync(client, id, demo);
    }
}
