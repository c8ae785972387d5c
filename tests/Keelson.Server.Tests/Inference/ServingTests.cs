using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Inference;
using Keelson.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Keelson.Server.Tests.Inference;

/// <summary>Dynamic batching, the per-model metrics on /metrics, and alias promotion while requests keep arriving.</summary>
public sealed partial class ServingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Concurrent_requests_are_batched_and_each_gets_its_own_rows_back()
    {
        using var client = factory.CreateClient();
        await ModelClient.CreateTenantAsync(client, "inf-batch");
        await ModelClient.UploadModelAsync(client, "inf-batch", "dyn", "dynamic_mlp");
        var (set, _) = await ModelClient.SendAsync(client, HttpMethod.Put, "/api/v1/tenants/inf-batch/models/dyn/serving", null,
            """{"max_batch_size": 8, "max_queue_delay_us": 20000, "max_concurrency": 1}""");
        Assert.Equal(HttpStatusCode.OK, set);

        const int Clients = 16;
        var rows = Enumerable.Range(0, Clients * 4).Select(i => (float)Math.Cos(i * 0.7)).ToArray();
        var reference = (await TestModels.ReferenceAsync("dynamic_mlp", ModelClient.XRequest([Clients, 4], rows)))["y"];
        var answers = await Task.WhenAll(Enumerable.Range(0, Clients).Select(i =>
            ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/dyn/infer", "inf-batch", ModelClient.XRequest([1, 4], rows[(i * 4)..((i + 1) * 4)]).ToJsonString())));
        for (var i = 0; i < Clients; i++)
        {
            Assert.Equal(HttpStatusCode.OK, answers[i].Status);
            ModelClient.AssertClose(reference.Skip(i * 3).Take(3).ToList(), answers[i].Body!, "y");
        }

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        const string labels = "tenant=\"inf-batch\",model=\"dyn\",version=\"1\"";
        Assert.Equal(Clients, Value(metrics, $"keelson_inference_batch_requests_sum{{{labels}}}"));
        Assert.Equal(Clients, Value(metrics, $"keelson_inference_batch_rows_sum{{{labels}}}"));
        Assert.InRange(Value(metrics, $"keelson_inference_batch_requests_count{{{labels}}}"), 2, Clients - 1);
        Assert.Equal(Clients, Value(metrics, $"keelson_inference_requests_total{{{labels},outcome=\"success\"}}"));
        Assert.True(Value(metrics, $"keelson_inference_compute_seconds_sum{{{labels}}}") > 0);
        Assert.True(Value(metrics, $"keelson_inference_queue_seconds_count{{{labels}}}") >= 2);
    }

    [Fact]
    public async Task A_deleted_version_s_executor_is_dropped_and_its_session_unloaded_unless_another_version_shares_the_file()
    {
        using var client = factory.CreateClient();
        await ModelClient.CreateTenantAsync(client, "inf-forget");
        await ModelClient.UploadModelAsync(client, "inf-forget", "solo", "two_inputs");
        await ModelClient.UploadModelAsync(client, "inf-forget", "pair", "mlp");
        await ModelClient.UploadModelAsync(client, "inf-forget", "pair", "mlp");
        var runtime = factory.Services.GetRequiredService<TenantModels>().Runtime;
        var soloDigest = (await ModelClient.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/inf-forget/models/solo/versions/1", null)).Body!["digest"]!.GetValue<string>();
        var pairDigest = (await ModelClient.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/inf-forget/models/pair/versions/1", null)).Body!["digest"]!.GetValue<string>();
        foreach (var path in new[] { "/v2/models/solo/versions/1/ready", "/v2/models/pair/versions/1/ready", "/v2/models/pair/versions/2/ready" })
        {
            Assert.Equal(HttpStatusCode.OK, (await ModelClient.SendAsync(client, HttpMethod.Get, path, "inf-forget")).Status);
        }

        Assert.Superset(new HashSet<ModelKey> { new("inf-forget", "solo", 1), new("inf-forget", "pair", 1), new("inf-forget", "pair", 2) }, runtime.Executors.ToHashSet());
        Assert.True(runtime.Sessions.IsLoaded(soloDigest));

        Assert.Equal(HttpStatusCode.NoContent, (await ModelClient.SendAsync(client, HttpMethod.Delete, "/api/v1/tenants/inf-forget/models/solo/versions/1", null)).Status);
        Assert.DoesNotContain(new ModelKey("inf-forget", "solo", 1), runtime.Executors);
        Assert.False(runtime.Sessions.IsLoaded(soloDigest));

        // Version 2 has the same file: deleting version 1 drops its executor but the session keeps serving version 2.
        Assert.Equal(HttpStatusCode.NoContent, (await ModelClient.SendAsync(client, HttpMethod.Delete, "/api/v1/tenants/inf-forget/models/pair/versions/1", null)).Status);
        Assert.DoesNotContain(new ModelKey("inf-forget", "pair", 1), runtime.Executors);
        Assert.Contains(new ModelKey("inf-forget", "pair", 2), runtime.Executors);
        Assert.True(runtime.Sessions.IsLoaded(pairDigest));
        Assert.Equal(HttpStatusCode.NotFound, (await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/pair/versions/1/ready", "inf-forget")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/pair/versions/2/ready", "inf-forget")).Status);
    }

    [Fact]
    public async Task While_production_moves_between_versions_no_request_fails_or_mixes_them()
    {
        using var client = factory.CreateClient();
        await ModelClient.CreateTenantAsync(client, "inf-promo");
        await ModelClient.UploadModelAsync(client, "inf-promo", "scorer", "dynamic_mlp");
        await ModelClient.UploadModelAsync(client, "inf-promo", "scorer", "mlp_v2");
        await ModelClient.SendAsync(client, HttpMethod.Put, "/api/v1/tenants/inf-promo/models/scorer/serving", null, """{"max_batch_size": 8, "max_queue_delay_us": 1000}""");
        await ModelClient.SendAsync(client, HttpMethod.Put, "/api/v1/tenants/inf-promo/models/scorer/aliases/production", null, """{"version": 1}""");

        var request = ModelClient.XRequest([1, 4], [1f, -2f, 0.5f, 3f]);
        var expected = new Dictionary<string, IReadOnlyList<double>>
        {
            ["1"] = (await TestModels.ReferenceAsync("dynamic_mlp", request))["y"],
            ["2"] = (await TestModels.ReferenceAsync("mlp_v2", request))["y"],
        };
        Assert.NotEqual(expected["1"][0], expected["2"][0]);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (status, body) = await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/scorer/infer", "inf-promo", request.ToJsonString());
                var version = body?["model_version"]?.GetValue<string>();
                if (status != HttpStatusCode.OK || version is null || !expected.TryGetValue(version, out var reference))
                {
                    failures.Add($"{status} {body?.ToJsonString()}");
                    continue;
                }

                try
                {
                    ModelClient.AssertClose(reference, body!, "y");
                    seen.AddOrUpdate(version, 1, (_, n) => n + 1);
                }
                catch (Xunit.Sdk.XunitException e)
                {
                    failures.Add($"version {version} answered other outputs: {e.Message}");
                }
            }
        })).ToList();

        var moves = 0;
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(100);
            var (status, _) = await ModelClient.SendAsync(client, HttpMethod.Put, "/api/v1/tenants/inf-promo/models/scorer/aliases/production", null, $$"""{"version": {{(moves % 2) + 1}}}""");
            Assert.Equal(HttpStatusCode.OK, status);
            moves++;
        }

        await Task.WhenAll(workers);
        Assert.Empty(failures);
        Assert.True(moves >= 10, $"{moves} moves");
        Assert.True(seen.GetValueOrDefault("1") > 0 && seen.GetValueOrDefault("2") > 0, string.Join(", ", seen));
    }

    private static double Value(string exposition, string series)
    {
        var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"{series} is not on /metrics");
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}

/// <summary>Sessions under a memory budget that holds one of the small models: the least recently used one is unloaded and comes back on demand.</summary>
public sealed class SessionBudgetTests(SessionBudgetTests.Factory factory) : IClassFixture<SessionBudgetTests.Factory>
{
    /// <summary>A budget of 1500 bytes: each test model counts as about 1000 (twice its file).</summary>
    public sealed class Factory : ApiFactory
    {
        protected override void ConfigureSettings(IWebHostBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            builder.UseSetting("Keelson:Models:MemoryBudgetBytes", "1500");
        }
    }

    [Fact]
    public async Task The_least_recently_used_session_is_unloaded_and_reloaded_when_asked_for_again()
    {
        using var client = factory.CreateClient();
        await ModelClient.CreateTenantAsync(client, "inf-lru");
        await ModelClient.UploadModelAsync(client, "inf-lru", "first", "mlp");
        await ModelClient.UploadModelAsync(client, "inf-lru", "second", "dynamic_mlp");
        var sessions = factory.Services.GetRequiredService<TenantModels>().Runtime.Sessions;
        var (_, first) = await ModelClient.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/inf-lru/models/first/versions/1", null);
        var (_, second) = await ModelClient.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/inf-lru/models/second/versions/1", null);
        var firstDigest = first!["digest"]!.GetValue<string>();
        var secondDigest = second!["digest"]!.GetValue<string>();
        var request = ModelClient.XRequest([1, 4], [0.1f, 0.2f, 0.3f, 0.4f]).ToJsonString();
        var reference = (await TestModels.ReferenceAsync("mlp", JsonNode.Parse(request)!.AsObject()))["y"];

        var (status, body) = await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/first/infer", "inf-lru", request);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([firstDigest], sessions.Loaded);

        Assert.Equal(HttpStatusCode.OK, (await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/second/infer", "inf-lru", request)).Status);
        Assert.Equal([secondDigest], sessions.Loaded);

        (status, body) = await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/first/infer", "inf-lru", request);
        Assert.Equal(HttpStatusCode.OK, status);
        ModelClient.AssertClose(reference, body!, "y");
        Assert.Equal([firstDigest], sessions.Loaded);
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("keelson_inference_sessions_loaded 1", metrics, StringComparison.Ordinal);
    }
}
