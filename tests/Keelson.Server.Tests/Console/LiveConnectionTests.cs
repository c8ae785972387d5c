using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Keelson.Console.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Keelson.Server.Tests.Console;

/// <summary>
/// <see cref="LiveConnection"/> against a real WebSocket server on loopback: a stream the server ends is opened again
/// after the back-off, saying so meanwhile, and the page reads afresh; a policy-violation close is not retried.
/// </summary>
public sealed class LiveConnectionTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> connections = new();
    private WebApplication app = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.UseWebSockets();

        // The first connection gets one message and is closed as a restarting server would; the next one stays open.
        app.Map("/ws/flaky", async (HttpContext http) =>
        {
            connections.Enqueue("flaky");
            var n = connections.Count(c => c == "flaky");
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            await SendAsync(socket, $$"""{"type": "n", "n": {{n}}}""");
            if (n == 1)
            {
                await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "restarting", CancellationToken.None);
                return;
            }

            try
            {
                // Open until the client leaves.
                await socket.ReceiveAsync(new ArraySegment<byte>(new byte[16]), http.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
            }
        });
        app.Map("/ws/refused", async (HttpContext http) =>
        {
            connections.Enqueue("refused");
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            await SendAsync(socket, """{"type": "error", "message": "This key may not access tenant 'b'."}""");
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "This key may not access tenant 'b'.", CancellationToken.None);
        });
        await app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task A_stream_the_server_ended_reconnects_after_the_back_off_says_so_and_reads_again()
    {
        var states = new ConcurrentQueue<LiveState>();
        var received = new ConcurrentQueue<int>();
        var reads = 0;
        LiveConnection? live = null;
        live = new LiveConnection(Api(), "ws/flaky",
            message => { received.Enqueue(message["n"]!.GetValue<int>()); return Task.CompletedTask; },
            () => { Interlocked.Increment(ref reads); return Task.CompletedTask; },
            () => { states.Enqueue(live!.State); return Task.CompletedTask; });
        await using (live)
        {
            live.Start();
            await WaitAsync(() => received.Count == 2);
        }

        Assert.Equal([1, 2], received);
        Assert.Equal(1, reads);
        Assert.Equal(["live", "reconnecting", "live"], states.Select(s => s.Phase));
        var reconnecting = states.ElementAt(1);
        Assert.Equal((1, TimeSpan.FromSeconds(1), "restarting"), (reconnecting.Attempt, reconnecting.RetryIn, reconnecting.Reason));
    }

    [Fact]
    public async Task A_stream_refused_by_policy_is_not_opened_again_and_the_reason_is_kept()
    {
        LiveConnection? live = null;
        var closed = new TaskCompletionSource();
        live = new LiveConnection(Api(), "ws/refused", _ => Task.CompletedTask, () => Task.CompletedTask,
            () => { if (live!.State.Phase == "closed") { closed.TrySetResult(); } return Task.CompletedTask; });
        await using (live)
        {
            live.Start();
            await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await Task.Delay(1500);
            Assert.Equal("Not live: This key may not access tenant 'b'.", live.State.Describe("x"));
        }

        Assert.Equal(["refused"], connections);
    }

    // The console's own API client, pointed at the loopback server as Keelson:Console:ApiUrl would point it.
    private KeelsonApi Api()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Keelson:Console:ApiUrl"] = app.Urls.First() }).Build();
        var clients = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        return new KeelsonApi(clients, new ApiAddress(app.Services.GetRequiredService<IServer>(), configuration), new ConsoleSession { BrowserOnLoopback = true });
    }

    private static Task SendAsync(WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within 20 s");
            await Task.Delay(20);
        }
    }
}
