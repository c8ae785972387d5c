using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Operations.Notifications;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keelson.Server.Tests.Api;

/// <summary>The server with quick notification loops, an SMTP password set, and every log line captured.</summary>
public sealed class NotificationApiFactory : ApiFactory
{
    public const string SmtpPassword = "smtp-pass-do-not-leak";

    public List<string> Logs { get; } = [];

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:Notifications:PollInterval", "00:00:00.100");
        builder.UseSetting("Keelson:Notifications:FlushInterval", "00:00:00.100");
        builder.UseSetting("Keelson:Notifications:AttemptTimeout", "00:00:02");
        builder.UseSetting("Keelson:Notifications:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Keelson:Notifications:Smtp:Port", "1");
        builder.UseSetting("Keelson:Notifications:Smtp:Username", "keelson");
        builder.UseSetting("Keelson:Notifications:Smtp:Password", SmtpPassword);
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingProvider(Logs)).SetMinimumLevel(LogLevel.Debug));
    }

    private sealed class CapturingProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(lines, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Capturing(List<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add($"{category} {logLevel}: {formatter(state, exception)} {exception}");
            }
        }
    }
}

/// <summary>Silences API (Alertmanager v2 shape) and the notifications API end to end through the hosted dispatcher, outbox and sender.</summary>
public sealed class NotificationEndpointsTests(NotificationApiFactory factory) : IClassFixture<NotificationApiFactory>
{
    [Fact]
    public async Task Silences_are_created_listed_by_state_read_and_expired()
    {
        var starts = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        var ends = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var (status, created) = await SendAsync(HttpMethod.Post, "/api/v1/silences",
            $$"""{"matchers": [{"name": "tenant", "value": "acme", "isRegex": false}, {"name": "instance", "value": "web-.*", "isRegex": true, "isEqual": false}], "startsAt": "{{starts}}", "endsAt": "{{ends}}", "createdBy": "ops@example.com", "comment": "maintenance"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var id = created["silenceID"]!.GetValue<string>();
        Assert.Equal("active", created["silence"]!["status"]!["state"]!.GetValue<string>());

        var (_, one) = await SendAsync(HttpMethod.Get, $"/api/v1/silences/{id}");
        Assert.Equal("maintenance", one["comment"]!.GetValue<string>());
        Assert.True(one["matchers"]![1]!["isRegex"]!.GetValue<bool>());
        Assert.False(one["matchers"]![1]!["isEqual"]!.GetValue<bool>());
        Assert.Contains((await SendAsync(HttpMethod.Get, "/api/v1/silences?state=active")).Body.AsArray(), s => s!["id"]!.GetValue<string>() == id);

        var (deleted, expired) = await SendAsync(HttpMethod.Delete, $"/api/v1/silences/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal("expired", expired["status"]!["state"]!.GetValue<string>());
        Assert.DoesNotContain((await SendAsync(HttpMethod.Get, "/api/v1/silences?state=active")).Body.AsArray(), s => s!["id"]!.GetValue<string>() == id);
        Assert.Contains((await SendAsync(HttpMethod.Get, "/api/v1/silences?state=expired")).Body.AsArray(), s => s!["id"]!.GetValue<string>() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/v1/silences/nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/api/v1/silences/nope")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/v1/silences?state=sleeping")).Status);
    }

    [Theory]
    [InlineData("""{"matchers": [{"name": "instance", "value": "(", "isRegex": true}], "endsAt": "2999-01-01T00:00:00Z", "createdBy": "ops"}""", "matchers[0]", "regular expression")]
    [InlineData("""{"matchers": [{"name": "team", "value": ".*", "isRegex": true}], "endsAt": "2999-01-01T00:00:00Z", "createdBy": "ops"}""", "matchers", "empty string")]
    [InlineData("""{"matchers": [{"name": "tenant", "value": "acme"}], "startsAt": "2999-01-02T00:00:00Z", "endsAt": "2999-01-01T00:00:00Z", "createdBy": "ops"}""", "endsAt", "after startsAt")]
    [InlineData("""{"matchers": [{"name": "tenant", "value": "acme"}], "endsAt": "5x", "createdBy": "ops"}""", "endsAt", "RFC 3339")]
    [InlineData("""{"matchers": [{"name": "1bad", "value": "x"}], "endsAt": "2999-01-01T00:00:00Z", "createdBy": "ops"}""", "matchers[0]", "label name")]
    public async Task Bad_silences_are_422_problems_naming_the_field(string body, string field, string message)
    {
        var (status, problem) = await SendAsync(HttpMethod.Post, "/api/v1/silences", body);
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Contains(message, string.Join(" ", problem["errors"]![field]!.AsArray().Select(e => e!.GetValue<string>())), StringComparison.Ordinal);
        Assert.Contains(field, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_go_through_the_outbox_to_a_real_receiver_and_the_api_shows_attempts_without_secrets()
    {
        const string tenant = "notify-e2e";
        using (var client = factory.CreateClient())
        using (var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/") { Content = JsonContent.Create(DeploymentEndpointsTests.Request(tenant)) })
        {
            create.Headers.Add("X-Demo-Mode", "true");
            using var created = await client.SendAsync(create);
            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        }

        using var listener = new HttpListener();
        var port = Keelson.Testing.ExternalProcess.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/hooks/secret-token-123/");
        listener.Prefixes.Add(url.AbsoluteUri);
        listener.Start();
        var received = new TaskCompletionSource<(string? Key, string Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = 200;
            context.Response.Close();
            received.TrySetResult((context.Request.Headers["Idempotency-Key"], body));
        });

        var notifications = factory.Services.GetRequiredService<TenantNotifications>();
        var sink = await WaitForAsync(() => notifications.Sink(true));
        var quick = NotificationPolicy.Default with { GroupWait = TimeSpan.Zero };
        var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["alertname"] = "HighCpu", ["tenant"] = tenant, ["severity"] = "warning" });
        ReceiverSpec[] receivers = [new WebhookReceiver(url), new EmailReceiver(["oncall@example.com"])];
        await sink.PublishAsync([new NotifiableAlert(tenant, "HighCpu", labels, labels.Clear(), DateTimeOffset.UtcNow, null, 91, [.. receivers], quick)], default);

        var (key, payload) = await received.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("4", JsonNode.Parse(payload)!["version"]!.GetValue<string>());

        JsonNode page = new JsonObject();
        for (var i = 0; i < 100; i++)
        {
            (_, page) = await SendAsync(HttpMethod.Get, $"/api/v1/tenants/{tenant}/notifications");
            var rows = page["notifications"]!.AsArray();
            if (rows.Count == 2 && rows.Any(r => r!["state"]!.GetValue<string>() == "sent") && rows.Any(r => r!["attempts"]!.GetValue<int>() >= 1 && r["receiver_kind"]!.GetValue<string>() == "email"))
            {
                break;
            }

            await Task.Delay(100);
        }

        var all = page["notifications"]!.AsArray();
        var webhook = all.Single(r => r!["receiver_kind"]!.GetValue<string>() == "webhook")!;
        Assert.Equal(("sent", key), (webhook["state"]!.GetValue<string>(), webhook["idempotency_key"]!.GetValue<string>()));
        Assert.Equal($"webhook:http://127.0.0.1:{port}", webhook["receiver"]!.GetValue<string>());
        Assert.Equal(200, webhook["attempt_log"]![0]!["status_code"]!.GetValue<int>());
        var email = all.Single(r => r!["receiver_kind"]!.GetValue<string>() == "email")!;
        Assert.Equal("failed", email["state"]!.GetValue<string>());
        Assert.NotNull(email["attempt_log"]![0]!["error"]);

        var text = page.ToJsonString();
        Assert.DoesNotContain("secret-token-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain(NotificationApiFactory.SmtpPassword, text, StringComparison.Ordinal);
        List<string> logs;
        lock (factory.Logs)
        {
            logs = [.. factory.Logs];
        }

        Assert.Contains(logs, l => l.Contains("attempt 1 delivered", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("secret-token-123", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains(NotificationApiFactory.SmtpPassword, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/v1/tenants/nobody-here/notifications")).Status);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> get)
        where T : class
    {
        for (var i = 0; i < 200; i++)
        {
            if (get() is { } value)
            {
                return value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The notification service did not start.");
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Demo-Mode", "true");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }
}
