using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Keelson.Bench;

/// <summary>
/// Issue 13's live-stream aim: many WebSocket subscribers of one tenant (<c>/ws/monitoring/{tenant}</c>), a push every
/// 100 ms, and the time from sending each push to each subscriber's receipt of it. The server is a separate process
/// given by URL (<c>bench/http/monitoring.sh</c> starts <c>keelson serve</c>), so its start-up, thread pool and sockets
/// are what a user runs; this process only sends and receives, on one clock.
/// </summary>
internal static class SocketFanOut
{
    private const string Tenant = "bench-ws";

    public static async Task RunAsync(Uri server, int subscribers, int pushes)
    {
        using var http = new HttpClient { BaseAddress = server };
        using (var create = new HttpRequestMessage(HttpMethod.Post, "api/v1/tenants/")
        {
            Content = new StringContent($$$"""{"tenant_id": "{{{Tenant}}}", "name": "bench", "service_requirements": {"chatbot": 10}}""", Encoding.UTF8, "application/json"),
        })
        {
            create.Headers.Add("X-Demo-Mode", "true");
            using var created = await http.SendAsync(create);
            if (!created.IsSuccessStatusCode && (int)created.StatusCode != 409)
            {
                throw new InvalidOperationException($"creating the tenant: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            }
        }

        var socketUri = new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = $"ws/monitoring/{Tenant}" }.Uri;
        var sockets = new ClientWebSocket[subscribers];
        var connecting = Stopwatch.StartNew();
        await Parallel.ForAsync(0, subscribers, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
        {
            sockets[i] = new ClientWebSocket();
            await sockets[i].ConnectAsync(socketUri, token);
        });
        var connected = connecting.Elapsed;

        // Sent times by push number (the pushed cpu_usage value), and every receipt's delay in milliseconds.
        var sent = new long[pushes + 1];
        var delays = new List<double>[subscribers];
        var warmed = new TaskCompletionSource[subscribers];
        var receivers = new Task[subscribers];
        for (var i = 0; i < subscribers; i++)
        {
            var index = i;
            delays[i] = new List<double>(pushes);
            warmed[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            receivers[i] = ReceiveAsync(sockets[i], sent, delays[i], warmed[i], pushes);
        }

        // A warm-up push (number 0) tells when every subscription is live on the server.
        var warming = Stopwatch.StartNew();
        while (!warmed.All(w => w.Task.IsCompleted))
        {
            await PushAsync(http, 0);
            await Task.WhenAny(Task.WhenAll(warmed.Select(w => w.Task)), Task.Delay(500));
            if (warming.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"{warmed.Count(w => !w.Task.IsCompleted)} subscribers received nothing in 60 s");
            }
        }

        for (var push = 1; push <= pushes; push++)
        {
            Volatile.Write(ref sent[push], Stopwatch.GetTimestamp());
            await PushAsync(http, push);
            await Task.Delay(100);
        }

        await Task.WhenAny(Task.WhenAll(receivers), Task.Delay(TimeSpan.FromSeconds(10)));
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }

        var all = delays.SelectMany(d => d).Order().ToArray();
        var expected = (long)subscribers * pushes;
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"subscribers {subscribers}  connected in {connected.TotalSeconds:0.00} s  pushes {pushes}  deliveries {all.Length:#,0} of {expected:#,0}  " +
            $"p50 {Percentile(all, 0.50):0.0} ms  p99 {Percentile(all, 0.99):0.0} ms  max {(all.Length == 0 ? double.NaN : all[^1]):0.0} ms  " +
            $"within 100 ms {(all.Length == 0 ? 0 : 100.0 * all.Count(d => d <= 100) / expected):0.00} %"));
    }

    private static async Task ReceiveAsync(ClientWebSocket socket, long[] sent, List<double> delays, TaskCompletionSource warmed, int pushes)
    {
        var buffer = new byte[4096];
        try
        {
            while (delays.Count < pushes)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                var received = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close || !result.EndOfMessage)
                {
                    return;
                }

                var message = JsonNode.Parse(buffer.AsSpan(0, result.Count));
                if (message?["cpu"]?.GetValue<double>() is not { } number)
                {
                    continue;
                }

                var push = (int)number;
                if (push == 0)
                {
                    warmed.TrySetResult();
                }
                else
                {
                    delays.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sent[push]), received).TotalMilliseconds);
                }
            }
        }
        catch (WebSocketException)
        {
        }
    }

    private static async Task PushAsync(HttpClient http, int number)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/tenants/{Tenant}/monitoring")
        {
            Content = new StringContent(string.Create(CultureInfo.InvariantCulture, $$$"""{"metrics": {"cpu_usage": {{{number}}}}}"""), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Demo-Mode", "true");
        using var response = await http.SendAsync(request);
        if ((int)response.StatusCode != 202)
        {
            throw new InvalidOperationException($"push {number}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
}
