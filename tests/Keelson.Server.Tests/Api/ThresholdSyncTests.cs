using System.Net;
using System.Text.Json.Nodes;

namespace Keelson.Server.Tests.Api;

/// <summary>The periodic sync brings the default thresholds' alert rules to tenants created later (a database of its own, as it changes the default).</summary>
public sealed class ThresholdSyncTests(FastStreamApiFactory factory) : IClassFixture<FastStreamApiFactory>
{
    [Fact]
    public async Task A_tenant_created_after_the_default_was_applied_gets_its_threshold_rules()
    {
        var (status, applied) = await SendAsync(HttpMethod.Post, "/api/v1/thresholds/presets/enterprise/apply", null);
        Assert.Equal(HttpStatusCode.OK, status);
        var tenant = new JsonObject { ["tenant_id"] = "th-late", ["service_requirements"] = new JsonObject { ["chatbot"] = 20 }, ["auto_deploy"] = false };
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/tenants/", tenant.ToJsonString())).Status);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonNode rule;
        do
        {
            await Task.Delay(100);
            rule = (await SendAsync(HttpMethod.Get, "/api/v1/tenants/th-late/alerts/threshold-cpu-warning", null)).Body;
        }
        while (rule["condition"] is null && DateTime.UtcNow < deadline);

        Assert.Equal("cpu_usage >= 60 or cpu_usage_percent >= 60", rule["condition"]?.GetValue<string>());
        Assert.Equal(applied["setting_id"]!.GetValue<string>(), rule["labels"]!["threshold_setting"]!.GetValue<string>());

        // Synced rules are rewritten only when they differ: the version stays while the default does.
        var version = rule["version"]!.GetValue<long>();
        await Task.Delay(600);
        Assert.Equal(version, (await SendAsync(HttpMethod.Get, "/api/v1/tenants/th-late/alerts/threshold-cpu-warning", null)).Body["version"]!.GetValue<long>());
    }

    // As the UI sends them: no X-Demo-Mode header, no key.
    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? json)
    {
        using var client = factory.CreateClient();
        var (status, body, _) = await DropInTests.SendWithAsync(client, method, path, json, demo: null);
        return (status, body);
    }
}
