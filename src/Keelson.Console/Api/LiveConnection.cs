using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Keelson.Console.Api;

/// <summary>Where a <see cref="LiveConnection"/> is: connecting, live, waiting to reconnect, or stopped for good.</summary>
/// <param name="Phase">connecting, live, reconnecting or closed.</param>
/// <param name="Attempt">Reconnection attempts since the stream was last live.</param>
/// <param name="RetryIn">How long until the next attempt, while reconnecting.</param>
/// <param name="Reason">Why the stream was lost or closed, as the server or the network said.</param>
public sealed record LiveState(string Phase, int Attempt, TimeSpan RetryIn, string? Reason)
{
    /// <summary>Before the first connection.</summary>
    public static LiveState Connecting { get; } = new("connecting", 0, TimeSpan.Zero, null);

    /// <summary>Whether messages are arriving.</summary>
    public bool IsLive => Phase == "live";

    /// <summary>What the page says about it.</summary>
    public string Describe(string what) => Phase switch
    {
        "live" => $"Live: {what}",
        "reconnecting" => string.Create(CultureInfo.InvariantCulture, $"Reconnecting in {Math.Ceiling(RetryIn.TotalSeconds):0} s (attempt {Attempt}){(Reason is null ? "" : $": {Reason}")}. What is shown may be out of date."),
        "closed" => $"Not live: {Reason}",
        _ => "Connecting…",
    };
}

/// <summary>
/// One of the API's WebSockets followed for as long as a page shows it: messages go to the page as they arrive; a lost
/// connection is opened again after 1, 2, 4… up to 30 seconds, and once it is back the page reads what it shows afresh
/// (messages sent while it was away are not replayed). A server that closes with a policy violation (a key that may
/// not see this, a bad request) is not asked again: the reason is shown instead.
/// </summary>
public sealed class LiveConnection : IAsyncDisposable
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly KeelsonApi api;
    private readonly string path;
    private readonly Func<JsonNode, Task> received;
    private readonly Func<Task> reconnected;
    private readonly Func<Task> changed;
    private readonly CancellationTokenSource stopping = new();
    private Task running = Task.CompletedTask;

    /// <summary>
    /// Follows <paramref name="path"/> (<c>ws/…</c>) once <see cref="Start"/> is called: <paramref name="received"/> gets
    /// each message, <paramref name="reconnected"/> runs after a reconnection, <paramref name="changed"/> after each change of <see cref="State"/>.
    /// </summary>
    public LiveConnection(KeelsonApi api, string path, Func<JsonNode, Task> received, Func<Task> reconnected, Func<Task> changed)
    {
        this.api = api;
        this.path = path;
        this.received = received;
        this.reconnected = reconnected;
        this.changed = changed;
    }

    /// <summary>Where the stream is now.</summary>
    public LiveState State { get; private set; } = LiveState.Connecting;

    /// <summary>The wait before reconnection attempt <paramref name="attempt"/> (1 for the first): doubling from 1 s, at most 30 s.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, Math.Pow(2, Math.Clamp(attempt - 1, 0, 16))));

    /// <summary>Starts following.</summary>
    public void Start() => running = RunAsync(stopping.Token);

    /// <summary>Stops following and waits for the connection to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        var wasLive = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            string reason;
            try
            {
                using var socket = await api.ConnectAsync(path, cancellationToken).ConfigureAwait(false);
                attempt = 0;
                await SetAsync(new LiveState("live", 0, TimeSpan.Zero, null)).ConfigureAwait(false);
                if (wasLive)
                {
                    await reconnected().ConfigureAwait(false);
                }

                wasLive = true;
                string? error = null;
                while (await KeelsonApi.ReceiveAsync(socket, cancellationToken).ConfigureAwait(false) is { } message)
                {
                    if (message["type"]?.GetValue<string>() == "error" && message["field"] is null)
                    {
                        // The reason of a close that follows; field errors answer a message and leave the stream open.
                        error = message["message"]?.GetValue<string>();
                        continue;
                    }

                    await received(message).ConfigureAwait(false);
                }

                reason = error ?? socket.CloseStatusDescription ?? "the server closed the stream";
                if (socket.CloseStatus == WebSocketCloseStatus.PolicyViolation)
                {
                    await SetAsync(new LiveState("closed", 0, TimeSpan.Zero, reason)).ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ApiProblemException e) when (e.Status != 0)
            {
                // Refused before connecting (a remote browser with no key): asking again would not change that.
                await SetAsync(new LiveState("closed", 0, TimeSpan.Zero, e.Detail)).ConfigureAwait(false);
                return;
            }
            catch (ApiProblemException e)
            {
                reason = e.Detail;
            }
            catch (WebSocketException e)
            {
                reason = e.Message;
            }

            attempt++;
            var wait = Backoff(attempt);
            await SetAsync(new LiveState("reconnecting", attempt, wait, reason)).ConfigureAwait(false);
            try
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SetAsync(LiveState state)
    {
        State = state;
        await changed().ConfigureAwait(false);
    }
}
