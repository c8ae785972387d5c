using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Keelson.Operations.Notifications;

/// <summary>The outcome of one delivery attempt: when, how long, and the status code or the error (never the URL).</summary>
public sealed record DeliveryAttempt(DateTimeOffset At, TimeSpan Duration, int? StatusCode, string? Error, string? Reply = null)
{
    /// <summary>True for a 2xx answer.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300 && Error is null;
}

/// <summary>Sends webhook and Slack notifications over HTTP, one attempt at a time, with a per-attempt timeout.</summary>
public sealed class HttpNotifier(HttpClient http, TimeProvider clock, string externalUrl, TimeSpan? attemptTimeout = null) : INotificationChannel
{
    private readonly TimeSpan timeout = attemptTimeout ?? TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public bool CanDeliverTo(ReceiverSpec receiver) => receiver is WebhookReceiver or SlackReceiver;

    /// <summary>Makes one attempt; a hang past the timeout, a refused connection or a non-2xx answer is a failed attempt.</summary>
    public async Task<DeliveryAttempt> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        var (url, method, body) = notification.Receiver switch
        {
            WebhookReceiver w => (w.Url, new HttpMethod(w.Method), Payloads.Webhook(notification, externalUrl)),
            SlackReceiver s => (s.Url, HttpMethod.Post, Payloads.Slack(notification, s.Channel)),
            _ => throw new NotSupportedException($"{ReceiverNames.Describe(notification.Receiver)} is not an HTTP receiver"),
        };
        var at = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create<JsonNode>(body) };
            request.Headers.Add("Idempotency-Key", notification.IdempotencyKey);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var code = (int)response.StatusCode;
            return new DeliveryAttempt(at, watch.Elapsed, code, response.IsSuccessStatusCode ? null : $"HTTP {code}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(at, watch.Elapsed, null, $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            // The exception text can name the URL; report only the kind of failure.
            return new DeliveryAttempt(at, watch.Elapsed, null, $"request failed: {e.HttpRequestError}");
        }
    }
}
