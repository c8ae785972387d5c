using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace Keelson.Server.Tests.Api;

/// <summary>The server with small monitoring limits, so the limits can be reached in a test.</summary>
public sealed class MonitoringApiFactory : ApiFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:Monitoring:MaxSeriesPerTenant", "6");
        builder.UseSetting("Keelson:Monitoring:MaxPushBytes", "4096");
        builder.UseSetting("Keelson:Monitoring:MaxSamplesPerPush", "20");
    }
}

public sealed class MonitoringEndpointsTests(MonitoringApiFactory factory) : IClassFixture<MonitoringApiFactory>
{
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_seeds_push_is_accepted_and_its_query_by_metric_type_returns_it()
    {
        await CreateTenantAsync("mon-seed");
        var (pushed, accepted) = await PostAsync("/api/v1/tenants/mon-seed/monitoring",
            $$$"""{"timestamp": "{{{Iso(DateTimeOffset.UtcNow)}}}", "metrics": {"cpu_usage": 65.5, "memory_usage": 78.2, "gpu_usage": 85.0, "request_count": 1250, "response_time": 145.8}}""");

        var (status, answer) = await GetAsync("/api/v1/tenants/mon-seed/monitoring?metric_type=cpu&hours=24");

        Assert.Equal(HttpStatusCode.Accepted, pushed);
        Assert.Equal(("accepted", 5), (accepted["status"]!.GetValue<string>(), accepted["samples"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.OK, status);
        var series = Assert.Single(answer["series"]!.AsArray())!;
        Assert.Equal(("cpu_usage", "cpu"), (series["metric_name"]!.GetValue<string>(), series["metric_type"]!.GetValue<string>()));
        Assert.Equal(65.5, series["points"]![0]!["value"]!.GetValue<double>());
        Assert.Equal(65.5, series["summary"]!["last"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_query_steps_aggregates_and_selects_several_metrics()
    {
        await CreateTenantAsync("mon-step");
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(DateTime.UtcNow.Hour - 1), TimeSpan.Zero);
        var batch = new JsonArray();
        for (var i = 0; i < 4; i++)
        {
            batch.Add(new JsonObject { ["timestamp"] = Iso(start.AddSeconds(i * 30)), ["metrics"] = new JsonObject { ["cpu_usage"] = 10 * (i + 1), ["gpu_usage"] = 50 + i, ["memory_usage"] = 1 } });
        }

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("/api/v1/tenants/mon-step/monitoring", new JsonObject { ["batch"] = batch }.ToJsonString())).Status);
        var window = $"start={Iso(start)}Z&end={Iso(start.AddMinutes(5))}Z";

        var (status, answer) = await GetAsync($"/api/v1/tenants/mon-step/monitoring?metric=cpu&metric=gpu_usage&{window}&step=1m&aggregation=max");
        var (_, p95) = await GetAsync($"/api/v1/tenants/mon-step/monitoring?metric_type=cpu&{window}&step=60s&aggregation=p95");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(60, answer["step_seconds"]!.GetValue<double>());
        var series = answer["series"]!.AsArray().ToDictionary(s => s!["metric_name"]!.GetValue<string>());
        Assert.Equal(["cpu_usage", "gpu_usage"], series.Keys.Order());
        Assert.Equal([20.0, 40], series["cpu_usage"]!["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
        Assert.Equal([51.0, 53], series["gpu_usage"]!["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
        Assert.Equal(25.0, series["cpu_usage"]!["summary"]!["avg"]!.GetValue<double>());
        Assert.Equal(30.0 / 90, series["cpu_usage"]!["summary"]!["rate"]!.GetValue<double>(), 9);
        Assert.Equal([20.0, 40], p95["series"]![0]!["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
    }

    [Fact]
    public async Task A_batch_for_several_tenants_is_stored_for_each()
    {
        await CreateTenantAsync("mon-batch-a");
        await CreateTenantAsync("mon-batch-b");
        var now = Iso(DateTimeOffset.UtcNow);

        var (status, body) = await PostAsync("/api/v1/monitoring",
            $$$"""{"batch": [{"tenant_id": "mon-batch-a", "timestamp": "{{{now}}}", "metrics": {"cpu_usage": 1}}, {"tenant_id": "mon-batch-b", "timestamp": "{{{now}}}", "metrics": {"cpu_usage": 2}}]}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(2, body["samples"]!.GetValue<int>());
        Assert.Equal(1.0, (await LastAsync("mon-batch-a", "cpu_usage"))!.Value);
        Assert.Equal(2.0, (await LastAsync("mon-batch-b", "cpu_usage"))!.Value);
    }

    [Theory]
    [InlineData("""{"metrics": {"memory_usage": 1, "cpu_usage": NaN}}""", HttpStatusCode.BadRequest, "metrics.cpu_usage")]
    [InlineData("""{"metrics": {"memory_usage": 1, "cpu_usage": Infinity}}""", HttpStatusCode.BadRequest, "metrics.cpu_usage")]
    [InlineData("""{"metrics": {"memory_usage": 1, "cpu_usage": -Infinity}}""", HttpStatusCode.BadRequest, "metrics.cpu_usage")]
    [InlineData("""{"metrics": {"memory_usage": 1, "cpu_usage": 1e400}}""", HttpStatusCode.UnprocessableEntity, "metrics.cpu_usage")]
    [InlineData("""{"metrics": {"memory_usage": 1, "cpu_usage": "65.5"}}""", HttpStatusCode.UnprocessableEntity, "metrics.cpu_usage")]
    [InlineData("""{"metrics": {"memory_usage": 1, "cpu_usage": true}}""", HttpStatusCode.UnprocessableEntity, "metrics.cpu_usage")]
    [InlineData("""{"metrics": {"memory_usage": 1, "cpu-usage": 1}}""", HttpStatusCode.UnprocessableEntity, "metrics.cpu-usage")]
    [InlineData("""{"metrics": {"memory_usage": 1, "1cpu": 1}}""", HttpStatusCode.UnprocessableEntity, "metrics.1cpu")]
    [InlineData("""{"timestamp": "FUTURE", "metrics": {"memory_usage": 1}}""", HttpStatusCode.UnprocessableEntity, "timestamp")]
    [InlineData("""{"timestamp": "PAST", "metrics": {"memory_usage": 1}}""", HttpStatusCode.UnprocessableEntity, "timestamp")]
    [InlineData("""{"timestamp": "yesterday", "metrics": {"memory_usage": 1}}""", HttpStatusCode.UnprocessableEntity, "timestamp")]
    [InlineData("""{"timestamp": "NOW"}""", HttpStatusCode.UnprocessableEntity, "metrics")]
    [InlineData("""{"batch": [{"metrics": {"memory_usage": 1}}, {"metrics": {"cpu_usage": null}}]}""", HttpStatusCode.UnprocessableEntity, "batch[1].metrics.cpu_usage")]
    [InlineData("""[1, 2]""", HttpStatusCode.UnprocessableEntity, "$")]
    public async Task Bad_input_is_a_problem_naming_the_field_and_stores_nothing(string body, HttpStatusCode expected, string field)
    {
        var tenant = $"mon-bad-{Guid.NewGuid():N}"[..20];
        await CreateTenantAsync(tenant);
        body = body.Replace("FUTURE", Iso(DateTimeOffset.UtcNow.AddMinutes(10)), StringComparison.Ordinal)
            .Replace("PAST", Iso(DateTimeOffset.UtcNow.AddDays(-16)), StringComparison.Ordinal)
            .Replace("NOW", Iso(DateTimeOffset.UtcNow), StringComparison.Ordinal);

        var (status, problem) = await PostAsync($"/api/v1/tenants/{tenant}/monitoring", body);

        Assert.Equal(expected, status);
        Assert.Contains(field, expected == HttpStatusCode.BadRequest ? problem["field"]!.GetValue<string>() : string.Join(",", problem["errors"]!.AsObject().Select(e => e.Key)), StringComparison.Ordinal);
        Assert.Null(await LastAsync(tenant, "memory_usage"));
    }

    [Fact]
    public async Task An_unknown_tenant_is_404_and_a_batch_naming_one_stores_nothing()
    {
        await CreateTenantAsync("mon-known");
        var now = Iso(DateTimeOffset.UtcNow);

        var (direct, problem) = await PostAsync("/api/v1/tenants/mon-nobody/monitoring", """{"metrics": {"cpu_usage": 1}}""");
        var (batch, _) = await PostAsync("/api/v1/monitoring",
            $$$"""{"batch": [{"tenant_id": "mon-known", "timestamp": "{{{now}}}", "metrics": {"cpu_usage": 1}}, {"tenant_id": "mon-nobody", "metrics": {"cpu_usage": 2}}]}""");
        var (query, _) = await GetAsync("/api/v1/tenants/mon-nobody/monitoring");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (direct, batch, query));
        Assert.Equal("Tenant 'mon-nobody' not found", problem["title"]!.GetValue<string>());
        Assert.Null(await LastAsync("mon-known", "cpu_usage"));
    }

    [Fact]
    public async Task Oversized_pushes_are_413_and_store_nothing()
    {
        await CreateTenantAsync("mon-big");
        var many = new JsonObject { ["metrics"] = new JsonObject(Enumerable.Range(0, 21).Select(i => KeyValuePair.Create($"m{i}", (JsonNode?)i))) };
        var huge = new JsonObject { ["metrics"] = new JsonObject { ["memory_usage"] = 1, ["padding_" + new string('x', 150)] = 1 } };
        for (var i = 0; i < 30; i++)
        {
            huge["metrics"]![$"p{i}_" + new string('y', 150)] = i;
        }

        var (tooMany, problem) = await PostAsync("/api/v1/tenants/mon-big/monitoring", many.ToJsonString());
        var (tooLarge, _) = await PostAsync("/api/v1/tenants/mon-big/monitoring", huge.ToJsonString());

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestEntityTooLarge), (tooMany, tooLarge));
        Assert.Contains("at most 20", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await LastAsync("mon-big", "memory_usage"));
        Assert.Null(await LastAsync("mon-big", "m0"));
    }

    [Fact]
    public async Task The_series_limit_refuses_a_push_naming_the_limit()
    {
        await CreateTenantAsync("mon-limit");
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("/api/v1/tenants/mon-limit/monitoring", """{"metrics": {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}}""")).Status);

        var (status, problem) = await PostAsync("/api/v1/tenants/mon-limit/monitoring", """{"metrics": {"a": 2, "f": 2, "g": 2}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal((6, 5), (problem["limit"]!.GetValue<int>(), problem["existing"]!.GetValue<int>()));
        Assert.Contains("limit is 6", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1.0, (await LastAsync("mon-limit", "a"))!.Value);
    }

    [Theory]
    [InlineData("hours=-1", "hours")]
    [InlineData("hours=soon", "hours")]
    [InlineData("step=abc", "step")]
    [InlineData("step=1s&hours=24", "step")]
    [InlineData("aggregation=median", "aggregation")]
    [InlineData("aggregation=3", "aggregation")]
    [InlineData("start=garbage", "start")]
    [InlineData("end=garbage", "end")]
    [InlineData("metric_type=cpu-usage", "metric_type")]
    public async Task Bad_query_parameters_are_400_naming_the_parameter(string query, string parameter)
    {
        await CreateTenantAsync("mon-query");

        var (status, problem) = await GetAsync($"/api/v1/tenants/mon-query/monitoring?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(parameter, problem["parameter"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pushed_values_are_exposed_for_scraping_with_a_tenant_label()
    {
        await CreateTenantAsync("mon-scrape");
        await PostAsync("/api/v1/tenants/mon-scrape/monitoring", $$$"""{"timestamp": "{{{Iso(DateTimeOffset.UtcNow.AddSeconds(-5))}}}", "metrics": {"queue_depth": 3}}""");
        await PostAsync("/api/v1/tenants/mon-scrape/monitoring", $$$"""{"timestamp": "{{{Iso(DateTimeOffset.UtcNow)}}}", "metrics": {"queue_depth": 7.25}}""");
        await LastAsync("mon-scrape", "queue_depth");

        using var client = factory.CreateClient();
        var text = await client.GetStringAsync("/metrics/pushed");

        Assert.Contains("# TYPE queue_depth untyped\n", text, StringComparison.Ordinal);
        Assert.Contains("queue_depth{tenant=\"mon-scrape\",mode=\"demo\"} 7.25\n", text, StringComparison.Ordinal);
    }

    internal async Task CreateTenantAsync(string id)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/") { Content = JsonContent.Create(DeploymentEndpointsTests.Request(id)) };
        request.Headers.Add("X-Demo-Mode", "true");
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    private async Task<double?> LastAsync(string tenant, string metric)
    {
        var (status, answer) = await GetAsync($"/api/v1/tenants/{tenant}/monitoring?metric={metric}&hours=24");
        Assert.Equal(HttpStatusCode.OK, status);
        return answer["series"]!.AsArray().FirstOrDefault()?["summary"]!["last"]!.GetValue<double>();
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, string json)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Demo-Mode", "true");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string path)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Demo-Mode", "true");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!);
    }
}
