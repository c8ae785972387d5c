using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Keelson.Cli.Tests.Commands;

/// <summary>A real <c>keelson serve</c> run in-process on a free loopback port, with an admin key for production.</summary>
public sealed class ServeFixture : IAsyncLifetime, IDisposable
{
    public const string AdminKey = "metrics-cli-key";

    private readonly CancellationTokenSource stop = new();
    private readonly StringWriter stdout = new();
    private readonly StringWriter stderr = new();
    private readonly string data = Directory.CreateTempSubdirectory("keelson-metrics-").FullName;
    private Task<int>? run;

    public string Url { get; } = $"http://127.0.0.1:{FreePort()}";

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        run = KeelsonCli.RunAsync(["serve", "--urls", Url, "--Keelson:DataDirectory", data, "--Keelson:AdminKeys:0", AdminKey], stdout, stderr, stop.Token);
        Http = new HttpClient { BaseAddress = new Uri(Url) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(run.IsCompleted, "keelson serve ended: " + stderr);
            try
            {
                using var live = await Http.GetAsync(new Uri("/health/live", UriKind.Relative));
                if (live.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, "keelson serve did not answer within 60 s");
            await Task.Delay(100);
        }
    }

    /// <summary>Sends a request in demo mode, or in production with the admin key.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(string path, string body, string contentType = "application/json", bool demo = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("X-Demo-Mode", demo ? "true" : "false");
        if (!demo)
        {
            request.Headers.Add("X-API-Key", AdminKey);
        }

        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        if (run is not null)
        {
            await run;
        }

        Http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }

    public void Dispose()
    {
        stop.Dispose();
        stdout.Dispose();
        stderr.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class MetricsCommandTests(ServeFixture serve) : IClassFixture<ServeFixture>
{
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Metrics_returns_the_pushed_samples_as_json_and_as_a_table()
    {
        await CreateTenantAsync("cli-metrics");
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        await PushAsync("cli-metrics", [(start, 10), (start.AddMinutes(1), 20), (start.AddMinutes(2), 60)], memory: 42);

        var (exit, json, error) = await Cli.Run("metrics", "cli-metrics", "--server", serve.Url, "--metric", "cpu", "--since", "1h", "-o", "json");
        var (tableExit, table, _) = await Cli.Run("metrics", "cli-metrics", "--server", serve.Url, "--since", "1h");

        Assert.True(exit == 0, error);
        var series = Assert.Single(JsonNode.Parse(json)!["series"]!.AsArray())!;
        Assert.Equal("cpu_usage", series["metric_name"]!.GetValue<string>());
        Assert.Equal([10.0, 20, 60], series["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));

        Assert.Equal(0, tableExit);
        // Both series, by name; min, avg, p95, max, last and the chart rising from lowest to highest.
        Assert.True(Regex.IsMatch(table, @"│ cpu_usage +│ store +│ +3 │ +10 │ +30 │ +60 │ +60 │ +60 │ ▁▂█ +│"), table);
        Assert.True(Regex.IsMatch(table, @"│ memory_usage +│ store +│ +3 │ +42 │ +42 │ +42 │ +42 │ +42 │ ▅▅▅ +│"), table);
        Assert.True(table.IndexOf("cpu_usage", StringComparison.Ordinal) < table.IndexOf("memory_usage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_steps_and_aggregates_on_the_server()
    {
        await CreateTenantAsync("cli-metrics-step");
        var now = DateTimeOffset.UtcNow;
        await PushAsync("cli-metrics-step", [(now.AddMinutes(-5), 10), (now.AddMinutes(-4), 30), (now.AddMinutes(-3), 50)], memory: null);

        // One step as wide as the window: a single point, reduced as asked.
        var (exit, json, error) = await Cli.Run("metrics", "cli-metrics-step", "--server", serve.Url, "-m", "cpu_usage", "--since", "10m", "--step", "10m", "--aggregation", "max", "-o", "json");
        var (minExit, minJson, _) = await Cli.Run("metrics", "cli-metrics-step", "--server", serve.Url, "-m", "cpu_usage", "--since", "10m", "--step", "10m", "--aggregation", "min", "-o", "json");

        Assert.True(exit == 0, error);
        Assert.Equal(0, minExit);
        var answer = JsonNode.Parse(json)!;
        Assert.Equal(600, answer["step_seconds"]!.GetValue<double>());
        Assert.Equal("max", answer["aggregation"]!.GetValue<string>());
        Assert.Equal([50.0], answer["series"]![0]!["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
        Assert.Equal([10.0], JsonNode.Parse(minJson)!["series"]![0]!["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
    }

    [Fact]
    public async Task A_stack_file_names_its_tenant()
    {
        var stack = Testing.Repo.File("examples", "restaurant.yaml");
        var (status, body) = await serve.SendAsync("/api/v1/tenants/", await File.ReadAllTextAsync(stack), "application/yaml");
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Conflict, body);
        await PushAsync("restaurant-system", [(DateTimeOffset.UtcNow.AddMinutes(-1), 12.5)], memory: null);

        var (exit, json, error) = await Cli.Run("metrics", stack, "--server", serve.Url, "--metric", "cpu_usage", "-o", "json");

        Assert.True(exit == 0, error);
        var answer = JsonNode.Parse(json)!;
        Assert.Equal("restaurant-system", answer["tenant_id"]!.GetValue<string>());
        Assert.Contains(12.5, answer["series"]![0]!["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Production_needs_the_key_from_the_option_or_the_environment()
    {
        await CreateTenantAsync("cli-metrics-prod", demo: false);
        var (pushed, pushBody) = await serve.SendAsync("/api/v1/tenants/cli-metrics-prod/monitoring",
            $$$"""{"timestamp": "{{{Iso(DateTimeOffset.UtcNow.AddMinutes(-1))}}}", "metrics": {"cpu_usage": 77}}""", demo: false);
        Assert.True(pushed == HttpStatusCode.Accepted, pushBody);

        var (noKey, noKeyOut, noKeyErr) = await Cli.Run("metrics", "cli-metrics-prod", "--server", serve.Url, "--demo", "false", "-o", "json");
        var (withKey, withKeyOut, withKeyErr) = await Cli.Run("metrics", "cli-metrics-prod", "--server", serve.Url, "--demo", "false", "--api-key", ServeFixture.AdminKey, "-o", "json");
        var (demo, _, demoErr) = await Cli.Run("metrics", "cli-metrics-prod", "--server", serve.Url);
        int fromEnvironment;
        string fromEnvironmentOut;
        Environment.SetEnvironmentVariable("KEELSON_API_KEY", ServeFixture.AdminKey);
        try
        {
            (fromEnvironment, fromEnvironmentOut, _) = await Cli.Run("metrics", "cli-metrics-prod", "--server", serve.Url, "--demo", "false", "-o", "json");
        }
        finally
        {
            Environment.SetEnvironmentVariable("KEELSON_API_KEY", null);
        }

        Assert.Equal(1, noKey);
        Assert.Equal("", noKeyOut);
        Assert.Contains("answered 401", noKeyErr, StringComparison.Ordinal);
        Assert.DoesNotContain(ServeFixture.AdminKey, noKeyErr, StringComparison.Ordinal);
        Assert.True(withKey == 0, withKeyErr);
        Assert.Equal(77, JsonNode.Parse(withKeyOut)!["series"]![0]!["points"]![0]!["value"]!.GetValue<double>());
        Assert.Equal(0, fromEnvironment);
        Assert.Equal(77, JsonNode.Parse(fromEnvironmentOut)!["series"]![0]!["points"]![0]!["value"]!.GetValue<double>());
        // Demo mode has its own tenants: the production tenant is unknown there.
        Assert.Equal(1, demo);
        Assert.Contains("answered 404 NotFound: Tenant 'cli-metrics-prod' not found: No tenant has this id in the selected database", demoErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--aggregation", "median", "keelson: --aggregation 'median' is not allowed; use one of avg, min, max, p95, last, rate")]
    [InlineData("--demo", "maybe", "keelson: --demo 'maybe' is not allowed; use one of true, false")]
    [InlineData("--output", "yaml", "keelson: --output 'yaml' is not allowed; use one of table, json")]
    [InlineData("--since", "forever", "keelson: --since 'forever' is not a duration between 1s and 366d, such as 1h")]
    [InlineData("--step", "0s", "keelson: --step '0s' must be a duration of at least 1s and at most --since, such as 1m")]
    [InlineData("--step", "2h", "keelson: --step '2h' must be a duration of at least 1s and at most --since, such as 1m")]
    [InlineData("--server", "ftp://example.com", "keelson: --server 'ftp://example.com' is not an http:// or https:// URL")]
    public async Task A_bad_option_is_an_input_error_naming_it(string option, string value, string message)
    {
        var arguments = new List<string> { "metrics", "anyone", option, value };
        if (option != "--server")
        {
            arguments.AddRange(["--server", serve.Url]);
        }

        var (exit, output, error) = await Cli.Run([.. arguments]);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_metric_name_is_the_servers_problem_detail()
    {
        await CreateTenantAsync("cli-metrics-bad");

        var (exit, output, error) = await Cli.Run("metrics", "cli-metrics-bad", "--server", serve.Url, "--metric", "cpu-usage!");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("answered 400 BadRequest: The query parameter 'metric' is not valid: metric 'cpu-usage!' is not a metric type or Prometheus metric name", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_reported_not_a_crash()
    {
        var url = $"http://127.0.0.1:{ServeFixture.FreePort()}";

        var (exit, output, error) = await Cli.Run("metrics", "anyone", "--server", url);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains($"keelson: cannot reach keelson serve at {url}/", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
    }

    private async Task CreateTenantAsync(string id, bool demo = true)
    {
        var (status, body) = await serve.SendAsync("/api/v1/tenants/",
            $$$"""{"tenant_id": "{{{id}}}", "name": "{{{id}}}", "service_requirements": {"callbot": 10, "chatbot": 20}}""", demo: demo);
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Conflict, body);
    }

    private async Task PushAsync(string tenant, (DateTimeOffset At, double Cpu)[] samples, double? memory)
    {
        var batch = new JsonArray();
        foreach (var (at, cpu) in samples)
        {
            var metrics = new JsonObject { ["cpu_usage"] = cpu };
            if (memory is { } m)
            {
                metrics["memory_usage"] = m;
            }

            batch.Add(new JsonObject { ["timestamp"] = Iso(at), ["metrics"] = metrics });
        }

        var (status, body) = await serve.SendAsync($"/api/v1/tenants/{tenant}/monitoring", new JsonObject { ["batch"] = batch }.ToJsonString());
        Assert.True(status == HttpStatusCode.Accepted, body);
    }
}
