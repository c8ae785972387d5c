using System.Net;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Alerts;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// The ECP-AI alerts tab over Keelson's alert engine: a preset applied through the thresholds route becomes alert rules,
/// pushed samples above its levels fire them on the engine's clock, and the UI's paged list shows those alerts, their
/// acknowledgement (a silence) and their resolution.
/// </summary>
public sealed class AlertsCompatTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);
    private readonly string directory = Directory.CreateTempSubdirectory("keelson-alerts-compat-").FullName;
    private readonly DateTimeOffset t0 = new(DateTimeOffset.UtcNow.AddHours(-1).UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);

    public void Dispose() => ApiFactory.DeleteDirectory(directory);

    [Fact]
    public async Task Applied_thresholds_fire_and_the_ui_pages_acknowledges_and_sees_them_resolve()
    {
        var clock = new VirtualClock(t0.AddMinutes(-1));
        await using var server = new AlertTestServer(directory, clock);
        await server.CreateTenantAsync("al-hot");
        await server.CreateTenantAsync("al-cool");
        var (applied, body) = await UiAsync(server, HttpMethod.Post, "/api/v1/thresholds/presets/standard/apply");
        Assert.True(applied == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(20, body["rules"]!["written"]!.GetValue<int>());

        // CPU at 95 for four minutes, then 40: above both standard levels (80 warning, 90 critical) while it lasts.
        await server.PushAsync("al-hot", "cpu_usage", t0, TimeSpan.FromMinutes(6), offset => offset < TimeSpan.FromMinutes(4) ? 95 : 40);
        await server.PushAsync("al-cool", "cpu_usage", t0, TimeSpan.FromMinutes(6), _ => 30);
        await RunAsync(clock, server, t0, t0.AddMinutes(1));

        // AdvancedMonitoring.tsx: page 1 with include_recent, then infinite scroll.
        var (status, page) = await UiAsync(server, HttpMethod.Get, "/api/v1/alerts/?page=1&page_size=50&include_recent=true");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((2, false), (page["total_count"]!.GetValue<int>(), page["has_more"]!.GetValue<bool>()));
        var alerts = page["alerts"]!.AsArray().ToDictionary(a => a!["title"]!.GetValue<string>(), a => a!);
        var critical = alerts["threshold-cpu-critical"];
        Assert.Equal(("al-hot", "critical", "active", false, 95.0, 90.0, true), (critical["tenant_id"]!.GetValue<string>(), critical["severity"]!.GetValue<string>(),
            critical["status"]!.GetValue<string>(), critical["resolved"]!.GetValue<bool>(), critical["metric_value"]!.GetValue<double>(),
            critical["threshold_value"]!.GetValue<double>(), critical["is_recent"]!.GetValue<bool>()));
        Assert.Equal(t0.AddMinutes(1), critical["timestamp"]!.GetValue<DateTimeOffset>());
        Assert.Contains("95", critical["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("alert-", critical["alert_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("warning", alerts["threshold-cpu-warning"]["severity"]!.GetValue<string>());

        var (_, first) = await UiAsync(server, HttpMethod.Get, "/api/v1/alerts/?page=1&page_size=1&include_recent=true");
        var (_, second) = await UiAsync(server, HttpMethod.Get, "/api/v1/alerts/?page=2&page_size=1&include_recent=false");
        Assert.Equal((true, "2", false), (first["has_more"]!.GetValue<bool>(), first["next_cursor"]!.GetValue<string>(), second["has_more"]!.GetValue<bool>()));
        Assert.NotEqual(first["alerts"]![0]!["alert_id"]!.GetValue<string>(), second["alerts"]![0]!["alert_id"]!.GetValue<string>());

        // Acknowledge = a silence of that alert; the list says so, and the silence is Keelson's own.
        var id = critical["alert_id"]!.GetValue<string>();
        var (ackStatus, ack) = await UiAsync(server, HttpMethod.Put, $"/api/v1/alerts/{id}/status", """{"status": "acknowledged", "resolved_by": "operator"}""");
        Assert.True(ackStatus == HttpStatusCode.OK, ack.ToJsonString());
        var silenceId = ack["silence_id"]!.GetValue<string>();
        var (_, silences) = await UiAsync(server, HttpMethod.Get, "/api/v1/silences");
        Assert.Contains(silenceId, silences.ToJsonString(), StringComparison.Ordinal);
        var (_, acknowledged) = await UiAsync(server, HttpMethod.Get, "/api/v1/alerts/?status=acknowledged");
        Assert.Equal((1, id), (acknowledged["total_count"]!.GetValue<int>(), acknowledged["alerts"]![0]!["alert_id"]!.GetValue<string>()));
        var (resolveStatus, resolve) = await UiAsync(server, HttpMethod.Put, $"/api/v1/alerts/{id}/status", """{"status": "resolved"}""");
        Assert.Equal(HttpStatusCode.Conflict, resolveStatus);
        Assert.Contains("condition", resolve["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // The advanced screen's alert feed and the tenants' health read the same engine.
        var (_, feed) = await UiAsync(server, HttpMethod.Get, "/api/v1/simulator/monitoring/advanced/alerts");
        Assert.Equal((2, 2, 1), (feed["summary"]!["total"]!.GetValue<int>(), feed["summary"]!["unresolved"]!.GetValue<int>(), feed["summary"]!["critical"]!.GetValue<int>()));
        Assert.Contains(feed["alerts"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "critical" && a["severity"]!.GetValue<string>() == "high" && a["acknowledged"]!.GetValue<bool>());

        // The samples fall to 40 at 4 minutes: the engine resolves both alerts.
        await RunAsync(clock, server, t0.AddMinutes(1).Add(Step), t0.AddMinutes(4).Add(Step));
        var (_, resolved) = await UiAsync(server, HttpMethod.Get, "/api/v1/alerts/?status=resolved");
        Assert.Equal(2, resolved["total_count"]!.GetValue<int>());
        var ended = resolved["alerts"]!.AsArray().Single(a => a!["alert_id"]!.GetValue<string>() == id)!;
        Assert.Equal(("resolved", true, t0.AddMinutes(4)), (ended["status"]!.GetValue<string>(), ended["resolved"]!.GetValue<bool>(), ended["resolved_at"]!.GetValue<DateTimeOffset>()));
        Assert.Equal(0, (await UiAsync(server, HttpMethod.Get, "/api/v1/alerts/?status=active")).Body["total_count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await UiAsync(server, HttpMethod.Put, $"/api/v1/alerts/{id}/status", """{"status": "resolved"}""")).Status);
        Assert.Equal(0, (await UiAsync(server, HttpMethod.Get, "/api/v1/alerts/?tenant_id=al-cool")).Body["total_count"]!.GetValue<int>());
        Assert.Equal(1, (await UiAsync(server, HttpMethod.Get, "/api/v1/alerts/?severity=critical")).Body["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_status_change_names_its_bad_field_and_an_unknown_alert_is_404()
    {
        await using var server = new AlertTestServer(directory, new VirtualClock(t0));
        var (badStatus, bad) = await UiAsync(server, HttpMethod.Put, "/api/v1/alerts/alert-1/status", """{"status": "closed"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badStatus);
        Assert.NotNull(bad["errors"]!["status"]);
        var (extraStatus, extra) = await UiAsync(server, HttpMethod.Put, "/api/v1/alerts/alert-1/status", """{"status": "acknowledged", "note": "x"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, extraStatus);
        Assert.NotNull(extra["errors"]!["note"]);
        var (missing, problem) = await UiAsync(server, HttpMethod.Put, "/api/v1/alerts/alert-999/status", """{"status": "acknowledged"}""");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.NotNull(problem["detail"]);
    }

    private static async Task RunAsync(VirtualClock clock, AlertTestServer server, DateTimeOffset from, DateTimeOffset to)
    {
        for (var at = from; at <= to; at += Step)
        {
            clock.Set(at);
            await AlertTestServer.WaitForEvaluationAsync([server], "al-hot", at);
            await AlertTestServer.WaitForEvaluationAsync([server], "al-cool", at);
        }
    }

    // As the UI sends them: no X-Demo-Mode header, no key.
    private static async Task<(HttpStatusCode Status, JsonNode Body)> UiAsync(AlertTestServer server, HttpMethod method, string path, string? json = null)
    {
        using var client = server.CreateClient();
        var (status, body, _) = await DropInTests.SendWithAsync(client, method, path, json, demo: null);
        return (status, body);
    }
}
