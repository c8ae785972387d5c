using System.Net;
using System.Text.Json.Nodes;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// <c>calculate-detailed-hardware</c> as the ECP-AI UI's deployment wizard and hardware panel call it (flat body with
/// every service, zeros for the unused ones, gpu_type and tenancy_mode in the body, no X-Demo-Mode), checked against
/// Keelson's own plan of the same services.
/// </summary>
public sealed class HardwareEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Route = "/api/v1/tenants/calculate-detailed-hardware";

    private static readonly string[] Roles = ["gpu_servers", "cpu_servers", "infrastructure_servers"];

    private static JsonObject Services(int callbot, int chatbot = 0, int tts = 0) => new()
    {
        ["callbot"] = callbot, ["chatbot"] = chatbot, ["advisor"] = 0, ["stt"] = 0, ["tts"] = tts, ["ta"] = 0, ["qa"] = 0,
    };

    [Fact]
    public async Task The_wizard_call_answers_servers_by_role_and_service_details_from_the_plan()
    {
        // DeploymentWizard.tsx on open: {...SR, gpu_type, tenancy_mode: "large"}.
        var body = Services(100, chatbot: 50);
        body["gpu_type"] = "v100";
        body["tenancy_mode"] = "large";
        var (status, hardware, _) = await Send(HttpMethod.Post, Route, body.ToJsonString());

        Assert.True(status == HttpStatusCode.OK, hardware.ToJsonString());
        var spec = hardware["hardware_specification"]!;
        var servers = Roles.SelectMany(role => spec[role]!.AsArray()).ToList();
        Assert.All(servers, s =>
        {
            Assert.False(string.IsNullOrEmpty(s!["name"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(s["purpose"]!.GetValue<string>()));
            Assert.True(s["quantity"]!.GetValue<int>() > 0 && s["cpu_cores"]!.GetValue<int>() > 0 && s["ram_gb"]!.GetValue<int>() > 0);
            Assert.True(s["storage_gb"]!.GetValue<int>() >= 0);
        });
        var gpuServers = spec["gpu_servers"]!.AsArray();
        Assert.All(gpuServers, s => Assert.Equal(("V100", 1, 16), (s!["gpu_type"]!.GetValue<string>(), s["gpu_quantity"]!.GetValue<int>(), s["gpu_ram_gb"]!.GetValue<int>())));
        Assert.Contains("callbot", gpuServers.SelectMany(s => s!["services"]!.AsArray()).Select(n => n!.GetValue<string>()));
        Assert.Equal((false, "large", "v100"), (hardware["filtering_applied"]!.GetValue<bool>(), hardware["tenancy_mode"]!.GetValue<string>(), hardware["gpu_type"]!.GetValue<string>()));

        // The same services through the root calculation: the servers are its node pools, its services the details.
        var (_, planned, _) = await Send(HttpMethod.Post, "/api/v1/calculate-resources?gpu_type=v100", Services(100, chatbot: 50).ToJsonString());
        var plan = planned["plan"]!;
        var nodes = plan["nodes"]!.AsArray().Where(n => n!["nodes"]!.GetValue<int>() > 0)
            .Select(n => $"{n!["pool"]!.GetValue<string>()}:{n["instance_type"]!.GetValue<string>()}x{n["nodes"]!.GetValue<int>()}").Order(StringComparer.Ordinal);
        Assert.Equal(nodes, servers.Select(s => $"{s!["name"]!.GetValue<string>()}:{s["instance_type"]!.GetValue<string>()}x{s["quantity"]!.GetValue<int>()}").Order(StringComparer.Ordinal));
        Assert.Equal(servers.Sum(s => s!["quantity"]!.GetValue<int>()), spec["total_summary"]!["total_servers"]!.GetValue<int>());

        var details = hardware["service_details"]!.AsArray().ToDictionary(d => d!["service_name"]!.GetValue<string>());
        foreach (var service in plan["services"]!.AsArray())
        {
            var detail = details[service!["name"]!.GetValue<string>()]!;
            Assert.Equal(service["replicas"]!.GetValue<int>(), detail["replicas"]!.GetValue<int>());
            Assert.Equal(service["gpu"]!.GetValue<int>(), detail["gpu_count"]!.GetValue<int>() * detail["replicas"]!.GetValue<int>());
            Assert.Equal(double.Parse(service["cpu"]!.GetValue<string>().TrimEnd('m'), System.Globalization.CultureInfo.InvariantCulture) / 1000,
                detail["cpu_cores"]!.GetValue<double>() * detail["replicas"]!.GetValue<int>(), 3);
            Assert.True(detail["memory_gb"]!.GetValue<double>() > 0);
        }

        Assert.Equal(["callbot", "chatbot"], details.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(plan["estimated_cost"]!["monthly_usd"]!.GetValue<double>(), hardware["cost_analysis"]!["aws_total_monthly_usd"]!.GetValue<double>());
    }

    [Fact]
    public async Task The_hardware_panel_call_lists_aws_and_ncp_instances_whose_costs_add_up()
    {
        // HardwareSpecCalculator.tsx: {...SR, gpu_type, include_cloud_mapping: true}.
        var body = Services(40, tts: 10);
        body["gpu_type"] = "t4";
        body["include_cloud_mapping"] = true;
        var (status, hardware, _) = await Send(HttpMethod.Post, Route, body.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status);
        var aws = hardware["aws_instances"]!.AsArray();
        var ncp = hardware["ncp_instances"]!.AsArray();
        var cost = hardware["cost_analysis"]!;
        Assert.Contains("g4dn.xlarge", aws.Select(i => i!["instance_type"]!.GetValue<string>()));
        Assert.Contains("g1-t4", ncp.Select(i => i!["instance_type"]!.GetValue<string>()));
        Assert.All(aws.Concat(ncp), i => Assert.Equal(i!["monthly_cost_krw"]!.GetValue<long>() * i["quantity"]!.GetValue<int>(), i["total_cost_krw"]!.GetValue<long>()));
        Assert.Equal("1x t4", aws.Single(i => i!["instance_type"]!.GetValue<string>() == "g4dn.xlarge")!["gpu_info"]!.GetValue<string>());

        var awsTotal = cost["aws_total_monthly_cost"]!.GetValue<long>();
        var ncpTotal = cost["ncp_total_monthly_cost"]!.GetValue<long>();
        Assert.Equal(aws.Sum(i => i!["total_cost_krw"]!.GetValue<long>()) + cost["aws_control_plane_monthly_krw"]!.GetValue<long>(), awsTotal);
        Assert.Equal(ncp.Sum(i => i!["total_cost_krw"]!.GetValue<long>()) + cost["ncp_control_plane_monthly_krw"]!.GetValue<long>(), ncpTotal);
        Assert.Equal(awsTotal - ncpTotal, cost["cost_difference"]!.GetValue<long>());
        // Won are the planner's dollars at the rate the ncp price list was converted with.
        Assert.Equal(cost["ncp_total_monthly_usd"]!.GetValue<double>() * 1380, ncpTotal, 0);

        // Deterministic: the same request, the same answer.
        Assert.Equal(hardware.ToJsonString(), (await Send(HttpMethod.Post, Route, body.ToJsonString())).Body.ToJsonString());
    }

    [Fact]
    public async Task Options_come_from_the_query_when_the_body_lacks_them_and_the_body_wins()
    {
        var (_, fromQuery, _) = await Send(HttpMethod.Post, Route + "?gpu_type=l40s&tenancy_mode=small", Services(20).ToJsonString());
        var body = Services(20);
        body["gpu_type"] = "t4";
        var (_, bodyWins, _) = await Send(HttpMethod.Post, Route + "?gpu_type=l40s", body.ToJsonString());

        Assert.Equal(("l40s", "small"), (fromQuery["gpu_type"]!.GetValue<string>(), fromQuery["tenancy_mode"]!.GetValue<string>()));
        Assert.Equal("L40S", fromQuery["hardware_specification"]!["gpu_servers"]![0]!["gpu_type"]!.GetValue<string>());
        // ncp has no L40S pool: no NCP list rather than an invented one.
        Assert.Empty(fromQuery["ncp_instances"]!.AsArray());
        Assert.Null(fromQuery["cost_analysis"]!["ncp_total_monthly_cost"]);
        Assert.Null(fromQuery["cost_analysis"]!["cost_difference"]);
        Assert.Contains("L40S", fromQuery["cost_analysis"]!["ncp_unavailable"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("T4", bodyWins["hardware_specification"]!["gpu_servers"]![0]!["gpu_type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"callbot": 10, "callbot": 20}""", HttpStatusCode.BadRequest, "duplicate")]
    [InlineData("""{"callbot": -1, "chatbot": 0}""", HttpStatusCode.UnprocessableEntity, "callbot")]
    [InlineData("""{"callbot": 10, "gpu_type": "a100"}""", HttpStatusCode.UnprocessableEntity, "gpu_type")]
    [InlineData("""{"callbot": 10, "gpu_type": 4}""", HttpStatusCode.UnprocessableEntity, "gpu_type")]
    [InlineData("""{"callbot": 10, "tenancy_mode": "huge"}""", HttpStatusCode.UnprocessableEntity, "tenancy_mode")]
    [InlineData("""{"callbot": 10, "include_cloud_mapping": "yes"}""", HttpStatusCode.UnprocessableEntity, "include_cloud_mapping")]
    [InlineData("""{"callbot": 0, "chatbot": 0, "advisor": 0, "stt": 0, "tts": 0, "ta": 0, "qa": 0}""", HttpStatusCode.UnprocessableEntity, "at least one service")]
    [InlineData("""{"callbot": 10, "voicebot": 5}""", HttpStatusCode.UnprocessableEntity, "voicebot")]
    [InlineData("""[1, 2]""", HttpStatusCode.UnprocessableEntity, "JSON object")]
    public async Task Bad_input_is_a_problem_with_a_detail_naming_the_field(string json, HttpStatusCode expected, string mentioned)
    {
        var (status, problem, headers) = await Send(HttpMethod.Post, Route, json);

        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", headers.ContentType);
        Assert.Contains(mentioned, problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_body_without_content_type_is_415()
    {
        using var client = factory.CreateClient();
        using var content = new ByteArrayContent("""{"callbot": 10}"""u8.ToArray());
        using var response = await client.PostAsync(new Uri(Route, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, ResponseHeaders Headers)> Send(HttpMethod method, string path, string? json)
    {
        using var client = factory.CreateClient();
        return await DropInTests.SendWithAsync(client, method, path, json, demo: null);
    }
}
