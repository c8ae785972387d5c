using System.Net;
using System.Text.Json.Nodes;

namespace Keelson.Server.Tests.Api;

/// <summary>The tenant list's search under a tenant-scoped key: it searches the one tenant the key may see.</summary>
public sealed class TenantSearchKeysTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    [Fact]
    public async Task A_tenant_key_s_search_finds_its_own_tenant_or_nothing_never_another()
    {
        using var client = factory.CreateClient();
        foreach (var (id, name) in new[] { ("dep-mine", "Needle works"), ("dep-other", "Needle and hay") })
        {
            var body = new JsonObject { ["tenant_id"] = id, ["name"] = name, ["service_requirements"] = new JsonObject { ["chatbot"] = 20 } };
            Assert.Equal(HttpStatusCode.Created, (await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/", body.ToJsonString(), "true", "admin-key-1")).Status);
        }

        var (_, admin, _) = await DropInTests.SendWithAsync(client, HttpMethod.Get, "/api/v1/tenants/?search=needle", null, "true", "admin-key-1");
        Assert.Equal(2, admin["total_count"]!.GetValue<int>());

        var (status, own, _) = await DropInTests.SendWithAsync(client, HttpMethod.Get, "/api/v1/tenants/?search=needle", null, "true", "mine-key-1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["dep-mine"], own["tenants"]!.AsArray().Select(t => t!["tenant_id"]!.GetValue<string>()));
        Assert.Equal(1, own["total_count"]!.GetValue<int>());
        var (_, notOwn, _) = await DropInTests.SendWithAsync(client, HttpMethod.Get, "/api/v1/tenants/?search=hay", null, "true", "mine-key-1");
        Assert.Equal((0, 0), (notOwn["total_count"]!.GetValue<int>(), notOwn["tenants"]!.AsArray().Count));
    }
}
