using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Profiles;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>A facade over a fresh aws-general sandbox on a free port, with an HTTP client pointed at it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(SandboxApiServer server, SandboxCluster cluster)
    {
        Server = server;
        Cluster = cluster;
        Http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public SandboxApiServer Server { get; }

    public SandboxCluster Cluster { get; }

    public HttpClient Http { get; }

    /// <summary>Starts a server; speed 0 leaves the clock to <see cref="SandboxApiServer.Advance"/>.</summary>
    public static async Task<TestServer> StartAsync(double speed = 0)
    {
        var cluster = new SandboxCluster(new SandboxEngine(ClusterProfiles.Get("aws-general")));
        var server = await SandboxApiServer.StartAsync(cluster, new SandboxApiOptions { Speed = speed }, CancellationToken.None);
        return new TestServer(server, cluster);
    }

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(int Status, JsonNode? Body)> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, accept: accept);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
