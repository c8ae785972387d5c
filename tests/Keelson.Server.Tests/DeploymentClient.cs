using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Keelson.Server.Tests;

/// <summary>What the API tests do with deployments: poll one until it ends, read the progress stream.</summary>
internal static class DeploymentClient
{
    /// <summary>Polls <c>GET /api/v1/deployments/{id}</c> every 100 ms until it is finished (90 s at most); the last answer.</summary>
    public static async Task<JsonObject> WaitFinishedAsync(HttpClient client, string deploymentId, string demo = "true")
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            using var poll = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/deployments/{deploymentId}");
            poll.Headers.Add("X-Demo-Mode", demo);
            using var response = await client.SendAsync(poll);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            if (body["finished"]!.GetValue<bool>())
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"deployment {deploymentId} did not finish: {body.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    /// <summary>The next message of a deployment stream, or null when the server closed it.</summary>
    public static async Task<JsonObject?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
            }
        }
    }
}
