using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Notifications;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Keelson.Server.Tests.Api;

/// <summary>The server with an admin key, a key scoped to one tenant, and quick notification loops.</summary>
public sealed class VisibleNotificationsFactory : ApiFactory
{
    public const string AdminKey = "vn-admin-key-0123456789";

    public const string MineKey = "vn-mine-key-0123456789";

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:AdminKeys:0", AdminKey);
        builder.UseSetting($"Keelson:TenantKeys:{MineKey}", "vn-mine");
        builder.UseSetting("Keelson:Notifications:PollInterval", "00:00:00.100");
        builder.UseSetting("Keelson:Notifications:FlushInterval", "00:00:00.100");
        builder.UseSetting("Keelson:Notifications:AttemptTimeout", "00:00:02");
    }
}

/// <summary><c>GET /api/v1/notifications</c> (the console's notification centre): every visible tenant's newest rows, scoped by the key.</summary>
public sealed class VisibleNotificationsTests(VisibleNotificationsFactory factory) : IClassFixture<VisibleNotificationsFactory>
{
    [Fact]
    public async Task An_admin_sees_every_tenant_s_notifications_and_a_tenant_key_only_its_own()
    {
        foreach (var tenant in new[] { "vn-mine", "vn-other" })
        {
            var (created, _) = await SendAsync($"/api/v1/tenants/", VisibleNotificationsFactory.AdminKey, DeploymentEndpointsTests.Request(tenant));
            Assert.True(created is HttpStatusCode.Created or HttpStatusCode.Conflict);
        }

        // One notification per tenant to a receiver that refuses connections: each row is written, attempted and failed.
        var notifications = factory.Services.GetRequiredService<TenantNotifications>();
        IAlertSink? sink = null;
        for (var i = 0; i < 200 && (sink = notifications.Sink(true)) is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.NotNull(sink);
        var closed = new Uri($"http://127.0.0.1:{Keelson.Testing.ExternalProcess.FreePort()}/hooks/vn-secret-token/");
        var quick = NotificationPolicy.Default with { GroupWait = TimeSpan.Zero };
        foreach (var tenant in new[] { "vn-mine", "vn-other" })
        {
            var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["alertname"] = "Hot", ["tenant"] = tenant, ["severity"] = "warning" });
            await sink.PublishAsync([new NotifiableAlert(tenant, "Hot", labels, labels.Clear(), DateTimeOffset.UtcNow, null, 91, [new WebhookReceiver(closed)], quick)], default);
        }

        JsonNode all = new JsonObject();
        for (var i = 0; i < 200; i++)
        {
            (_, all) = await SendAsync("/api/v1/notifications?limit=50", VisibleNotificationsFactory.AdminKey);
            if (Tenants(all).SetEquals(["vn-mine", "vn-other"]) && all["notifications"]!.AsArray().All(n => n!["attempts"]!.GetValue<int>() >= 1))
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(Tenants(all).SetEquals(["vn-mine", "vn-other"]), all.ToJsonString());
        var row = all["notifications"]!.AsArray().First(n => n!["tenant_id"]!.GetValue<string>() == "vn-mine")!;
        Assert.Equal(("failed", "webhook"), (row["state"]!.GetValue<string>(), row["receiver_kind"]!.GetValue<string>()));
        Assert.NotNull(row["last_error"]);
        Assert.DoesNotContain("vn-secret-token", all.ToJsonString(), StringComparison.Ordinal);

        var (scopedStatus, scoped) = await SendAsync("/api/v1/notifications", VisibleNotificationsFactory.MineKey);
        Assert.Equal(HttpStatusCode.OK, scopedStatus);
        Assert.Equal(["vn-mine"], Tenants(scoped));

        var (one, limited) = await SendAsync("/api/v1/notifications?limit=1", VisibleNotificationsFactory.AdminKey);
        Assert.Equal((HttpStatusCode.OK, 1), (one, limited["notifications"]!.AsArray().Count));
        var (bad, problem) = await SendAsync("/api/v1/notifications?limit=0", VisibleNotificationsFactory.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("limit must be 1–1000", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("/api/v1/notifications", "not-a-key")).Status);
    }

    private static HashSet<string> Tenants(JsonNode page) => [.. page["notifications"]!.AsArray().Select(n => n!["tenant_id"]!.GetValue<string>())];

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(string path, string key, JsonObject? body = null)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Demo-Mode", "true");
        request.Headers.Add("X-API-Key", key);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }
}
