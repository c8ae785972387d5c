using System.Diagnostics;
using System.Globalization;
using System.Net;
using Keelson.Testing;

namespace Keelson.Server.Tests.Alerts;

/// <summary>
/// The hosted evaluation end to end on a virtual clock: pushed cpu_usage over 80 for the seed's 5 minutes fires its rule,
/// notifies a real loopback webhook and resolves; a restart keeps the pending timer; two instances on one PostgreSQL notify once.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class AlertEvaluationTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("keelson-alert-eval-").FullName;
    private readonly DateTimeOffset t0 = new(DateTimeOffset.UtcNow.AddHours(-1).UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
    private WebhookSink sink = null!;

    public async Task InitializeAsync() => sink = await WebhookSink.StartAsync();

    public async Task DisposeAsync()
    {
        await sink.DisposeAsync();
        ApiFactory.DeleteDirectory(directory);
    }

    private string Rule(string duration = "5m") => $$$"""
        {"alert_name": "high_cpu_usage", "condition": "cpu_usage > 80", "duration": "{{{duration}}}", "severity": "critical",
         "annotations": {"summary": "CPU at {{ $value }} on {{ $labels.tenant }}"},
         "actions": [{"type": "webhook", "url": "{{{new Uri(sink.Url, "alerts?token=s3cret").AbsoluteUri}}}", "method": "POST"}]}
        """;

    [Fact]
    public async Task The_seeds_rule_fires_after_five_minutes_notifies_the_webhook_and_resolves()
    {
        var clock = new VirtualClock(t0.AddMinutes(-1));
        await using var server = new AlertTestServer(directory, clock);
        await server.CreateTenantAsync("ev-seed");
        await server.PushAsync("ev-seed", "cpu_usage", t0, TimeSpan.FromMinutes(12), offset => offset <= TimeSpan.FromMinutes(7) ? 90 : 40);
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/ev-seed/alerts", Rule())).Status);
        await AlertTestServer.WaitForEvaluationAsync([server], "ev-seed", t0.AddMinutes(-1));

        await AlertTestServer.RunAsync(clock, [server], "ev-seed", t0, t0.AddMinutes(5).AddSeconds(-15));
        var (_, pending) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/ev-seed/alerts/active");
        Assert.Equal("pending", pending["alerts"]![0]!["state"]!.GetValue<string>());
        Assert.Empty(sink.Requests);

        await AlertTestServer.RunAsync(clock, [server], "ev-seed", t0.AddMinutes(5), t0.AddMinutes(5));
        var (_, firing) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/ev-seed/alerts/active");
        var alert = firing["alerts"]![0]!;
        Assert.Equal(("firing", 90.0, t0, t0.AddMinutes(5), "CPU at 90 on ev-seed"),
            (alert["state"]!.GetValue<string>(), alert["value"]!.GetValue<double>(), alert["active_at"]!.GetValue<DateTimeOffset>(), alert["fired_at"]!.GetValue<DateTimeOffset>(),
             alert["annotations"]!["summary"]!.GetValue<string>()));

        // The server's /metrics carries Prometheus's ALERTS and ALERTS_FOR_STATE series, and promtool accepts the exposition.
        using var client = server.CreateClient();
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("ALERTS{alertname=\"high_cpu_usage\",alertstate=\"firing\",tenant=\"ev-seed\",severity=\"critical\",mode=\"demo\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"ALERTS_FOR_STATE{{alertname=\"high_cpu_usage\",tenant=\"ev-seed\",severity=\"critical\",mode=\"demo\"}} {t0.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}", metrics, StringComparison.Ordinal);
        await PromtoolCheckMetricsAsync(metrics);

        // group_wait (30 s) holds the first notification; the condition falls at 7m15s; group_interval (5 m) sends the resolved one.
        await AlertTestServer.RunAsync(clock, [server], "ev-seed", t0.AddMinutes(5).AddSeconds(15), t0.AddMinutes(11));
        var received = await sink.WaitForAsync(2, TimeSpan.FromSeconds(10));
        Assert.Equal(["firing", "resolved"], received.Select(r => r.Body["status"]!.GetValue<string>()));
        Assert.Equal(("POST", "/alerts?token=s3cret", "4"), (received[0].Method, received[0].PathAndQuery, received[0].Body["version"]!.GetValue<string>()));
        Assert.Equal(("high_cpu_usage", "ev-seed", "critical"), (received[0].Body["alerts"]![0]!["labels"]!["alertname"]!.GetValue<string>(),
            received[0].Body["alerts"]![0]!["labels"]!["tenant"]!.GetValue<string>(), received[0].Body["commonLabels"]!["severity"]!.GetValue<string>()));
        Assert.Equal(t0.AddMinutes(7).AddSeconds(15), received[1].Body["alerts"]![0]!["endsAt"]!.GetValue<DateTimeOffset>());
        Assert.All(received, r => Assert.False(string.IsNullOrEmpty(r.IdempotencyKey)));

        var (_, events) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/ev-seed/alerts/events?limit=2");
        Assert.Equal(3, events["total"]!.GetValue<int>());
        // A resolved alert keeps its last firing value, as Prometheus's does (the empty result has no value).
        Assert.Equal([("firing", "inactive", 90.0), ("pending", "firing", 90.0)],
            events["events"]!.AsArray().Select(e => (e!["from"]!.GetValue<string>(), e["to"]!.GetValue<string>(), e["value"]!.GetValue<double>())));
        Assert.Equal("ev-seed", events["events"]![0]!["labels"]!["tenant"]!.GetValue<string>());
        Assert.DoesNotContain("ALERTS{", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_keeps_the_pending_for_timer()
    {
        var clock = new VirtualClock(t0.AddMinutes(-1));
        await using (var first = new AlertTestServer(directory, clock))
        {
            await first.CreateTenantAsync("ev-restart");
            await first.PushAsync("ev-restart", "cpu_usage", t0, TimeSpan.FromMinutes(10), _ => 95);
            Assert.Equal(HttpStatusCode.Created, (await first.SendAsync(HttpMethod.Post, "/api/v1/tenants/ev-restart/alerts", Rule())).Status);
            await AlertTestServer.RunAsync(clock, [first], "ev-restart", t0, t0.AddMinutes(2));
        }

        // A new server on the same database, a minute later: the timer started at t0 still ends at t0 + 5m, not at restart + 5m.
        await using var second = new AlertTestServer(directory, clock);
        await AlertTestServer.RunAsync(clock, [second], "ev-restart", t0.AddMinutes(3), t0.AddMinutes(5));
        var (_, active) = await second.SendAsync(HttpMethod.Get, "/api/v1/tenants/ev-restart/alerts/active");
        Assert.Equal(("firing", t0, t0.AddMinutes(5)),
            (active["alerts"]![0]!["state"]!.GetValue<string>(), active["alerts"]![0]!["active_at"]!.GetValue<DateTimeOffset>(), active["alerts"]![0]!["fired_at"]!.GetValue<DateTimeOffset>()));
    }

    [Fact]
    public async Task A_restart_does_not_resend_a_firing_group_already_notified()
    {
        var clock = new VirtualClock(t0.AddMinutes(-1));
        await using (var first = new AlertTestServer(directory, clock))
        {
            await first.CreateTenantAsync("ev-nflog");
            await first.PushAsync("ev-nflog", "cpu_usage", t0, TimeSpan.FromMinutes(20), _ => 95);
            Assert.Equal(HttpStatusCode.Created, (await first.SendAsync(HttpMethod.Post, "/api/v1/tenants/ev-nflog/alerts", Rule("1m"))).Status);
            await AlertTestServer.WaitForEvaluationAsync([first], "ev-nflog", t0.AddMinutes(-1));
            await AlertTestServer.RunAsync(clock, [first], "ev-nflog", t0, t0.AddMinutes(3));
            Assert.Equal("firing", Assert.Single(await sink.WaitForAsync(1, TimeSpan.FromSeconds(10))).Body["status"]!.GetValue<string>());
        }

        // The alert keeps firing. The new server re-opens the group, waits group_wait and two group_intervals, and finds
        // in the notification log that this firing set was sent at t0+1m30s: nothing is sent again before repeat_interval.
        await using var second = new AlertTestServer(directory, clock);
        await AlertTestServer.RunAsync(clock, [second], "ev-nflog", t0.AddMinutes(4), t0.AddMinutes(15));
        var (_, active) = await second.SendAsync(HttpMethod.Get, "/api/v1/tenants/ev-nflog/alerts/active");
        Assert.Equal("firing", active["alerts"]![0]!["state"]!.GetValue<string>());
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(sink.Requests);
    }

    [Fact]
    public async Task Two_instances_on_one_PostgreSQL_database_evaluate_each_tenant_once_and_notify_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new VirtualClock(t0.AddMinutes(-1));
        await using var a = new AlertTestServer(Path.Combine(directory, "a"), clock, ("ConnectionStrings:Demo", database));
        await using var b = new AlertTestServer(Path.Combine(directory, "b"), clock, ("ConnectionStrings:Demo", database));
        _ = (a.Server, b.Server);
        await a.CreateTenantAsync("ev-replicas");
        await b.PushAsync("ev-replicas", "cpu_usage", t0, TimeSpan.FromMinutes(8), _ => 99);
        Assert.Equal(HttpStatusCode.Created, (await a.SendAsync(HttpMethod.Post, "/api/v1/tenants/ev-replicas/alerts", Rule("1m"))).Status);

        // Steps of 15 s from the creation instant: a jump longer than the 30 s lease would hand the tenant over, rightly.
        await AlertTestServer.RunAsync(clock, [a, b], "ev-replicas", t0.AddSeconds(-45), t0.AddMinutes(3));
        var received = await sink.WaitForAsync(2, TimeSpan.FromSeconds(3));

        Assert.Single(received);
        Assert.Equal("firing", received[0].Body["status"]!.GetValue<string>());
        var (_, events) = await b.SendAsync(HttpMethod.Get, "/api/v1/tenants/ev-replicas/alerts/events");
        Assert.Equal(["firing", "pending"], events["events"]!.AsArray().Select(e => e!["to"]!.GetValue<string>()));
        Assert.True(a.Evaluation.EvaluatedAt(true, "ev-replicas") is null || b.Evaluation.EvaluatedAt(true, "ev-replicas") is null,
            $"Both instances evaluated the tenant (last at {a.Evaluation.EvaluatedAt(true, "ev-replicas"):O} and {b.Evaluation.EvaluatedAt(true, "ev-replicas"):O}); the lease should have kept one out.");
    }

    private static async Task PromtoolCheckMetricsAsync(string exposition)
    {
        // Only Keelson's alert families: the point is that ALERTS/ALERTS_FOR_STATE are a valid exposition.
        var lines = exposition.Split('\n').Where(l => l.StartsWith("ALERTS", StringComparison.Ordinal) || l.StartsWith("# HELP ALERTS", StringComparison.Ordinal) || l.StartsWith("# TYPE ALERTS", StringComparison.Ordinal));
        using var promtool = Process.Start(new ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        await promtool.StandardInput.WriteAsync(string.Join('\n', lines) + "\n");
        promtool.StandardInput.Close();
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.True(promtool.ExitCode == 0, $"promtool check metrics: {output}");
    }
}
