using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Rendering;
using Keelson.Sandbox.Simulation;
using Keelson.Server.Api;
using Keelson.Spec.Load;
using Xunit.Abstractions;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// <c>POST /tenants/{tenant_id}/simulations</c>: the answer is <see cref="DaySimulator"/>'s for the tenant's stack and
/// the load, step by step; bad load files are 422s with line and field path; production is refused.
/// </summary>
public sealed class SimulationEndpointsTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private const string Stack = """
        apiVersion: keelson.dev/v1alpha1
        kind: Stack
        metadata: {tenant: sim-day}
        sla: {availability: 99.9%, responseTime: 200ms}
        cluster: {profile: aws-gpu}
        components:
          - {name: callbot, kind: ai-service, service: callbot, sessions: 40}
          - {name: bot, kind: ai-service, service: chatbot, sessions: 60}
        """;

    private const string Load = """
        apiVersion: keelson.dev/v1alpha1
        kind: Load
        name: office day
        curve:
          "00:00": 0.05
          "08:00": 0.4
          "10:00": 1.0
          "16:00": 0.9
          "20:00": 0.1
        components:
          bot: {scale: 0.8}
        """;

    [Fact]
    public async Task A_day_answers_the_simulators_time_series_and_summary_for_the_tenants_stack()
    {
        using var client = factory.CreateClient();
        await CreateAsync(client);
        var body = new JsonObject { ["load"] = Load, ["duration"] = "24h", ["step"] = "1m" }.ToJsonString();

        var clock = Stopwatch.StartNew();
        var (status, answer, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/sim-day/simulations", body, "true");
        output.WriteLine($"a day at 1m steps answered in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(status == HttpStatusCode.OK, answer.ToJsonString());

        // The same engine on the same stack and load, outside the server.
        var manifest = TenantManifests.Render(Stack, new RenderOptions()).Manifest!;
        var load = LoadParser.Parse(Load, "load", [.. manifest.Plan.Components.Select(c => c.Name)]).Value!;
        var expected = await new DaySimulator().RunAsync(manifest, load, TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), [], CancellationToken.None);

        var timeline = answer["timeline"]!.AsArray();
        Assert.Equal(1440, timeline.Count);
        for (var i = 0; i < timeline.Count; i++)
        {
            var step = timeline[i]!;
            var point = expected.Timeline[i];
            Assert.Equal(point.At, step["at"]!.GetValue<DateTimeOffset>());
            Assert.Equal(i + 1, step["minute"]!.GetValue<double>());
            Assert.Equal(point.Components.ToDictionary(c => c.Key, c => c.Value.Replicas), Ints(step["replicas"]!));
            Assert.Equal(point.Components.ToDictionary(c => c.Key, c => c.Value.Ready), Ints(step["ready"]!));
            Assert.Equal(point.NodesPerPool.ToDictionary(), Ints(step["nodes"]!));
            Assert.Equal(point.PendingPods, step["pending_pods"]!.GetValue<int>());
        }

        Assert.Equal("office day", answer["load"]!.GetValue<string>());
        Assert.Equal(expected.CostUsd, answer["cost_usd"]!.GetValue<double>(), 9);
        Assert.Equal(expected.CostUsd, timeline[^1]!["cumulative_cost_usd"]!.GetValue<double>(), 6);
        Assert.Equal(expected.PendingPodMinutes, answer["pending_pod_minutes"]!.GetValue<double>());
        Assert.Equal(expected.Timeline.Max(t => t.NodesPerPool.Values.Sum()), answer["peak_nodes"]!.GetValue<int>());
        Assert.Equal(expected.Events, answer["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(
            expected.Components.Select(c => (c.Name, c.MinReplicas, c.MaxReplicas, c.SlaMinutesLost)),
            answer["components"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["min_replicas"]!.GetValue<int>(), c["max_replicas"]!.GetValue<int>(), c["sla_minutes_lost"]!.GetValue<double>())));
        Assert.Equal(
            expected.Pools.Select(p => (p.Name, p.MinNodes, p.MaxNodes, p.NodeHours)),
            answer["pools"]!.AsArray().Select(p => (p!["name"]!.GetValue<string>(), p["min_nodes"]!.GetValue<int>(), p["max_nodes"]!.GetValue<int>(), p["node_hours"]!.GetValue<double>())));

        // The load moves the autoscaled replicas: more at the morning peak than at night.
        var night = Ints(timeline[3 * 60]!["replicas"]!)["callbot"];
        var peak = Ints(timeline[11 * 60]!["replicas"]!)["callbot"];
        Assert.True(peak > night, $"callbot {night} replicas at 03:00, {peak} at 11:00");

        // Deterministic, and the tenant's own sandbox is untouched: nothing was deployed.
        Assert.Equal(answer.ToJsonString(), (await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/sim-day/simulations", body, "true")).Body.ToJsonString());
        var (_, deployments, _) = await DropInTests.SendWithAsync(client, HttpMethod.Get, "/api/v1/tenants/sim-day/deployments", null, "true");
        Assert.Empty(deployments["deployments"]!.AsArray());
    }

    [Fact]
    public async Task Bad_load_files_are_422_with_the_line_and_field_path()
    {
        using var client = factory.CreateClient();
        await CreateAsync(client);

        // Line 4 holds a time of day that does not exist.
        const string Bad = "kind: Load\nname: broken\ncurve:\n  \"25:00\": 0.5\n  \"10:00\": 1\n";
        var (status, problem, _) = await Simulate(client, new JsonObject { ["load"] = Bad });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("The load file is not valid", problem["title"]!.GetValue<string>());
        Assert.True(problem["diagnostics"]!.AsArray().Any(d => d!["line"]!.GetValue<int>() == 4 && d["path"]!.GetValue<string>() == "curve.25:00"), problem.ToJsonString());
        Assert.StartsWith("line 4, column 3: curve.25:00: ", problem["errors"]!["load"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // Line 5 names a component the tenant's stack does not have.
        var (_, stranger, _) = await Simulate(client, new JsonObject { ["load"] = "kind: Load\ncurve:\n  \"10:00\": 1\ncomponents:\n  advisor: {scale: 2}\n" });
        Assert.True(stranger["diagnostics"]!.AsArray().Any(d => d!["line"]!.GetValue<int>() == 5 && (d["path"]!.GetValue<string>() + d["message"]!.GetValue<string>()).Contains("advisor", StringComparison.Ordinal)), stranger.ToJsonString());

        var (_, syntax, _) = await Simulate(client, new JsonObject { ["load"] = "kind: Load\ncurve: [\n" });
        Assert.StartsWith("line ", syntax["errors"]!["load"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("not valid YAML or JSON", syntax["errors"]!["load"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // The bounds name their field and what is allowed.
        (string Field, JsonObject Body, string Says)[] bounds =
        [
            ("load", new JsonObject(), "is required"),
            ("load", new JsonObject { ["load"] = new string('#', SimulationEndpoints.MaxLoadChars + 1) }, "at most 65536"),
            ("duration", new JsonObject { ["load"] = Load, ["duration"] = "48h" }, "at most 24h"),
            ("duration", new JsonObject { ["load"] = Load, ["duration"] = "soon" }, "a duration"),
            ("step", new JsonObject { ["load"] = Load, ["step"] = "30s" }, "2880 steps"),
            ("step", new JsonObject { ["load"] = Load, ["step"] = "1s" }, "at least 10s"),
            ("speed", new JsonObject { ["load"] = Load, ["speed"] = 2 }, "fields: load, duration, step, failures"),
            ("failures[0]", new JsonObject { ["load"] = Load, ["failures"] = new JsonArray(new JsonObject { ["node"] = "general-000" }) }, "\"after\""),
            ("failures", new JsonObject { ["load"] = Load, ["duration"] = "1h", ["failures"] = new JsonArray(new JsonObject { ["node"] = "nope-9", ["after"] = "10m" }) }, "no node 'nope-9'"),
        ];
        foreach (var (field, body, says) in bounds)
        {
            var (code, answer, _) = await Simulate(client, body);
            Assert.True(code == HttpStatusCode.UnprocessableEntity, $"{field}: {code} {answer.ToJsonString()}");
            Assert.Contains(says, string.Join(" ", answer["errors"]![field]!.AsArray().Select(e => e!.GetValue<string>())), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_tenant_is_404()
    {
        using var client = factory.CreateClient();
        var (missing, notFound, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/nobody-here/simulations", new JsonObject { ["load"] = Load }.ToJsonString(), "true");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("nobody-here", notFound["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static Dictionary<string, int> Ints(JsonNode node) => node.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>());

    private static Task<(HttpStatusCode Status, JsonNode Body, ResponseHeaders Headers)> Simulate(HttpClient client, JsonObject body) =>
        DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/sim-day/simulations", body.ToJsonString(), "true");

    private static async Task CreateAsync(HttpClient client)
    {
        using var created = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), new StringContent(Stack, Encoding.UTF8, "application/yaml"));
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
    }
}

/// <summary>The simulations route under API keys: production is refused, a tenant key simulates only its own tenant.</summary>
public sealed class SimulationEndpointsKeyTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    [Fact]
    public async Task Production_is_refused_and_a_tenant_key_is_kept_to_its_tenant()
    {
        using var client = factory.CreateClient();
        var body = new JsonObject { ["load"] = "kind: Load\ncurve: {\"00:00\": 0.5}\n" }.ToJsonString();

        var (status, problem, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/dep-mine/simulations", body, "false", "admin-key-1");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("Simulation runs on the sandbox", problem["title"]!.GetValue<string>());
        Assert.Contains("X-Demo-Mode: true", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var (other, _, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/someone-else/simulations", body, "true", "mine-key-1");
        Assert.Equal(HttpStatusCode.Forbidden, other);
    }
}
