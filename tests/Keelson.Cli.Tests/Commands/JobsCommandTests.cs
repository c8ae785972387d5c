using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Keelson.Cli.Tests.Commands;

/// <summary><c>keelson jobs</c> against a real <c>keelson serve</c>: submit, list, show and cancel, and the server's 422 as a usage error.</summary>
public sealed class JobsCommandTests(ServeFixture serve) : IClassFixture<ServeFixture>
{
    [Fact]
    public async Task Jobs_are_submitted_listed_shown_and_cancelled_through_the_server()
    {
        await TenantWithQueueAsync("cli-jobs");

        var (exit, submitted, error) = await Cli.Run("jobs", "submit", "cli-jobs", "--server", serve.Url, "--name", "nightly", "--queue", "batch", "--image", "busybox:1.36",
            "--cpu", "500m", "--memory", "1Gi", "-e", "MODE=full", "--priority", "5", "-o", "json", "--", "sh", "-c", "sleep 3600");
        Assert.True(exit == 0, error);
        var job = JsonNode.Parse(submitted)!;
        var id = job["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(("nightly", "batch", "500m", 5), (job["name"]!.GetValue<string>(), job["queue"]!.GetValue<string>(), job["resources"]!["cpu"]!.GetValue<string>(), job["priority"]!.GetValue<int>()));
        Assert.Equal(["sh", "-c", "sleep 3600"], job["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("full", job["env"]!["MODE"]!.GetValue<string>());

        var (listExit, table, _) = await Cli.Run("jobs", "list", "cli-jobs", "--server", serve.Url, "--queue", "batch");
        Assert.Equal(0, listExit);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Matches($@"^{id} +nightly +batch +(pending|admitted|running) ", lines[1]);

        var (showExit, shown, _) = await Cli.Run("jobs", "show", "cli-jobs", id, "--server", serve.Url);
        Assert.Equal(0, showExit);
        Assert.Contains($"job {id} nightly in queue batch:", shown, StringComparison.Ordinal);
        Assert.Contains("per pod:   cpu 500m, memory 1Gi; parallelism 1, completions 1, priority 5", shown, StringComparison.Ordinal);

        var (cancelExit, cancelled, _) = await Cli.Run("jobs", "cancel", "cli-jobs", id, "--server", serve.Url);
        Assert.Equal(0, cancelExit);
        Assert.Contains($"job {id} nightly in queue batch: cancelled", cancelled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_submission_is_a_usage_error_with_the_server_s_detail()
    {
        await TenantWithQueueAsync("cli-jobs-bad");

        var (exit, output, error) = await Cli.Run("jobs", "submit", "cli-jobs-bad", "--server", serve.Url, "--name", "x", "--queue", "batch", "--image", "busybox");

        Assert.Equal(KeelsonCli.BadInput, exit);
        Assert.Empty(output);
        Assert.Contains("answered 422", error, StringComparison.Ordinal);
        Assert.Contains("image: \"busybox\" has no tag or digest", error, StringComparison.Ordinal);
        var (_, missing, _) = await Cli.Run("jobs", "show", "cli-jobs-bad", "42", "--server", serve.Url);
        Assert.Empty(missing);
    }

    private async Task TenantWithQueueAsync(string tenant)
    {
        var (status, body) = await serve.SendAsync("/api/v1/tenants/", new JsonObject { ["tenant_id"] = tenant, ["service_requirements"] = new JsonObject { ["chatbot"] = 5 } }.ToJsonString());
        Assert.True(status == HttpStatusCode.Created, body);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/tenants/{tenant}/job-queues/batch")
        {
            Content = new StringContent("""{"flavors": [{"pool": "general", "nominal": {"cpu": "4", "memory": "16Gi"}}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Demo-Mode", "true");
        using var response = await serve.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
