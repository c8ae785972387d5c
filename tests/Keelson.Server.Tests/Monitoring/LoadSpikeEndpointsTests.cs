using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Api;

namespace Keelson.Server.Tests.Monitoring;

/// <summary>A load spike on a demo tenant raises the CPU the sandbox reports for it, and ending it brings it back.</summary>
public sealed class LoadSpikeEndpointsTests(SandboxSampledApiFactory factory) : IClassFixture<SandboxSampledApiFactory>
{
    [Fact]
    public async Task A_spike_raises_the_sandbox_cpu_and_deleting_it_brings_it_back()
    {
        const string Tenant = "spike-api";
        await MonitoringSocketTests.CreateTenantAsync(factory, Tenant, key: null);
        using var client = factory.CreateClient();
        var path = $"/api/v1/tenants/{Tenant}/load-spikes";

        // Not deployed yet: nothing in the sandbox to load.
        var early = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Post, path, Body(3, "10m"), "true", null);
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Contains("not deployed to the demo sandbox", early.Body["title"]!.GetValue<string>(), StringComparison.Ordinal);

        var (status, accepted, _) = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Post, $"/api/v1/tenants/{Tenant}/deploy", null, "true", null);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("succeeded", (await DeploymentClient.WaitFinishedAsync(client, accepted["deployment_id"]!.GetValue<string>()))["status"]!.GetValue<string>());
        await Task.Delay(700);
        var before = await CpuPercentAsync(client, Tenant);

        // Twenty times the demand keeps the pods at their limits even once the HPAs reach their max.
        var started = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Post, path, Body(20, "1h"), "true", null);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.Equal(20, started.Body["factor"]!.GetValue<double>());
        Assert.NotEmpty(started.Body["workloads"]!.AsArray());
        var spiked = await CpuPercentAsync(client, Tenant);
        Assert.True(spiked > before * 1.3, $"spiked {spiked:F1} % vs {before:F1} % before");

        var active = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, path, null, "true", null);
        Assert.Equal(HttpStatusCode.OK, active.Status);
        Assert.Equal(started.Body["ends_at"]!.GetValue<DateTimeOffset>(), active.Body["ends_at"]!.GetValue<DateTimeOffset>());
        Assert.InRange(active.Body["remaining_seconds"]!.GetValue<double>(), 1, 3600);

        Assert.Equal(HttpStatusCode.NoContent, (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Delete, path, null, "true", null)).Status);
        var after = await CpuPercentAsync(client, Tenant);
        Assert.True(after <= before + 0.5, $"after {after:F1} % vs {before:F1} % before (spiked {spiked:F1} %)");
        Assert.Equal(HttpStatusCode.NotFound, (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, path, null, "true", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Delete, path, null, "true", null)).Status);
    }

    [Theory]
    [InlineData("""{"factor": 1, "duration": "10m"}""", "factor")]
    [InlineData("""{"factor": 20.5, "duration": "10m"}""", "factor")]
    [InlineData("""{"factor": "3", "duration": "10m"}""", "factor")]
    [InlineData("""{"factor": 3, "duration": "25h"}""", "duration")]
    [InlineData("""{"factor": 3, "duration": "500ms"}""", "duration")]
    [InlineData("""{"factor": 3}""", "duration")]
    public async Task Bad_input_is_refused_naming_the_field(string json, string field)
    {
        await MonitoringSocketTests.CreateTenantAsync(factory, "spike-bad", key: null);
        using var client = factory.CreateClient();
        var (status, body, _) = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Post, "/api/v1/tenants/spike-bad/load-spikes", JsonNode.Parse(json)!.AsObject(), "true", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(field, body["field"]!.GetValue<string>());
        Assert.Contains(field + " must be", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_tenants_are_404()
    {
        using var client = factory.CreateClient();
        var (status, body, _) = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Post, "/api/v1/tenants/nobody/load-spikes", Body(3, "10m"), "true", null);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("nobody", body["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static JsonObject Body(double factor, string duration) => new() { ["factor"] = factor, ["duration"] = duration };

    // The sandbox's cpu_usage_percent now: after a second a query reaching now takes a fresh sample.
    private static async Task<double> CpuPercentAsync(HttpClient client, string tenant)
    {
        await Task.Delay(1100);
        var start = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0) - 0.5;
        var answer = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"/api/v1/tenants/{tenant}/monitoring?metric_type=cpu&start={start}"), null, "true", null)).Body;
        var series = answer["series"]!.AsArray().Single(s => s!["metric_name"]!.GetValue<string>() == "cpu_usage_percent");
        return series!["summary"]!["last"]!.GetValue<double>();
    }
}
