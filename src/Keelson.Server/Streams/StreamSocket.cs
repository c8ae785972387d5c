using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Keelson.Server.Http;

namespace Keelson.Server.Streams;

/// <summary>An accepted and authenticated stream: its socket, the caller its key makes, the mode, and the first message if one carried the key.</summary>
/// <param name="Socket">The WebSocket.</param>
/// <param name="Caller">Who the key (or no key, on loopback demo) makes the client.</param>
/// <param name="Demo">The mode the stream serves.</param>
/// <param name="First">The first message, when the URL and headers did not authenticate and it did; handle it as a request.</param>
public sealed record OpenedSocket(WebSocket Socket, Caller Caller, bool Demo, JsonObject? First);

/// <summary>
/// What every public WebSocket of the API shares (<c>/ws/monitoring</c>, <c>/ws/clusters</c>, <c>/ws/alerts</c>): the
/// upgrade, authentication, bounded sends and reasoned closes. Browsers cannot set headers on a WebSocket, so the mode
/// and the key may come in the query string (<c>?mode=production&amp;api_key=KEY</c>), in the first message
/// (<c>{"mode": "production", "api_key": "KEY"}</c>) or in the <c>X-Demo-Mode</c> and key headers; with none, the
/// stream is the open demo (loopback only).
/// </summary>
public static class StreamSocket
{
    private static readonly TimeSpan FirstMessageWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Accepts the upgrade and authenticates it; null when it was refused (a plain HTTP request gets a 400 problem naming
    /// <paramref name="instead"/>; a socket without a valid key is closed with the reason).
    /// </summary>
    public static async Task<OpenedSocket?> AcceptAsync(HttpContext http, IssuedKeys keys, string instead)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(keys);
        var cancellationToken = http.RequestAborted;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A WebSocket upgrade is required",
                detail: $"Connect with a WebSocket client, or {instead}.", type: "https://keelson.dev/problems/400").ExecuteAsync(http).ConfigureAwait(false);
            return null;
        }

        var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var query = http.Request.Query;
        var mode = Mode(query["mode"].FirstOrDefault() ?? query["demo"].FirstOrDefault() ?? http.Request.Headers[DemoModeFilter.Header].FirstOrDefault());
        var key = query["api_key"].FirstOrDefault() ?? ApiKeyFilter.Key(http.Request);
        var caller = await keys.AuthenticateAsync(key, mode ?? true, http, cancellationToken).ConfigureAwait(false);
        JsonObject? first = null;
        if (caller is null)
        {
            // Not enough in the URL and headers: the first message may carry the mode and the key.
            var incoming = await ReceiveMessageAsync(socket, FirstMessageWait, cancellationToken).ConfigureAwait(false);
            if (incoming.Malformed)
            {
                await CloseAsync(socket, WebSocketCloseStatus.InvalidPayloadData,
                    "The first message must be a JSON object, such as {\"api_key\": \"KEY\", \"mode\": \"demo\"}.", cancellationToken).ConfigureAwait(false);
                socket.Dispose();
                return null;
            }

            first = incoming.Message;
            var named = first?["mode"]?.ToString() ?? first?["demo_mode"]?.ToString();
            if (named is not null && Mode(named) is null)
            {
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, $"mode must be demo or production; got '{named}'.", cancellationToken).ConfigureAwait(false);
                socket.Dispose();
                return null;
            }

            mode = Mode(named) ?? mode;
            key = first?["api_key"]?.ToString() ?? key;
            caller = await keys.AuthenticateAsync(key, mode ?? true, http, cancellationToken).ConfigureAwait(false);
            if (caller is null)
            {
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation,
                    key is null ? "An API key is required: ?api_key=KEY, or \"api_key\" in the first message." : "The API key is not valid.", cancellationToken).ConfigureAwait(false);
                socket.Dispose();
                return null;
            }
        }

        return new OpenedSocket(socket, caller, mode ?? true, first);
    }

    /// <summary>
    /// Sends <paramref name="messages"/> until the client leaves or the queue ends, while <paramref name="handle"/> applies
    /// each client message (false ends the stream); a queue ended because the client fell behind closes with
    /// <paramref name="droppedReason"/>.
    /// </summary>
    public static async Task PumpAsync(
        WebSocket socket, ChannelReader<byte[]> messages, Func<JsonObject?, CancellationToken, Task<bool>> handle, Func<string?> droppedReason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(droppedReason);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = ReadLoopAsync(socket, handle, stop);
        try
        {
            await foreach (var message in messages.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await SendAsync(socket, message, stop.Token).ConfigureAwait(false);
            }

            if (droppedReason() is { } reason)
            {
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, reason, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }

    /// <summary>An error message naming the field: <c>{"type": "error", "field", "message"}</c>.</summary>
    public static JsonObject Error(string field, string message) => new() { ["type"] = "error", ["field"] = field, ["message"] = $"{field} {message}" };

    /// <summary>Reads one client message; null when the client closed, the wait ran out, or it was not a JSON object.</summary>
    public static async Task<JsonObject?> ReceiveAsync(WebSocket socket, TimeSpan wait, CancellationToken cancellationToken) =>
        (await ReceiveMessageAsync(socket, wait, cancellationToken).ConfigureAwait(false)).Message;

    /// <summary>Sends one JSON message.</summary>
    public static Task SendAsync(WebSocket socket, JsonNode message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync(socket, Encoding.UTF8.GetBytes(message.ToJsonString()), cancellationToken);
    }

    /// <summary>Sends one UTF-8 JSON text, giving up after a while on a client that stopped reading.</summary>
    public static async Task SendAsync(WebSocket socket, byte[] message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);

        // A client that stops reading fills the TCP window; the timeout ends its connection instead of holding this task forever.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        await socket.SendAsync(message, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Sends the reason as an error message, then closes with it (cut to the 123 bytes a close frame holds).</summary>
    public static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(reason);
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await SendAsync(socket, new JsonObject { ["type"] = "error", ["message"] = reason }, cancellationToken).ConfigureAwait(false);
            var shortReason = Encoding.UTF8.GetByteCount(reason) <= 123 ? reason : reason[..60];
            await socket.CloseAsync(status, shortReason, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ReadLoopAsync(WebSocket socket, Func<JsonObject?, CancellationToken, Task<bool>> handle, CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var message = await ReceiveAsync(socket, Timeout.InfiniteTimeSpan, stop.Token).ConfigureAwait(false);
                if (socket.State != WebSocketState.Open || !await handle(message, stop.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }

        await stop.CancelAsync().ConfigureAwait(false);
    }

    private static async Task<(JsonObject? Message, bool Malformed)> ReceiveMessageAsync(WebSocket socket, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (wait != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(wait);
        }

        var buffer = new byte[4096];
        using var text = new MemoryStream();
        try
        {
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    return (null, false);
                }

                text.Write(buffer, 0, result.Count);
                if (text.Length > 64 * 1024)
                {
                    await CloseAsync(socket, WebSocketCloseStatus.MessageTooBig, "Client messages are at most 64 KiB.", CancellationToken.None).ConfigureAwait(false);
                    return (null, false);
                }
            }
            while (!result.EndOfMessage);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, false);
        }

        try
        {
            return JsonNode.Parse(text.ToArray()) is JsonObject json ? (json, false) : (null, true);
        }
        catch (JsonException)
        {
            return (null, true);
        }
    }

    private static bool? Mode(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "true" or "demo" => true,
        "false" or "production" => false,
        _ => null,
    };
}
