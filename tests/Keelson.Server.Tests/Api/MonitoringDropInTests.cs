using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// The ECP-AI dashboard's and advanced-monitoring screen's calls as the reference describes them (no X-Demo-Mode, the
/// exact paths and query strings), with every figure traced to samples pushed through the seed's monitoring route, and
/// null where nothing was measured.
/// </summary>
public sealed class MonitoringDropInTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Advanced = "/api/v1/simulator/monitoring/advanced";

    [Fact]
    public async Task The_overview_counts_tenants_presets_services_and_sums_the_running_tenants_limits()
    {
        await CreateAsync("ov-idle", autoDeploy: false, chatbot: 20);
        await CreateAsync("ov-live", autoDeploy: true, chatbot: 40);
        var running = await WaitForStatusAsync("ov-live", "running");

        var (status, body) = await SendAsync(HttpMethod.Get, "/api/v1/overview");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", body["status"]!.GetValue<string>());
        var overview = body["overview"]!;
        var idle = (await SendAsync(HttpMethod.Get, "/api/v1/tenants/ov-idle")).Body;
        var live = (await SendAsync(HttpMethod.Get, "/api/v1/tenants/ov-live")).Body;
        var tenants = (await SendAsync(HttpMethod.Get, "/api/v1/tenants/")).Body["tenants"]!.AsArray();
        Assert.Equal((tenants.Count, tenants.Count(t => t!["status"]!.GetValue<string>() == "running")),
            (overview["total_tenants"]!.GetValue<int>(), overview["active_tenants"]!.GetValue<int>()));
        Assert.True(overview["active_tenants"]!.GetValue<int>() >= 1);
        Assert.Equal(tenants.Where(t => t!["status"]!.GetValue<string>() == "running").Sum(t => t!["services_count"]!.GetValue<int>()), overview["deployed_services"]!.GetValue<int>());
        Assert.Equal(tenants.Sum(t => t!["services_count"]!.GetValue<int>()), overview["total_services"]!.GetValue<int>());
        Assert.True(overview["total_services"]!.GetValue<int>() >= idle["services_count"]!.GetValue<int>() + live["services_count"]!.GetValue<int>());

        // IntegratedDashboard.tsx parses "<n>m" as millicores and "<n>Mi" as mebibytes; the running tenant's planned limits.
        var usage = overview["resource_usage"]!;
        var cpu = usage["total_cpu"]!.GetValue<string>();
        var memory = usage["total_memory"]!.GetValue<string>();
        Assert.Matches(@"^\d+m$", cpu);
        Assert.Matches(@"^\d+Mi$", memory);
        var runningCpu = tenants.Where(t => t!["status"]!.GetValue<string>() == "running").Sum(t => Millicores(t!["cpu_limit"]!.GetValue<string>()));
        Assert.Equal(runningCpu, long.Parse(cpu[..^1], CultureInfo.InvariantCulture));
        Assert.True(long.Parse(memory[..^2], CultureInfo.InvariantCulture) > 0);
        Assert.Equal(tenants.Where(t => t!["status"]!.GetValue<string>() == "running").Sum(t => t!["gpu_limit"]?.GetValue<int>() ?? 0), usage["total_gpu"]!.GetValue<int>());
        Assert.Equal("running", running["status"]!.GetValue<string>());

        // The running tenant is in the embedded sandbox: its figures come from the sandbox's own series (no agent pushed anything).
        // Its pods report a moment after the tenant turns running: wait for the sandbox's first CPU sample.
        var (_, series) = await PollAsync("/api/v1/tenants/ov-live/monitoring?metric=cpu_usage_percent&hours=1", s => s["series"]!.AsArray().Count > 0);
        var (_, realtime) = await SendAsync(HttpMethod.Get, "/api/v1/simulator/monitoring/advanced/realtime");
        var sandboxPoint = realtime["metrics"]!.AsArray().FirstOrDefault(p => p!["tenant_id"]!.GetValue<string>() == "ov-live");
        Assert.True(sandboxPoint is not null, realtime.ToJsonString() + series.ToJsonString());
        var summary = series["series"]![0]!["summary"]!;
        Assert.InRange(sandboxPoint["cpu_usage"]!.GetValue<double>(), summary["min"]!.GetValue<double>() - 0.01, summary["max"]!.GetValue<double>() + 0.01);
        Assert.NotNull(sandboxPoint["response_time"]);
        // Memory as the UI shows it, a percentage (of the pods' limits), not the bytes the sandbox also reports.
        Assert.InRange(sandboxPoint["memory_usage"]!.GetValue<double>(), 1, 95);
        Assert.DoesNotContain(realtime["metrics"]!.AsArray(), p => p!["tenant_id"]!.GetValue<string>() == "ov-idle");

        var presets = overview["tenants_by_preset"]!.AsArray();
        Assert.Equal(tenants.Count, presets.Sum(p => p!["count"]!.GetValue<int>()));
        Assert.Contains(presets, p => p!["preset"]!.GetValue<string>() == idle["preset"]!.GetValue<string>());
    }

    [Fact]
    public async Task Thresholds_load_save_and_apply_as_the_screen_does_and_write_alert_rules()
    {
        await CreateAsync("th-one", autoDeploy: false, chatbot: 20);

        // On mount: the default (built in, not stored yet) and the presets.
        var (_, initial) = await SendAsync(HttpMethod.Get, "/api/v1/thresholds/default");
        Assert.Equal(("default-monitoring-thresholds", 80.0, 90.0, false), (initial["setting_id"]!.GetValue<string>(), initial["thresholds"]!["cpu"]!["warning"]!.GetValue<double>(),
            initial["thresholds"]!["cpu"]!["critical"]!.GetValue<double>(), initial["stored"]!.GetValue<bool>()));
        var (_, presets) = await SendAsync(HttpMethod.Get, "/api/v1/thresholds/presets");
        Assert.Equal(["basic", "enterprise", "premium", "standard"], presets["presets"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal((99.9, "premium"), (presets["presets"]!["premium"]!["sla_level"]!.GetValue<double>(), presets["presets"]!["premium"]!["name"]!.GetValue<string>()));
        Assert.NotNull(presets["presets"]!["basic"]!["description"]);

        // Save: PUT of the loaded setting_id with the screen's body.
        var save = new JsonObject
        {
            ["name"] = "사용자 모니터링 임계값",
            ["description"] = "모니터링 대시보드에서 설정",
            ["category"] = "monitoring",
            ["thresholds"] = new JsonObject
            {
                ["cpu"] = new JsonObject { ["warning"] = 70, ["critical"] = 85 },
                ["memory"] = new JsonObject { ["warning"] = 80, ["critical"] = 90 },
                ["gpu"] = new JsonObject { ["warning"] = 80, ["critical"] = 95 },
                ["response_time"] = new JsonObject { ["warning"] = 400, ["critical"] = 800 },
                ["error_rate"] = new JsonObject { ["warning"] = 2.5, ["critical"] = 7.5 },
            },
            ["notifications_enabled"] = true,
            ["email_enabled"] = false,
            ["sms_enabled"] = false,
            ["slack_enabled"] = false,
            ["is_default"] = true,
        };
        var (saveStatus, saved) = await SendAsync(HttpMethod.Put, "/api/v1/thresholds/default-monitoring-thresholds", save.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, saveStatus);
        Assert.True(saved["success"]!.GetValue<bool>());
        Assert.Contains("th-one", saved["rules"]!["tenants"]!.AsArray().Select(t => t!.GetValue<string>()));

        var (_, reloaded) = await SendAsync(HttpMethod.Get, "/api/v1/thresholds/default");
        Assert.Equal(("default-monitoring-thresholds", 70.0, 7.5, true, "사용자 모니터링 임계값"), (reloaded["setting_id"]!.GetValue<string>(),
            reloaded["thresholds"]!["cpu"]!["warning"]!.GetValue<double>(), reloaded["thresholds"]!["error_rate"]!["critical"]!.GetValue<double>(),
            reloaded["stored"]!.GetValue<bool>(), reloaded["name"]!.GetValue<string>()));

        // The saved levels are the alert engine's rules for the tenant now.
        var (_, rules) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/th-one/alerts");
        var byName = rules["alerts"]!.AsArray().ToDictionary(r => r!["alert_name"]!.GetValue<string>(), r => r!);
        Assert.Equal("cpu_usage >= 85 or cpu_usage_percent >= 85", byName["threshold-cpu-critical"]["condition"]!.GetValue<string>());
        Assert.Equal("error_rate >= 2.5 or error_ratio >= 0.025", byName["threshold-error_rate-warning"]["condition"]!.GetValue<string>());
        Assert.Equal("response_time >= 400 or latency_seconds >= 0.4", byName["threshold-response_time-warning"]["condition"]!.GetValue<string>());
        Assert.Equal(10, byName.Keys.Count(k => k.StartsWith("threshold-", StringComparison.Ordinal)));

        // Apply preset: the dialog reads thresholds, message and sla_level; the rules follow the preset.
        var (applyStatus, applied) = await SendAsync(HttpMethod.Post, "/api/v1/thresholds/presets/premium/apply", null);
        Assert.Equal(HttpStatusCode.OK, applyStatus);
        Assert.Equal((99.9, 70.0), (applied["sla_level"]!.GetValue<double>(), applied["thresholds"]!["cpu"]!["warning"]!.GetValue<double>()));
        Assert.StartsWith("sla-preset-premium-", applied["setting_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(applied["message"]!.GetValue<string>()));
        var (_, afterPreset) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/th-one/alerts/threshold-cpu-critical");
        Assert.Equal("cpu_usage >= 85 or cpu_usage_percent >= 85", afterPreset["condition"]!.GetValue<string>());
        var (_, afterLatency) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/th-one/alerts/threshold-response_time-critical");
        Assert.Equal("response_time >= 500 or latency_seconds >= 0.5", afterLatency["condition"]!.GetValue<string>());
        Assert.Equal(applied["setting_id"]!.GetValue<string>(), (await SendAsync(HttpMethod.Get, "/api/v1/thresholds/default")).Body["setting_id"]!.GetValue<string>());

        // The old default stays listed but is no longer the default.
        var (_, list) = await SendAsync(HttpMethod.Get, "/api/v1/thresholds/");
        Assert.False(list.AsArray().Single(s => s!["setting_id"]!.GetValue<string>() == "default-monitoring-thresholds")!["is_default"]!.GetValue<bool>());
        Assert.True(list.AsArray()[0]!["is_default"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"name": "x", "thresholds": {"cpu": {"warning": 95, "critical": 90}}}""", "thresholds.cpu.warning")]
    [InlineData("""{"name": "x", "thresholds": {"cpu": {"warning": 80, "critical": 101}}}""", "thresholds.cpu.critical")]
    [InlineData("""{"name": "x", "thresholds": {"disk": {"warning": 80, "critical": 90}}}""", "thresholds.disk")]
    [InlineData("""{"name": "x", "thresholds": {"cpu": {"warning": "80", "critical": 90}}}""", "thresholds.cpu.warning")]
    [InlineData("""{"name": "x", "thresholds": {}}""", "thresholds")]
    [InlineData("""{"thresholds": {"cpu": {"warning": 80, "critical": 90}}}""", "name")]
    [InlineData("""{"name": "x", "is_default": "yes", "thresholds": {"cpu": {"warning": 80, "critical": 90}}}""", "is_default")]
    [InlineData("""{"name": "x", "colour": "red", "thresholds": {"cpu": {"warning": 80, "critical": 90}}}""", "colour")]
    public async Task A_bad_threshold_setting_is_a_422_naming_the_field_and_stores_nothing(string json, string field)
    {
        var before = (await SendAsync(HttpMethod.Get, "/api/v1/thresholds/?active_only=false")).Body.AsArray().Count;

        var (status, problem) = await SendAsync(HttpMethod.Post, "/api/v1/thresholds/", json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.NotNull(problem["errors"]![field]);
        Assert.Contains(field, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, (await SendAsync(HttpMethod.Get, "/api/v1/thresholds/?active_only=false")).Body.AsArray().Count);
    }

    [Fact]
    public async Task Unknown_presets_and_settings_are_404_and_a_duplicate_key_is_400()
    {
        var (presetStatus, preset) = await SendAsync(HttpMethod.Post, "/api/v1/thresholds/presets/gold/apply", null);
        Assert.Equal(HttpStatusCode.NotFound, presetStatus);
        Assert.Contains("basic", preset["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var body = """{"name": "x", "thresholds": {"cpu": {"warning": 80, "critical": 90}}}""";
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Put, "/api/v1/thresholds/threshold_nothere", body)).Status);
        var (duplicateStatus, duplicate) = await SendAsync(HttpMethod.Post, "/api/v1/thresholds/", """{"name": "x", "name": "y", "thresholds": {"cpu": {"warning": 80, "critical": 90}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, duplicateStatus);
        Assert.NotNull(duplicate["detail"]);

        var (tenantStatus, _) = await SendAsync(HttpMethod.Get, "/api/v1/thresholds/default?tenant_id=nobody");
        Assert.Equal(HttpStatusCode.NotFound, tenantStatus);

        var (created, saved) = await SendAsync(HttpMethod.Post, "/api/v1/thresholds/", body);
        Assert.Equal(HttpStatusCode.OK, created);
        Assert.False(saved["is_default"]!.GetValue<bool>());
        Assert.Null(saved["rules"]);
        var id = saved["setting_id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, $"/api/v1/thresholds/{id}", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, $"/api/v1/thresholds/{id}", null)).Status);
    }

    [Fact]
    public async Task The_settings_tab_reads_the_simulator_health_from_keelsons_clusters()
    {
        var (status, health) = await SendAsync(HttpMethod.Get, "/api/v1/simulator/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", health["status"]!.GetValue<string>());
        Assert.Contains("sandbox", health["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?page=0", "page")]
    [InlineData("?page_size=201", "page_size")]
    [InlineData("?page=abc", "page")]
    [InlineData("?status=open", "status")]
    [InlineData("?include_recent=maybe", "include_recent")]
    [InlineData("thresholds/?active_only=sometimes", "active_only")]
    public async Task A_bad_query_is_a_422_naming_the_parameter(string query, string field)
    {
        var (status, problem) = await SendAsync(HttpMethod.Get, query.StartsWith('?') ? "/api/v1/alerts/" + query : "/api/v1/" + query);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.NotNull(problem["errors"]![field]);
        Assert.NotNull(problem["detail"]);
    }

    [Fact]
    public async Task Every_route_is_in_the_openapi_document_with_its_name_summary_and_responses()
    {
        using var client = factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Path: path.Key, Method: op.Key, Operation: op.Value!)))
            .Where(o => o.Operation["operationId"] is not null)
            .ToDictionary(o => o.Operation["operationId"]!.GetValue<string>(), o => o);
        string[] names = ["Overview", "AdvancedRealtime", "AdvancedTenants", "AdvancedSla", "AdvancedAlerts", "AdvancedMonitoringStream", "ListAlerts", "SetAlertStatus",
            "ThresholdPresets", "ApplyThresholdPreset", "DefaultThresholds", "ListThresholds", "CreateThresholds", "ReplaceThresholds", "DeleteThresholds", "SimulatorHealth"];
        foreach (var name in names)
        {
            Assert.True(operations.TryGetValue(name, out var found), $"{name} is not in /openapi/v1.json");
            Assert.False(string.IsNullOrWhiteSpace(found.Operation["summary"]?.GetValue<string>()), $"{name} has no summary");
            Assert.NotNull(found.Operation["responses"]);
        }

        Assert.Equal("/api/v1/simulator/monitoring/advanced/realtime", operations["AdvancedRealtime"].Path);
        Assert.Equal("put", operations["ReplaceThresholds"].Method);
        Assert.NotNull(operations["SetAlertStatus"].Operation["responses"]!["409"]);
        Assert.NotNull(operations["CreateThresholds"].Operation["responses"]!["422"]);
    }

    private static long Millicores(string text) => text.EndsWith('m') ? long.Parse(text[..^1], CultureInfo.InvariantCulture) : (long)(double.Parse(text, CultureInfo.InvariantCulture) * 1000);

    private async Task CreateAsync(string id, bool autoDeploy, int chatbot)
    {
        var body = new JsonObject
        {
            ["tenant_id"] = id,
            ["service_requirements"] = new JsonObject { ["callbot"] = 0, ["chatbot"] = chatbot, ["advisor"] = 0, ["stt"] = 0, ["tts"] = 0, ["ta"] = 0, ["qa"] = 0 },
            ["tenancy_mode"] = "small",
            ["auto_deploy"] = autoDeploy,
        };
        var (status, created) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/", body.ToJsonString());
        Assert.True(status == HttpStatusCode.Created, created.ToJsonString());
    }

    private async Task<JsonNode> WaitForStatusAsync(string id, string wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var (_, tenant) = await SendAsync(HttpMethod.Get, $"/api/v1/tenants/{id}");
            if (tenant["status"]?.GetValue<string>() == wanted || DateTime.UtcNow > deadline)
            {
                return tenant;
            }

            await Task.Delay(200);
        }
    }

    private async Task PushAsync(string tenant, DateTimeOffset at, JsonObject metrics)
    {
        var push = new JsonObject { ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture), ["metrics"] = metrics };
        var (status, body) = await SendAsync(HttpMethod.Post, $"/api/v1/tenants/{tenant}/monitoring", push.ToJsonString());
        Assert.True(status == HttpStatusCode.Accepted, body.ToJsonString());
    }

    // Pushes are written in batches; the read sees them once the writer has flushed.
    private async Task<(HttpStatusCode Status, JsonNode Body)> PollAsync(string path, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var answer = await SendAsync(HttpMethod.Get, path);
            if (answer.Status != HttpStatusCode.OK || done(answer.Body) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(200);
        }
    }

    // As the UI sends them: no X-Demo-Mode header, no key.
    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var client = factory.CreateClient();
        var (status, body, _) = await DropInTests.SendWithAsync(client, method, path, json, demo: null);
        return (status, body);
    }
}
