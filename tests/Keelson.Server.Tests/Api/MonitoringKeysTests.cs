using System.Net;
using System.Text.Json.Nodes;

namespace Keelson.Server.Tests.Api;

/// <summary>A tenant-scoped key on the drop-in monitoring routes: it sees its tenant only and may change only its tenant's thresholds.</summary>
public sealed class MonitoringKeysTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    private const string Admin = "admin-key-1";
    private const string Mine = "mine-key-1";

    [Fact]
    public async Task A_tenant_key_sees_its_tenant_and_changes_only_its_own_thresholds()
    {
        foreach (var id in new[] { "dep-mine", "dep-other" })
        {
            var body = new JsonObject { ["tenant_id"] = id, ["service_requirements"] = new JsonObject { ["chatbot"] = 20 }, ["auto_deploy"] = false };
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/tenants/", body.ToJsonString(), Admin)).Status);
        }

        var (_, overview) = await SendAsync(HttpMethod.Get, "/api/v1/overview", null, Mine);
        Assert.Equal(1, overview["overview"]!["total_tenants"]!.GetValue<int>());
        var (_, tenants) = await SendAsync(HttpMethod.Get, "/api/v1/simulator/monitoring/advanced/tenants", null, Mine);
        Assert.Empty(tenants["tenants"]!.AsArray());
        Assert.Equal(["dep-mine"], tenants["unmeasured"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(2, (await SendAsync(HttpMethod.Get, "/api/v1/overview", null, Admin)).Body["overview"]!["total_tenants"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/v1/alerts/?tenant_id=dep-other", null, Mine)).Status);
        var (wideStatus, wide) = await SendAsync(HttpMethod.Post, "/api/v1/thresholds/presets/basic/apply", null, Mine);
        Assert.Equal(HttpStatusCode.Forbidden, wideStatus);
        Assert.Contains("tenant_id=dep-mine", wide["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/v1/thresholds/presets/basic/apply?tenant_id=dep-other", null, Mine)).Status);

        var (ownStatus, own) = await SendAsync(HttpMethod.Post, "/api/v1/thresholds/presets/basic/apply?tenant_id=dep-mine", null, Mine);
        Assert.Equal(HttpStatusCode.OK, ownStatus);
        Assert.Equal(["dep-mine"], own["rules"]!["tenants"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(own["setting_id"]!.GetValue<string>(), (await SendAsync(HttpMethod.Get, "/api/v1/thresholds/default?tenant_id=dep-mine", null, Mine)).Body["setting_id"]!.GetValue<string>());
        Assert.False((await SendAsync(HttpMethod.Get, "/api/v1/thresholds/default", null, Mine)).Body["stored"]!.GetValue<bool>());
        Assert.Empty((await SendAsync(HttpMethod.Get, "/api/v1/tenants/dep-other/alerts", null, Admin)).Body["alerts"]!.AsArray());

        // Without any key the UI gets a 401 it can show.
        var (anonymous, problem) = await SendAsync(HttpMethod.Get, "/api/v1/overview", null, null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Contains("key", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? json, string? key)
    {
        using var client = factory.CreateClient();
        var (status, body, _) = await DropInTests.SendWithAsync(client, method, path, json, demo: null, key);
        return (status, body);
    }
}
