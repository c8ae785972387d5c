using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace Keelson.Server.Tests.Api;

/// <summary>A server with one configured admin key, keys required in demo too, and every log line kept.</summary>
public sealed class KeyedLoggedApiFactory : LoggedApiFactory
{
    /// <summary>The configured admin key.</summary>
    public const string AdminKey = "admin-key-issuer";

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.ConfigureSettings(builder);
        builder.UseSetting("Keelson:AdminKeys:0", AdminKey);
        builder.UseSetting("Keelson:TenantKeys:configured-tenant-key", "keys-other");
        builder.UseSetting("Keelson:RequireApiKeyInDemo", "true");
    }
}

/// <summary>Keys issued at run time: created by an admin, shown once, scoped like configured keys, revoked for good.</summary>
public sealed class ApiKeyEndpointsTests(KeyedLoggedApiFactory factory) : IClassFixture<KeyedLoggedApiFactory>
{
    private const string Admin = KeyedLoggedApiFactory.AdminKey;

    [Fact]
    public async Task An_issued_tenant_key_sees_only_its_tenant_until_it_is_revoked_and_its_secret_is_shown_once()
    {
        using var client = factory.CreateClient();
        await CreateTenantAsync(client, "keys-mine");
        await CreateTenantAsync(client, "keys-other");

        var (status, created, location) = await Send(client, HttpMethod.Post, "/api/v1/api-keys", new JsonObject { ["tenant_id"] = "keys-mine", ["name"] = "ci deployer" }, Admin);
        Assert.Equal(HttpStatusCode.Created, status);
        var secret = created["key"]!.GetValue<string>();
        var id = created["id"]!.GetValue<string>();
        Assert.StartsWith("kls_", secret, StringComparison.Ordinal);
        Assert.Equal(47, secret.Length); // kls_ + 43 base64url characters of 32 bytes
        Assert.Equal(secret[..8], created["prefix"]!.GetValue<string>());
        Assert.Equal($"/api/v1/api-keys/{id}", location);

        var (listStatus, tenants, _) = await Send(client, HttpMethod.Get, "/api/v1/tenants", null, secret);
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal(["keys-mine"], tenants["tenants"]!.AsArray().Select(t => t!["tenant_id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, HttpMethod.Get, "/api/v1/tenants/keys-other", null, secret)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Get, "/api/v1/tenants/keys-mine", null, secret)).Status);

        var (_, list, _) = await Send(client, HttpMethod.Get, "/api/v1/api-keys", null, Admin);
        var listed = list["api_keys"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!;
        Assert.DoesNotContain(secret, list.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(("ci deployer", "keys-mine", false), (listed["name"]!.GetValue<string>(), listed["tenant_id"]!.GetValue<string>(), listed["revoked"]!.GetValue<bool>()));
        Assert.NotNull(listed["last_used_at"]?.GetValue<DateTimeOffset>());

        var (revokeStatus, revoked, _) = await Send(client, HttpMethod.Delete, $"/api/v1/api-keys/{id}", null, Admin);
        Assert.Equal(HttpStatusCode.OK, revokeStatus);
        Assert.True(revoked["revoked"]!.GetValue<bool>());
        Assert.DoesNotContain(secret, revoked.ToJsonString(), StringComparison.Ordinal);
        var (afterStatus, problem, _) = await Send(client, HttpMethod.Get, "/api/v1/tenants/keys-mine", null, secret);
        Assert.Equal(HttpStatusCode.Unauthorized, afterStatus);
        Assert.Equal(401, problem["status"]!.GetValue<int>());
        Assert.Contains("revoked", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.All(factory.Lines, line => Assert.DoesNotContain(secret, line, StringComparison.Ordinal));
        Assert.NotEmpty(factory.Lines);
    }

    [Fact]
    public async Task An_issued_admin_key_works_like_a_configured_one_in_production_too()
    {
        using var client = factory.CreateClient();
        var (_, created, _) = await Send(client, HttpMethod.Post, "/api/v1/api-keys", new JsonObject { ["tenant_id"] = null, ["name"] = "ops", ["expires_at"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O") }, Admin);
        var secret = created["key"]!.GetValue<string>();
        Assert.Null(created["tenant_id"]);

        var (status, _, _) = await Send(client, HttpMethod.Get, "/api/v1/api-keys", null, secret, demo: "false");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, HttpMethod.Get, "/api/v1/api-keys", null, secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A'), demo: "false")).Status);
    }

    [Theory]
    [InlineData("configured-tenant-key")]
    [InlineData("issued")]
    public async Task Tenant_keys_may_not_issue_list_or_revoke_keys(string key)
    {
        using var client = factory.CreateClient();
        await CreateTenantAsync(client, "keys-other");
        if (key == "issued")
        {
            key = (await Send(client, HttpMethod.Post, "/api/v1/api-keys", new JsonObject { ["tenant_id"] = "keys-other", ["name"] = "tenant" }, Admin)).Body["key"]!.GetValue<string>();
        }

        var (createStatus, problem, _) = await Send(client, HttpMethod.Post, "/api/v1/api-keys", new JsonObject { ["tenant_id"] = null, ["name"] = "escalate" }, key);

        Assert.Equal(HttpStatusCode.Forbidden, createStatus);
        Assert.Contains("admin key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, HttpMethod.Get, "/api/v1/api-keys", null, key)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, HttpMethod.Delete, "/api/v1/api-keys/key_0000000000000000", null, key)).Status);
    }

    [Theory]
    [InlineData("""{"tenant_id": "nobody-here", "name": "x"}""", "tenant_id", "nobody-here")]
    [InlineData("""{"tenant_id": null, "name": ""}""", "name", "1 to 100")]
    [InlineData("""{"tenant_id": null}""", "name", "required")]
    [InlineData("""{"tenant_id": null, "name": "x", "expires_at": "2001-01-01T00:00:00Z"}""", "expires_at", "future")]
    [InlineData("""{"tenant_id": null, "name": "x", "expires_at": "next week"}""", "expires_at", "ISO-8601")]
    public async Task Bad_requests_get_422_naming_the_field(string body, string field, string says)
    {
        using var client = factory.CreateClient();
        var (status, problem, _) = await Send(client, HttpMethod.Post, "/api/v1/api-keys", JsonNode.Parse(body)!.AsObject(), Admin);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains(says, problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_over_100_characters_is_refused_and_an_unknown_id_is_404()
    {
        using var client = factory.CreateClient();
        var (status, problem, _) = await Send(client, HttpMethod.Post, "/api/v1/api-keys", new JsonObject { ["tenant_id"] = null, ["name"] = new string('n', 101) }, Admin);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.NotNull(problem["errors"]!["name"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(client, HttpMethod.Delete, "/api/v1/api-keys/key_0000000000000000", null, Admin)).Status);
    }

    [Fact]
    public async Task Settings_show_retention_to_any_key_and_cluster_configuration_to_admins_only()
    {
        using var client = factory.CreateClient();
        var (_, admin, _) = await Send(client, HttpMethod.Get, "/api/v1/settings", null, Admin);
        var (_, tenant, _) = await Send(client, HttpMethod.Get, "/api/v1/settings", null, "configured-tenant-key");

        var raw = admin["retention"]!.AsArray().Single(v => v!["key"]!.GetValue<string>() == "Keelson:Monitoring:Retention")!;
        Assert.Equal("15.00:00:00", raw["value"]!.GetValue<string>());
        Assert.Equal(4, tenant["retention"]!.AsArray().Count);
        Assert.False(admin["clusters"]!.AsArray().Single(c => c!["mode"]!.GetValue<string>() == "production")!["configured"]!.GetValue<bool>());
        Assert.Null(tenant["clusters"]);
    }

    private static async Task CreateTenantAsync(HttpClient client, string id)
    {
        var (status, _, _) = await Send(client, HttpMethod.Post, "/api/v1/tenants", DeploymentEndpointsTests.Request(id), Admin);
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Conflict, $"creating {id}: {status}");
    }

    private static Task<(HttpStatusCode Status, JsonNode Body, string? Location)> Send(HttpClient client, HttpMethod method, string path, JsonObject? body, string? key, string demo = "true") =>
        DeploymentEndpointsTests.SendWith(client, method, path, body, demo, key);
}

/// <summary>Retention set at run time by an admin (its own server: the others read the configured value).</summary>
public sealed class RetentionSettingsTests(KeyedLoggedApiFactory factory) : IClassFixture<KeyedLoggedApiFactory>
{
    private const string Admin = KeyedLoggedApiFactory.AdminKey;

    [Fact]
    public async Task An_admin_sets_retention_which_refuses_older_pushes_at_once_and_clearing_restores_configuration()
    {
        using var client = factory.CreateClient();
        var (_, created, _) = await Send(client, HttpMethod.Post, "/api/v1/tenants", DeploymentEndpointsTests.Request("retention-shop"), Admin);
        Assert.Equal("retention-shop", created["tenant_id"]!.GetValue<string>());
        var twoDaysAgo = DateTimeOffset.UtcNow.AddDays(-2).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var push = new JsonObject { ["timestamp"] = twoDaysAgo, ["metrics"] = new JsonObject { ["cpu_usage"] = 40 } };
        Assert.Equal(HttpStatusCode.Accepted, (await Send(client, HttpMethod.Post, "/api/v1/tenants/retention-shop/monitoring", push, Admin)).Status);

        // A tenant key may read but not set it; bad values are named by field and change nothing.
        var (forbidden, _, _) = await Send(client, HttpMethod.Put, "/api/v1/settings/retention", new JsonObject { ["retention"] = "1d" }, "configured-tenant-key");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        var (bad, problem, _) = await Send(client, HttpMethod.Put, "/api/v1/settings/retention",
            new JsonObject { ["retention"] = "soon", ["minute_rollup_retention"] = "1d", ["colour"] = "red" }, Admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad);
        Assert.Equal(["colour", "retention"], problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        var (outOfOrder, order, _) = await Send(client, HttpMethod.Put, "/api/v1/settings/retention", new JsonObject { ["retention"] = "100d" }, Admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, outOfOrder);
        Assert.Contains("minute_rollup_retention must be at least retention", order["errors"]!["minute_rollup_retention"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("15.00:00:00", Raw((await Send(client, HttpMethod.Get, "/api/v1/settings", null, Admin)).Body));

        // One day: the fields left out keep their values; a two-day-old push is refused from now on, and any key reads who set it.
        var (ok, set, _) = await Send(client, HttpMethod.Put, "/api/v1/settings/retention", new JsonObject { ["retention"] = "1d" }, Admin);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal("1.00:00:00", Raw(set));
        Assert.Equal("90.00:00:00", Value(set, "Keelson:Monitoring:MinuteRollupRetention"));
        var (refused, refusal, _) = await Send(client, HttpMethod.Post, "/api/v1/tenants/retention-shop/monitoring", push, Admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        Assert.Contains("older than the retention of 1 days", refusal.ToJsonString(), StringComparison.Ordinal);
        var (_, seen, _) = await Send(client, HttpMethod.Get, "/api/v1/settings", null, "configured-tenant-key");
        Assert.Equal("1.00:00:00", Raw(seen));
        Assert.NotNull(seen["retention_set"]!["updated_at"]);

        var (cleared, back, _) = await Send(client, HttpMethod.Delete, "/api/v1/settings/retention", null, Admin);
        Assert.Equal(HttpStatusCode.OK, cleared);
        Assert.Equal("15.00:00:00", Raw(back));
        Assert.Null(back["retention_set"]);
        Assert.Equal(HttpStatusCode.Accepted, (await Send(client, HttpMethod.Post, "/api/v1/tenants/retention-shop/monitoring", push, Admin)).Status);
    }

    private static string Raw(JsonNode settings) => Value(settings, "Keelson:Monitoring:Retention");

    private static string Value(JsonNode settings, string key) =>
        settings["retention"]!.AsArray().Single(v => v!["key"]!.GetValue<string>() == key)!["value"]!.GetValue<string>();

    private static Task<(HttpStatusCode Status, JsonNode Body, string? Location)> Send(HttpClient client, HttpMethod method, string path, JsonObject? body, string? key) =>
        DeploymentEndpointsTests.SendWith(client, method, path, body, "true", key);
}
