using System.Net;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Alerts;

namespace Keelson.Server.Tests.Api;

// Disposed in DisposeAsync (xunit calls IAsyncLifetime, not IDisposable).
#pragma warning disable CA1001
/// <summary>The alert rule API: the seed's create, CRUD, versions, redaction, bad input and the test notification.</summary>
public sealed class AlertEndpointsTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("keelson-alerts-api-").FullName;
    private AlertTestServer server = null!;
    private WebhookSink sink = null!;

    public async Task InitializeAsync()
    {
        // Evaluation off: these tests are about the API; the evaluation tests drive it on a virtual clock.
        server = new AlertTestServer(directory, TimeProvider.System, ("Keelson:Alerts:Evaluate", "false"));
        sink = await WebhookSink.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await sink.DisposeAsync();
        ApiFactory.DeleteDirectory(directory);
    }

    private static string Seed(string url, string name = "high_cpu_usage") => $$"""
        {"alert_name": "{{name}}", "condition": "cpu_usage > 80", "duration": "5m",
         "actions": [{"type": "webhook", "url": "{{url}}", "method": "POST"}, {"type": "email", "recipients": ["admin@company.com"]}]}
        """;

    [Fact]
    public async Task The_seeds_rule_is_created_listed_read_replaced_switched_and_deleted()
    {
        await server.CreateTenantAsync("al-crud");
        const string Secret = "https://user:pw@hooks.example.com/services/T000/B000/XXXXsecret?token=abc123";

        var (created, rule) = await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-crud/alerts", Seed(Secret));
        var (duplicate, conflict) = await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-crud/alerts", Seed(Secret));
        var (_, list) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/al-crud/alerts");
        var (_, read) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/al-crud/alerts/high_cpu_usage");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(("high_cpu_usage", "cpu_usage > 80", "5m", "warning", true, 1L),
            (rule["alert_name"]!.GetValue<string>(), rule["condition"]!.GetValue<string>(), rule["duration"]!.GetValue<string>(), rule["severity"]!.GetValue<string>(),
             rule["enabled"]!.GetValue<bool>(), rule["version"]!.GetValue<long>()));
        Assert.Equal("https://hooks.example.com/…", rule["actions"]![0]!["url"]!.GetValue<string>());
        Assert.Equal("admin@company.com", rule["actions"]![1]!["recipients"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        Assert.Contains("already exists", conflict["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, list["total"]!.GetValue<int>());
        foreach (var text in new[] { rule.ToJsonString(), list.ToJsonString(), read.ToJsonString() })
        {
            Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("abc123", text, StringComparison.Ordinal);
            Assert.DoesNotContain("user:pw", text, StringComparison.Ordinal);
            Assert.DoesNotContain("T000", text, StringComparison.Ordinal);
        }

        var replacement = JsonNode.Parse(Seed(Secret))!.AsObject();
        replacement["condition"] = "avg(cpu_usage[5m]) > 90";
        replacement["severity"] = "critical";
        replacement["version"] = 1;
        var (replaced, updated) = await server.SendAsync(HttpMethod.Put, "/api/v1/tenants/al-crud/alerts/high_cpu_usage", replacement.ToJsonString());
        var (stale, _) = await server.SendAsync(HttpMethod.Put, "/api/v1/tenants/al-crud/alerts/high_cpu_usage", replacement.ToJsonString());
        Assert.Equal((HttpStatusCode.OK, "avg_over_time(cpu_usage[5m]) > 90", "critical", 2L),
            (replaced, updated["promql"]!.GetValue<string>(), updated["severity"]!.GetValue<string>(), updated["version"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.Conflict, stale);

        var (_, disabled) = await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-crud/alerts/high_cpu_usage/disable");
        var (_, enabled) = await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-crud/alerts/high_cpu_usage/enable");
        Assert.Equal((false, 3L), (disabled["enabled"]!.GetValue<bool>(), disabled["version"]!.GetValue<long>()));
        Assert.Equal((true, 4L), (enabled["enabled"]!.GetValue<bool>(), enabled["version"]!.GetValue<long>()));

        var (deleted, _) = await server.SendAsync(HttpMethod.Delete, "/api/v1/tenants/al-crud/alerts/high_cpu_usage");
        var (gone, missing) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/al-crud/alerts/high_cpu_usage");
        var (noTenant, _) = await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-nobody/alerts", Seed(Secret));
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (deleted, gone, noTenant));
        Assert.Contains("Alert rule 'high_cpu_usage' not found", missing["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("condition", "cpu_usage >> 80", "condition", 12)]
    [InlineData("condition", "avg(cpu_usage[5x]) > 80", "condition", 15)]
    [InlineData("condition", "cpu_usage > 80 and disk_usage > 1", "condition", 20)]
    [InlineData("duration", "5x", "duration", 0)]
    [InlineData("duration", "-1m", "duration", 0)]
    [InlineData("url", "ftp://hooks.example.com/x", "actions[0]", 0)]
    [InlineData("url", "file:///etc/passwd", "actions[0]", 0)]
    [InlineData("alert_name", "events", "alert_name", 0)]
    [InlineData("keep_firing_for", "soon", "keep_firing_for", 0)]
    [InlineData("annotations", "{{ .Value }}", "annotations.summary", 0)]
    public async Task Bad_input_is_a_422_naming_the_field_and_column_and_nothing_is_stored(string field, string value, string problemField, int column)
    {
        var tenant = "al-bad-" + Math.Abs(StringComparer.Ordinal.GetHashCode(field + value) % 100000);
        await server.CreateTenantAsync(tenant);
        var body = JsonNode.Parse(Seed("https://hooks.example.com/x"))!.AsObject();
        switch (field)
        {
            case "url": body["actions"]![0]!["url"] = value; break;
            case "annotations": body["annotations"] = new JsonObject { ["summary"] = value }; break;
            default: body[field] = value; break;
        }

        var (status, problem) = await server.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{tenant}/alerts", body.ToJsonString());
        var (_, list) = await server.SendAsync(HttpMethod.Get, $"/api/v1/tenants/{tenant}/alerts");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(problemField, problem["field"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        Assert.Equal(column, problem["column"]?.GetValue<int>() ?? 0);
        Assert.Equal(0, list["total"]!.GetValue<int>());
        Assert.DoesNotContain("/etc/passwd", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bodies_are_read_as_strictly_as_every_other_route_and_nothing_is_stored()
    {
        await server.CreateTenantAsync("al-strict");
        using var client = server.CreateClient();
        async Task<(HttpStatusCode Status, JsonNode Problem)> PostAsync(HttpContent content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/al-strict/alerts") { Content = content };
            request.Headers.Add("X-Demo-Mode", "true");
            using var response = await client.SendAsync(request);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        }

        var untyped = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Seed("https://hooks.example.com/x")));
        var (noType, noTypeProblem) = await PostAsync(untyped);
        var twice = Seed("https://hooks.example.com/x").Replace("\"duration\": \"5m\"", "\"duration\": \"5m\", \"duration\": \"1h\"", StringComparison.Ordinal);
        var (repeated, repeatedProblem) = await PostAsync(new StringContent(twice, System.Text.Encoding.UTF8, "application/json"));
        var (unknown, unknownProblem) = await PostAsync(new StringContent("{\"alert_name\": \"x\", \"condition\": \"cpu_usage > 1\", \"durration\": \"5m\"}", System.Text.Encoding.UTF8, "application/json"));
        var (_, list) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/al-strict/alerts");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, noType);
        Assert.Contains("Content-Type", noTypeProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, repeated);
        Assert.Contains("duration", repeatedProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown);
        Assert.Equal("durration", unknownProblem["field"]!.GetValue<string>());
        Assert.Equal(0, list["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_test_notification_reaches_a_real_receiver_and_reports_a_failing_one()
    {
        await server.CreateTenantAsync("al-test");
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-test/alerts", Seed(new Uri(sink.Url, "hook?token=t0ps3cret").AbsoluteUri))).Status);

        var (status, answer) = await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-test/alerts/high_cpu_usage/test");
        sink.Status = 500;
        var (_, failed) = await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-test/alerts/high_cpu_usage/test");

        Assert.Equal(HttpStatusCode.OK, status);
        var results = answer["results"]!.AsArray();
        Assert.Equal(("webhook", "delivered", 200), (results[0]!["type"]!.GetValue<string>(), results[0]!["outcome"]!.GetValue<string>(), results[0]!["status_code"]!.GetValue<int>()));
        // No SMTP relay is configured on this server, so the e-mail action fails and says which setting is missing.
        Assert.Equal(("email", "failed"), (results[1]!["type"]!.GetValue<string>(), results[1]!["outcome"]!.GetValue<string>()));
        Assert.Contains("Keelson:Notifications:Smtp:Host", results[1]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(answer["delivered"]!.GetValue<bool>());
        Assert.DoesNotContain("t0ps3cret", answer.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(("failed", 500), (failed["results"]![0]!["outcome"]!.GetValue<string>(), failed["results"]![0]!["status_code"]!.GetValue<int>()));

        var received = Assert.Single((await sink.WaitForAsync(2, TimeSpan.FromSeconds(5))).Take(1));
        Assert.Equal(("POST", "/hook?token=t0ps3cret"), (received.Method, received.PathAndQuery));
        Assert.False(string.IsNullOrEmpty(received.IdempotencyKey));
        Assert.Equal(("4", "firing", "high_cpu_usage", "al-test", "true"),
            (received.Body["version"]!.GetValue<string>(), received.Body["status"]!.GetValue<string>(), received.Body["alerts"]![0]!["labels"]!["alertname"]!.GetValue<string>(),
             received.Body["alerts"]![0]!["labels"]!["tenant"]!.GetValue<string>(), received.Body["alerts"]![0]!["labels"]!["test"]!.GetValue<string>()));
        Assert.DoesNotContain("t0ps3cret", received.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edit_that_sends_the_redacted_URL_back_keeps_the_stored_receiver_and_a_new_URL_replaces_it()
    {
        await server.CreateTenantAsync("al-redacted");
        var secret = new Uri(sink.Url, "kept?token=k33psecret").AbsoluteUri;
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-redacted/alerts", Seed(secret))).Status);

        // What a client (the console) sends back after changing only the condition: the rule as read, URL redacted.
        var (_, read) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/al-redacted/alerts/high_cpu_usage");
        var redacted = read["actions"]![0]!["url"]!.GetValue<string>();
        Assert.EndsWith("/…", redacted, StringComparison.Ordinal);
        var edit = new JsonObject
        {
            ["condition"] = "cpu_usage > 95", ["duration"] = read["duration"]!.DeepClone(), ["severity"] = read["severity"]!.DeepClone(),
            ["actions"] = read["actions"]!.DeepClone(), ["version"] = read["version"]!.DeepClone(),
        };
        var (edited, updated) = await server.SendAsync(HttpMethod.Put, "/api/v1/tenants/al-redacted/alerts/high_cpu_usage", edit.ToJsonString());
        Assert.Equal((HttpStatusCode.OK, "cpu_usage > 95", redacted), (edited, updated["condition"]!.GetValue<string>(), updated["actions"]![0]!["url"]!.GetValue<string>()));

        var (_, tested) = await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-redacted/alerts/high_cpu_usage/test");
        Assert.Equal("delivered", tested["results"]![0]!["outcome"]!.GetValue<string>());
        Assert.Equal("/kept?token=k33psecret", (await sink.WaitForAsync(1, TimeSpan.FromSeconds(5)))[^1].PathAndQuery);

        // A URL typed anew is stored as typed.
        edit["version"] = updated["version"]!.DeepClone();
        edit["actions"]![0]!["url"] = new Uri(sink.Url, "moved?token=n3w").AbsoluteUri;
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Put, "/api/v1/tenants/al-redacted/alerts/high_cpu_usage", edit.ToJsonString())).Status);
        await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-redacted/alerts/high_cpu_usage/test");
        Assert.Equal("/moved?token=n3w", (await sink.WaitForAsync(2, TimeSpan.FromSeconds(5)))[^1].PathAndQuery);
    }

    [Fact]
    public async Task Keep_url_of_keeps_the_named_stored_receiver_where_two_on_one_host_redact_alike_and_bad_positions_are_named()
    {
        await server.CreateTenantAsync("al-keep");
        var first = new Uri(sink.Url, "first?token=f1rst").AbsoluteUri;
        var second = new Uri(sink.Url, "second?token=s3cond").AbsoluteUri;
        var rule = $$"""
            {"alert_name": "two_hooks", "condition": "cpu_usage > 80",
             "actions": [{"type": "webhook", "url": "{{first}}"}, {"type": "webhook", "url": "{{second}}", "method": "PUT"}]}
            """;
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-keep/alerts", rule)).Status);
        var (_, read) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/al-keep/alerts/two_hooks");
        Assert.Equal(read["actions"]![0]!["url"]!.GetValue<string>(), read["actions"]![1]!["url"]!.GetValue<string>());

        // A new rule has nothing to keep; a position out of range, of another type or kept twice is named.
        const string Path = "/api/v1/tenants/al-keep/alerts/two_hooks";
        var (created, createProblem) = await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/al-keep/alerts",
            """{"alert_name": "other", "condition": "cpu_usage > 80", "actions": [{"type": "webhook", "keep_url_of": 0}]}""");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "actions[0].keep_url_of"), (created, createProblem["field"]!.GetValue<string>()));
        foreach (var actions in new[]
        {
            """[{"type": "webhook", "keep_url_of": 2}]""",
            """[{"type": "slack", "keep_url_of": 0}]""",
            """[{"type": "webhook", "keep_url_of": 1}, {"type": "webhook", "keep_url_of": 1}]""",
            """[{"type": "webhook", "keep_url_of": 0, "url": "https://elsewhere.example.com/x"}]""",
        })
        {
            var (status, problem) = await server.SendAsync(HttpMethod.Put, Path, $$"""{"condition": "cpu_usage > 80", "version": 1, "actions": {{actions}}}""");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
            Assert.EndsWith("keep_url_of", problem["field"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // Keep only the second one, by position: its URL and method, though the first redacts the same and sat at position 0.
        var (kept, after) = await server.SendAsync(HttpMethod.Put, Path, """{"condition": "cpu_usage > 80", "version": 1, "actions": [{"type": "webhook", "method": "PUT", "keep_url_of": 1}]}""");
        Assert.Equal((HttpStatusCode.OK, 2), (kept, after["version"]!.GetValue<int>()));
        await server.SendAsync(HttpMethod.Post, Path + "/test");
        var received = Assert.Single(await sink.WaitForAsync(1, TimeSpan.FromSeconds(5)));
        Assert.Equal(("PUT", "/second?token=s3cond"), (received.Method, received.PathAndQuery));
    }

    [Fact]
    public async Task The_evaluation_interval_is_set_per_tenant_within_limits()
    {
        await server.CreateTenantAsync("al-interval");
        var (_, before) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/al-interval/alert-settings");
        var (ok, after) = await server.SendAsync(HttpMethod.Put, "/api/v1/tenants/al-interval/alert-settings", """{"evaluation_interval": "30s"}""");
        var (bad, problem) = await server.SendAsync(HttpMethod.Put, "/api/v1/tenants/al-interval/alert-settings", """{"evaluation_interval": "2h"}""");

        Assert.Equal("15s", before["evaluation_interval"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode.OK, "30s"), (ok, after["evaluation_interval"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "evaluation_interval"), (bad, problem["field"]!.GetValue<string>()));
    }
}
