using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// The ECP-AI web UI's calls as `docs/reference/ecp-ai-api.md` describes them (no X-Demo-Mode, zero counts, its extra
/// fields) and the input hardening found while trying them: every bad body is refused and leaves nothing stored.
/// </summary>
public sealed class DropInTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly JsonObject UiServices = new() { ["callbot"] = 100, ["chatbot"] = 0, ["advisor"] = 0, ["stt"] = 0, ["tts"] = 0, ["ta"] = 0, ["qa"] = 0 };

    [Fact]
    public async Task The_tenant_form_creates_with_zero_counts_and_no_mode_header_then_lists_without_the_slash()
    {
        // TenantCreator.tsx's submit: lower-cased id, every service with 0 for the unused ones, tenancy_mode, auto_deploy.
        var form = new JsonObject { ["tenant_id"] = "ui-form", ["service_requirements"] = UiServices.DeepClone(), ["tenancy_mode"] = "small", ["auto_deploy"] = true };
        var (status, created, headers) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/", form.ToJsonString(), demo: null);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("demo", headers.GetValues("X-Keelson-Mode").Single());
        Assert.Equal((true, "ui-form", "deploying"), (created["success"]!.GetValue<bool>(), created["tenant_id"]!.GetValue<string>(), created["deployment_status"]!.GetValue<string>()));
        Assert.Contains(created["preset"]!.GetValue<string>(), (string[])["micro", "small", "medium", "large"]);
        var gpus = created["estimated_resources"]!["gpu"]!["count"]!.GetValue<int>();
        Assert.True(gpus >= 1, created.ToJsonString());
        Assert.NotNull(created["created_at"]);

        // auto_deploy started a real, durable deployment.
        var deployment = created["deployment_id"]!.GetValue<string>();
        var (deploymentStatus, record, _) = await SendAsync(HttpMethod.Get, $"/api/v1/deployments/{deployment}", null, demo: null);
        Assert.Equal((HttpStatusCode.OK, "ui-form"), (deploymentStatus, record["tenant_id"]!.GetValue<string>()));

        var (listStatus, list, _) = await SendAsync(HttpMethod.Get, "/api/v1/tenants", null, demo: null);
        Assert.Equal(HttpStatusCode.OK, listStatus);
        var tenant = list["tenants"]!.AsArray().Single(t => t!["tenant_id"]!.GetValue<string>() == "ui-form")!;
        Assert.Equal((100, 0, 0, "small"), (tenant["service_config"]!["callbot"]!.GetValue<int>(), tenant["service_config"]!["chatbot"]!.GetValue<int>(),
            tenant["service_config"]!["qa"]!.GetValue<int>(), tenant["tenancy_mode"]!.GetValue<string>()));

        // Nothing was measured for it yet: the usage figures are null, not invented.
        Assert.All(["cpu_usage", "memory_usage", "gpu_usage", "storage_usage"], field => Assert.Null(tenant[field]));
        Assert.Equal((gpus, gpus), (tenant["gpu_info"]!["allocated"]!.GetValue<int>(), tenant["gpu_limit"]!.GetValue<int>()));
        Assert.Null(tenant["gpu_info"]!["utilization"]);
    }

    [Fact]
    public async Task Without_auto_deploy_a_create_starts_nothing_and_pushed_usage_shows_on_the_tenant()
    {
        var body = new JsonObject { ["tenant_id"] = "ui-quiet", ["service_requirements"] = UiServices.DeepClone(), ["description"] = "첫 번째 테넌트" };
        var (status, created, _) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/", body.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("created", created["deployment_status"]!.GetValue<string>());
        Assert.Null(created["deployment_id"]);
        var (_, deployments, _) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/ui-quiet/deployments", null);
        Assert.Empty(Assert.IsType<JsonArray>(deployments["deployments"], exactMatch: false));

        var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var push = new JsonObject { ["timestamp"] = now, ["metrics"] = new JsonObject { ["cpu_usage"] = 42.5, ["gpu_usage"] = 71.0 } };
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/api/v1/tenants/ui-quiet/monitoring", push.ToJsonString())).Status);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonNode tenant;
        do
        {
            (_, tenant, _) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/ui-quiet", null);
        }
        while (tenant["cpu_usage"] is null && DateTime.UtcNow < deadline && await Delay());

        Assert.Equal((42.5, 71.0, "첫 번째 테넌트"), (tenant["cpu_usage"]!.GetValue<double>(), tenant["gpu_info"]!["utilization"]!.GetValue<double>(), tenant["description"]!.GetValue<string>()));
        Assert.Null(tenant["memory_usage"]);
    }

    [Theory]
    [InlineData("l40s", "L40S")]
    [InlineData("v100", "V100")]
    [InlineData("T4", "T4")]
    public async Task A_gpu_type_pins_the_device_of_the_services_that_can_run_on_it(string gpu, string device)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, $"/api/v1/calculate-resources?gpu_type={gpu}", new JsonObject { ["callbot"] = 20, ["stt"] = 0, ["tts"] = 5 }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(device.ToLowerInvariant(), body["gpu_requirements"]!["recommended_type"]!.GetValue<string>());
        var services = body["plan"]!["services"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["device"]!.GetValue<string>());
        Assert.Equal((device, device), (services["callbot"], services["tts"]));
        Assert.Equal(20, body["total_channels"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_cloud_provider_picks_the_cluster_profile_and_its_prices()
    {
        var services = new JsonObject { ["callbot"] = 20 }.ToJsonString();
        var (_, aws, _) = await SendAsync(HttpMethod.Post, "/api/v1/calculate-resources?cloud_provider=aws", services);
        var (_, ncp, _) = await SendAsync(HttpMethod.Post, "/api/v1/calculate-resources?cloud_provider=ncp", services);
        var (azureStatus, azure, _) = await SendAsync(HttpMethod.Post, "/api/v1/calculate-resources?cloud_provider=azure", services);

        static string Instances(JsonNode body) => string.Join(",", body["plan"]!["nodes"]!.AsArray().Select(n => n!["instance_type"]!.GetValue<string>()));
        Assert.NotEqual(Instances(aws), Instances(ncp));
        Assert.NotEqual(aws["plan"]!["estimated_cost"]!["monthly_usd"]!.GetValue<double>(), ncp["plan"]!["estimated_cost"]!["monthly_usd"]!.GetValue<double>());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, azureStatus);
        Assert.Contains("no price list", azure["errors"]!["cloud_provider"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad-dup", """{"tenant_id": "bad-dup", "tenant_id": "other", "service_requirements": {"callbot": 10}}""", HttpStatusCode.BadRequest, "tenant_id")]
    [InlineData("bad-dup-sr", """{"tenant_id": "bad-dup-sr", "service_requirements": {"callbot": 10, "callbot": 500}}""", HttpStatusCode.BadRequest, "callbot")]
    [InlineData("bad-preset", """{"tenant_id": "bad-preset", "preset": "gigantic", "service_requirements": {"callbot": 10}}""", HttpStatusCode.UnprocessableEntity, "preset")]
    [InlineData("bad-negative", """{"tenant_id": "bad-negative", "service_requirements": {"callbot": -1}}""", HttpStatusCode.UnprocessableEntity, "service_requirements.callbot")]
    [InlineData("bad-zeros", """{"tenant_id": "bad-zeros", "service_requirements": {"callbot": 0, "chatbot": 0}}""", HttpStatusCode.UnprocessableEntity, "service_requirements")]
    [InlineData("bad-tenancy", """{"tenant_id": "bad-tenancy", "tenancy_mode": "huge", "service_requirements": {"callbot": 10}}""", HttpStatusCode.UnprocessableEntity, "tenancy_mode")]
    [InlineData("bad-gpu", """{"tenant_id": "bad-gpu", "gpu_type": "a100", "service_requirements": {"callbot": 10}}""", HttpStatusCode.UnprocessableEntity, "gpu_type")]
    [InlineData("bad-control", """{"tenant_id": "bad-control", "name": "tab\u0007bell", "service_requirements": {"callbot": 10}}""", HttpStatusCode.UnprocessableEntity, "name")]
    public async Task A_bad_create_is_refused_with_its_field_and_stores_nothing(string id, string json, HttpStatusCode expected, string field)
    {
        var (status, problem, headers) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/", json);

        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", headers.ContentType);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), $"every 4xx carries a string detail the UI can show: {problem.ToJsonString()}");
        Assert.Contains(field, problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/v1/tenants/{id}", null)).Status);
    }

    [Fact]
    public async Task A_megabyte_name_is_422_and_not_stored()
    {
        var body = new JsonObject { ["tenant_id"] = "bad-long", ["name"] = new string('x', 1 << 20), ["service_requirements"] = new JsonObject { ["callbot"] = 10 } };
        var (status, problem, _) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/", body.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("is 1048576 characters long; at most 200 are allowed", problem["errors"]!["name"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/v1/tenants/bad-long", null)).Status);
    }

    [Fact]
    public async Task Invalid_utf8_is_400_and_a_body_without_content_type_is_415()
    {
        var valid = Encoding.UTF8.GetBytes("""{"tenant_id": "bad-utf8", "name": "X", "service_requirements": {"callbot": 10}}""");
        var broken = valid.ToArray();
        broken[Array.IndexOf(broken, (byte)'X')] = 0xC3; // a lead byte followed by '"': not UTF-8

        using var client = factory.CreateClient();
        using var invalid = new ByteArrayContent(broken);
        invalid.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var badUtf8 = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), invalid);
        using var untyped = new ByteArrayContent(valid);
        using var noType = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), untyped);

        Assert.Equal(HttpStatusCode.BadRequest, badUtf8.StatusCode);
        Assert.Contains("UTF-8", await badUtf8.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, noType.StatusCode);
        Assert.Contains("Content-Type", await noType.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/v1/tenants/bad-utf8", null)).Status);
    }

    [Fact]
    public async Task Duplicate_keys_are_400_on_replace_and_both_calculations()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/tenants/", """{"tenant_id": "dup-put", "service_requirements": {"callbot": 10}}""")).Status);

        var replace = await SendAsync(HttpMethod.Put, "/api/v1/tenants/dup-put", """{"tenant_id": "dup-put", "service_requirements": {"callbot": 10, "callbot": 900}}""");
        var calculate = await SendAsync(HttpMethod.Post, "/api/v1/tenants/calculate-resources", """{"tenant_id": "x", "tenant_id": "y", "service_requirements": {"callbot": 1}}""");
        var root = await SendAsync(HttpMethod.Post, "/api/v1/calculate-resources", """{"callbot": 1, "callbot": 2}""");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (replace.Status, calculate.Status, root.Status));
        Assert.All([replace.Body, calculate.Body, root.Body], p => Assert.Contains("duplicate", p["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase));
        var (_, stored, _) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/dup-put", null);
        Assert.Equal(10, stored["service_config"]!["callbot"]!.GetValue<int>());
    }

    [Fact]
    public async Task Root_calculate_resources_takes_the_bare_service_map()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, "/api/v1/calculate-resources", """{"callbot": 10, "chatbot": 100, "advisor": 5, "stt": 0}""", demo: null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((15, 100), (body["total_channels"]!.GetValue<int>(), body["total_users"]!.GetValue<int>()));
        var gpus = body["gpu_requirements"]!.AsObject().Where(p => p.Key != "recommended_type").Sum(p => p.Value!.GetValue<int>());
        Assert.Equal(body["plan"]!["resources"]!["gpu"]!.GetValue<int>(), gpus);
        var cpus = body["cpu_requirements"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("callbot", cpus);
        Assert.DoesNotContain("stt", cpus);
        Assert.Equal(body["plan"]!["preset"]!.GetValue<string>(), body["preset"]!.GetValue<string>());

        var (badStatus, bad, _) = await SendAsync(HttpMethod.Post, "/api/v1/calculate-resources", """{"callbot": "ten"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badStatus);
        Assert.NotNull(bad["errors"]!["callbot"]);
    }

    [Theory]
    [InlineData("/api/v1/tenants/?offset=abc", "offset")]
    [InlineData("/api/v1/tenants/?limit=1e9", "limit")]
    public async Task A_query_value_that_does_not_bind_is_a_400_naming_the_parameter(string path, string parameter)
    {
        var (status, problem, headers) = await SendAsync(HttpMethod.Get, path, null);

        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (status, headers.ContentType));
        Assert.Contains(parameter, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, ResponseHeaders Headers)> SendAsync(HttpMethod method, string path, string? json, string? demo = "true")
    {
        using var client = factory.CreateClient();
        return await SendWithAsync(client, method, path, json, demo);
    }

    /// <summary>Sends <paramref name="json"/> (if any) as application/json; <paramref name="demo"/> null sends no X-Demo-Mode.</summary>
    internal static async Task<(HttpStatusCode Status, JsonNode Body, ResponseHeaders Headers)> SendWithAsync(HttpClient client, HttpMethod method, string path, string? json, string? demo, string? key = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (demo is not null)
        {
            request.Headers.Add("X-Demo-Mode", demo);
        }

        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!, new ResponseHeaders(response));
    }
}

/// <summary>A response's headers and content type, kept after the response is disposed.</summary>
public sealed class ResponseHeaders(HttpResponseMessage response)
{
    private readonly Dictionary<string, string[]> values = response.Headers.Concat(response.Content.Headers)
        .ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The media type of the body.</summary>
    public string? ContentType { get; } = response.Content.Headers.ContentType?.MediaType;

    /// <summary>The values of <paramref name="name"/>; empty when absent.</summary>
    public IReadOnlyList<string> GetValues(string name) => values.TryGetValue(name, out var v) ? v : [];
}

/// <summary>Tenant-scoped keys see and plan only their own tenant.</summary>
public sealed class DropInKeyTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    [Fact]
    public async Task A_scoped_key_sees_its_tenant_on_the_first_page_and_may_not_plan_or_validate_another()
    {
        using var client = factory.CreateClient();
        foreach (var id in (string[])["aaa-first", "bbb-second", "dep-mine"])
        {
            var (status, body, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/", $$$"""{"tenant_id": "{{{id}}}", "service_requirements": {"chatbot": 10}}""", "true", "admin-key-1");
            Assert.True(status == HttpStatusCode.Created, body.ToJsonString());
        }

        var (_, page, _) = await DropInTests.SendWithAsync(client, HttpMethod.Get, "/api/v1/tenants/?limit=1", null, "true", "mine-key-1");
        Assert.Equal(["dep-mine"], page["tenants"]!.AsArray().Select(t => t!["tenant_id"]!.GetValue<string>()));
        Assert.Equal(1, page["total_count"]!.GetValue<int>());

        var (calculate, _, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/calculate-resources",
            """{"tenant_id": "aaa-first", "service_requirements": {"chatbot": 10}}""", "true", "mine-key-1");
        var (validate, _, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/validate-manifest",
            """{"tenant_id": "aaa-first", "manifest_content": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n"}""", "true", "mine-key-1");
        var (own, _, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/calculate-resources",
            """{"tenant_id": "dep-mine", "service_requirements": {"chatbot": 10}}""", "true", "mine-key-1");
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK), (calculate, validate, own));
    }
}

/// <summary>The server with the ECP-AI web UI's dev-server origin allowed.</summary>
public sealed class CorsApiFactory : ApiFactory
{
    /// <summary>The allowed origin.</summary>
    public const string Origin = "http://localhost:3000";

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:CorsOrigins:0", Origin);
    }
}

/// <summary>CORS as a browser's preflight asks for it; nothing is allowed unless configured.</summary>
public sealed class CorsTests(CorsApiFactory factory) : IClassFixture<CorsApiFactory>
{
    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/tenants/");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-demo-mode");
        return request;
    }

    [Fact]
    public async Task A_preflight_from_the_configured_origin_is_allowed_and_answers_expose_the_mode()
    {
        using var client = factory.CreateClient();
        using var preflight = Preflight(CorsApiFactory.Origin);
        using var answer = await client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(CorsApiFactory.Origin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-demo-mode", answer.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("POST", answer.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);

        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenants/");
        get.Headers.Add("Origin", CorsApiFactory.Origin);
        using var listed = await client.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains("X-Keelson-Mode", listed.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Another_origin_gets_no_allow_headers()
    {
        using var client = factory.CreateClient();
        using var preflight = Preflight("http://evil.example");
        using var answer = await client.SendAsync(preflight);

        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

/// <summary>Without configured origins the server sends no CORS headers at all.</summary>
public sealed class NoCorsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Nothing_is_allowed_by_default()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenants/");
        request.Headers.Add("Origin", CorsApiFactory.Origin);
        using var answer = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

/// <summary>The server as bench/dropin/real-ui.sh runs it for the ECP-AI web UI: its origin allowed and pinned to demo.</summary>
public sealed class DemoOriginApiFactory : ApiFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:CorsOrigins:0", CorsApiFactory.Origin);
        builder.UseSetting("Keelson:DemoOrigins:0", CorsApiFactory.Origin);
    }
}

/// <summary>
/// Found driving the real UI: its integrated dashboard lists tenants with <c>X-Demo-Mode: false</c> (TenantDataService) while
/// the wizard creates them without the header, so with the default mode the cards stayed empty behind a 401.
/// </summary>
public sealed class DemoOriginTests(DemoOriginApiFactory factory) : IClassFixture<DemoOriginApiFactory>
{
    private static async Task<(HttpStatusCode Status, JsonNode Body, string Mode)> ListAsync(HttpClient client, string? origin, string path = "/api/v1/tenants/")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Demo-Mode", "false");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!, response.Headers.GetValues("X-Keelson-Mode").Single());
    }

    [Fact]
    public async Task The_pinned_origin_s_production_calls_are_served_in_demo_and_other_callers_still_need_a_key()
    {
        using var client = factory.CreateClient();
        var (created, body, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/",
            """{"tenant_id": "pinned-ui", "service_requirements": {"callbot": 0, "chatbot": 20, "advisor": 0}, "tenancy_mode": "small", "auto_deploy": false}""", demo: null);
        Assert.True(created == HttpStatusCode.Created, body.ToJsonString());

        // IntegratedDashboard → TenantDataService.getTenants(): GET :8001/api/v1/tenants/ with X-Demo-Mode: false.
        var (status, page, mode) = await ListAsync(client, CorsApiFactory.Origin);
        Assert.Equal((HttpStatusCode.OK, "demo"), (status, mode));
        Assert.Equal(["pinned-ui"], page["tenants"]!.AsArray().Select(t => t!["tenant_id"]!.GetValue<string>()));
        var (detail, tenant, _) = await ListAsync(client, CorsApiFactory.Origin, "/api/v1/tenants/pinned-ui");
        Assert.Equal((HttpStatusCode.OK, 20), (detail, tenant["service_config"]!["chatbot"]!.GetValue<int>()));

        // Any other origin, or none, gets production as asked: never open without a key.
        var (other, problem, otherMode) = await ListAsync(client, "http://localhost:3001");
        var (plain, _, plainMode) = await ListAsync(client, null);
        Assert.Equal((HttpStatusCode.Unauthorized, "production"), (other, otherMode));
        Assert.Equal((HttpStatusCode.Unauthorized, "production"), (plain, plainMode));
        Assert.Contains("key", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }
}
