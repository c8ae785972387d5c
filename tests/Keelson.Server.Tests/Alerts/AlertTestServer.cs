using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Server.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Keelson.Server.Tests.Alerts;

/// <summary>A clock the test sets: evaluation instants are whatever the test says (timers still run on real time).</summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    /// <summary>Moves the clock to <paramref name="at"/>.</summary>
    public void Set(DateTimeOffset at) => Interlocked.Exchange(ref ticks, at.UtcTicks);
}

/// <summary>
/// The server in process on <paramref name="directory"/> (kept when disposed, so a second instance can reopen it) with
/// <paramref name="clock"/> as its <see cref="TimeProvider"/> and a fast evaluation tick; <paramref name="settings"/> adds more.
/// </summary>
public sealed class AlertTestServer(string directory, TimeProvider clock, params (string Key, string Value)[] settings) : WebApplicationFactory<Program>
{
    /// <summary>The hosted evaluation of this instance.</summary>
    public AlertEvaluation Evaluation => Services.GetRequiredService<AlertEvaluation>();

    /// <summary>Sends a demo-mode request; the body is JSON text.</summary>
    public async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Add("X-Demo-Mode", "true");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    /// <summary>Creates a small demo tenant.</summary>
    public async Task CreateTenantAsync(string id)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/", Api.DeploymentEndpointsTests.Request(id).ToJsonString());
        Assert.True(status is HttpStatusCode.Created, body.ToJsonString());
    }

    /// <summary>Pushes <paramref name="metric"/> with one sample per 15 s from <paramref name="from"/>, the value given by <paramref name="value"/> of the offset, and waits until the store has them.</summary>
    public async Task PushAsync(string tenant, string metric, DateTimeOffset from, TimeSpan span, Func<TimeSpan, double> value)
    {
        var batch = new JsonArray();
        for (var offset = TimeSpan.Zero; offset <= span; offset += TimeSpan.FromSeconds(15))
        {
            batch.Add(new JsonObject { ["timestamp"] = Iso(from + offset), ["metrics"] = new JsonObject { [metric] = value(offset) } });
        }

        var (status, body) = await SendAsync(HttpMethod.Post, $"/api/v1/tenants/{tenant}/monitoring", new JsonObject { ["batch"] = batch }.ToJsonString());
        Assert.True(status == HttpStatusCode.Accepted, body.ToJsonString());

        // The query flushes the writer, so the samples are in the store once it answers with all of them.
        var (_, answer) = await SendAsync(HttpMethod.Get, $"/api/v1/tenants/{tenant}/monitoring?metric={metric}&start={Iso(from)}Z&end={Iso(from + span)}Z");
        Assert.Equal(batch.Count, answer["series"]![0]!["points"]!.AsArray().Count);
    }

    /// <summary>Waits until this instance has evaluated <paramref name="tenant"/> at <paramref name="at"/>.</summary>
    public static async Task WaitForEvaluationAsync(IEnumerable<AlertTestServer> servers, string tenant, DateTimeOffset at)
    {
        var list = servers.ToList();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!list.Any(s => s.Evaluation.EvaluatedAt(true, tenant) >= at))
        {
            Assert.True(DateTime.UtcNow < deadline, $"No instance evaluated {tenant} at {at:O} within 20 s.");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Moves <paramref name="clock"/> from <paramref name="from"/> to <paramref name="to"/> in 15 s steps, each once an
    /// instance evaluated <paramref name="tenant"/> at it: steps shorter than the 30 s lease keep its holder.
    /// </summary>
    public static async Task RunAsync(VirtualClock clock, IEnumerable<AlertTestServer> servers, string tenant, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var list = servers.ToList();
        for (var at = from; at <= to; at += TimeSpan.FromSeconds(15))
        {
            clock.Set(at);
            await WaitForEvaluationAsync(list, tenant, at);
        }
    }

    /// <summary>ISO-8601 without offset, as the push and query endpoints read it.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:DataDirectory", directory);
        builder.UseSetting("Keelson:Alerts:Tick", "00:00:00.020");
        builder.UseSetting("Keelson:Notifications:ExternalUrl", "http://keelson.test");
        builder.UseSetting("Keelson:Notifications:FlushInterval", "00:00:00.020");
        builder.UseSetting("Keelson:Notifications:PollInterval", "00:00:00.050");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton(clock));
    }
}

/// <summary>A real HTTP receiver on loopback that records what it is sent and answers with <see cref="Status"/>.</summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<Received> received = new();

    private WebhookSink(WebApplication app) => this.app = app;

    /// <summary>One request as received.</summary>
    public sealed record Received(string Method, string PathAndQuery, string? IdempotencyKey, JsonNode Body);

    /// <summary>The status code every request gets.</summary>
    public int Status { get; set; } = 200;

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Everything received so far, in order.</summary>
    public IReadOnlyList<Received> Requests => [.. received];

    /// <summary>Starts the receiver on a free loopback port.</summary>
    public static async Task<WebhookSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var sink = new WebhookSink(app);
        app.Map("/{**path}", async (HttpContext http) =>
        {
            var body = await JsonNode.ParseAsync(http.Request.Body) ?? new JsonObject();
            sink.received.Enqueue(new Received(http.Request.Method, http.Request.Path + http.Request.QueryString, http.Request.Headers["Idempotency-Key"].FirstOrDefault(), body));
            return Results.StatusCode(sink.Status);
        });
        await app.StartAsync();
        sink.Url = new Uri(app.Urls.First());
        return sink;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return Requests;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
