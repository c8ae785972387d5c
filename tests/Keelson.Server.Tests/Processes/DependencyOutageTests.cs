using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keelson.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Keelson.Server.Tests.Processes;

/// <summary>
/// A PostgreSQL outage as an operator sees it: the test stops a real server under a running Keelson, which must answer
/// 503 with Retry-After and name the database (never its connection string), then serve again once PostgreSQL is back.
/// Its own PostgreSQL server, since stopping the collection's shared one would break the other tests.
/// </summary>
[Collection(ServerProcessTests.Name)]
[Trait("Category", "Processes")]
public sealed class DependencyOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    // trust authentication ignores it, so it can only show up in an answer or a log if Keelson leaks the connection string.
    private const string Password = "outage-secret-Zq81xK";
    private readonly PostgresServer postgres = new();
    private string folder = string.Empty;

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        folder = Directory.CreateTempSubdirectory("keelson-outage-").FullName;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await postgres.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_stopped_PostgreSQL_answers_503_naming_the_database_and_serving_resumes_when_it_is_back()
    {
        var connection = await postgres.CreateDatabaseAsync() + ";Password=" + Password;
        await using var server = await ServerProcess.StartAsync("P", ["--Keelson:DataDirectory", Path.Combine(folder, "data"), "--ConnectionStrings:Demo", connection], folder, CancellationToken.None);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/")).Status);

            await postgres.StopAsync();
            try
            {
                foreach (var (method, body) in new[] { (HttpMethod.Get, (JsonObject?)null), (HttpMethod.Post, ServerCrashTests.TenantRequest("outage-t1")) })
                {
                    using var request = new HttpRequestMessage(method, "/api/v1/tenants/") { Content = body is null ? null : JsonContent.Create(body) };
                    request.Headers.Add("X-Demo-Mode", "true");
                    using var response = await server.Http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    output.WriteLine($"{method} during the outage: {(int)response.StatusCode} Retry-After {response.Headers.RetryAfter} {text}");
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    var problem = JsonNode.Parse(text)!;
                    Assert.Equal(503, problem["status"]!.GetValue<int>());
                    Assert.Equal("the demo database (PostgreSQL)", problem["dependency"]!.GetValue<string>());
                    Assert.Contains("demo database (PostgreSQL)", problem["title"]!.GetValue<string>(), StringComparison.Ordinal);
                    Assert.Contains("not answering", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
                    AssertNoSecret(text);
                }

                using var ready = await server.Http.GetAsync("/health/ready");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }
            finally
            {
                await postgres.ResumeAsync();
            }

            // Back without restarting Keelson: the pool drops its broken connections and opens new ones.
            var clock = Stopwatch.StartNew();
            HttpStatusCode status;
            while ((status = (await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/")).Status) != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200);
            }

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/", ServerCrashTests.TenantRequest("outage-t2"))).Status);
            Assert.Contains("the demo database (PostgreSQL) is unavailable", server.Output, StringComparison.OrdinalIgnoreCase);
            AssertNoSecret(server.Output);
        }
        catch
        {
            output.WriteLine(server.Output);
            throw;
        }

        void AssertNoSecret(string text)
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Host=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Username=", text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
