using System.Text.Json.Nodes;
using Keelson.Operations.Audit;
using Keelson.Operations.Cicd;
using Keelson.Operations.Storage;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Cicd;

/// <summary>What <see cref="SqlCicdSettingStore"/> and <see cref="SqlImageStore"/> must do on each provider.</summary>
public abstract class CicdStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_registry_password_is_kept_apart_never_read_back_and_kept_when_a_later_value_omits_it()
    {
        var store = new SqlCicdSettingStore(Database);
        var value = """{"url": "harbor.example.com", "username": "robot", "password": "s3cret-pw", "has_password": false, "slack": {"webhook_url": "https://hooks.slack.com/T/x"}}""";
        var (created, isNew) = await store.SaveAsync(new CicdSettingChange("main_registry", "registry", value, "main", null), false, false, Audit("cicd.setting.save"), None);

        Assert.True(isNew);
        Assert.DoesNotContain("s3cret-pw", created.ValueJson, StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.slack.com", created.ValueJson, StringComparison.Ordinal);
        var read = JsonNode.Parse((await new SqlCicdSettingStore(OpenAnother()).GetAsync("main_registry", None))!.ValueJson)!;
        Assert.Equal(("robot", true, true), (read["username"]!.GetValue<string>(), read["has_password"]!.GetValue<bool>(), read["slack"]!["has_webhook_url"]!.GetValue<bool>()));
        Assert.Null(read["password"]);
        Assert.Equal("s3cret-pw", await store.SecretAsync("main_registry", "password", None));

        // The UI saves back what it loaded: no password member, so the stored one stays; "" removes it.
        var (updated, _) = await store.SaveAsync(new CicdSettingChange("main_registry", null, """{"url": "harbor2.example.com", "username": "robot", "has_password": true}""", null, null), false, true, null, None);
        Assert.Equal(("harbor2.example.com", true, "main", "registry"), (JsonNode.Parse(updated.ValueJson)!["url"]!.GetValue<string>(), JsonNode.Parse(updated.ValueJson)!["has_password"]!.GetValue<bool>(), updated.Description, updated.Category));
        Assert.Equal("s3cret-pw", await store.SecretAsync("main_registry", "password", None));
        await store.SaveAsync(new CicdSettingChange("main_registry", null, """{"url": "harbor2.example.com", "password": ""}""", null, null), false, true, null, None);
        Assert.Null(await store.SecretAsync("main_registry", "password", None));
        Assert.Null(JsonNode.Parse((await store.GetAsync("main_registry", None))!.ValueJson)!["has_password"]);

        // Nothing in the database's readable columns or the audit log holds the secret.
        Assert.DoesNotContain("s3cret-pw", string.Join("\n", (await new SqlAuditLog(Database).ListAsync(null, 0, 100, None)).Select(e => e.DetailsJson)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_list_by_category_and_key_create_only_and_update_only_are_enforced()
    {
        var store = new SqlCicdSettingStore(Database);
        await store.SaveAsync(new CicdSettingChange("security_policy", "security", """{"enabled": true}""", null, null), true, false, null, None);
        await store.SaveAsync(new CicdSettingChange("main_registry", "registry", """{"url": "r.example.com"}""", null, null), true, false, null, None);
        await store.SaveAsync(new CicdSettingChange("old_registry", "registry", """{"url": "o.example.com"}""", null, false), true, false, null, None);

        Assert.Equal(["main_registry", "security_policy"], (await store.ListAsync(null, true, None)).Select(s => s.Key));
        Assert.Equal(["main_registry", "old_registry"], (await store.ListAsync("registry", false, None)).Select(s => s.Key));
        await Assert.ThrowsAsync<DuplicateCicdSettingException>(() => store.SaveAsync(new CicdSettingChange("main_registry", "registry", "{}", null, null), true, false, null, None));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.SaveAsync(new CicdSettingChange("nothing", "registry", "{}", null, null), false, true, null, None));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.SaveAsync(new CicdSettingChange("no_category", null, "{}", null, null), false, false, null, None));
        Assert.True(await store.DeleteAsync("old_registry", null, None));
        Assert.False(await store.DeleteAsync("old_registry", null, None));
    }

    [Fact]
    public async Task Every_image_change_is_a_version_with_who_and_when_and_a_rollback_restores_an_old_one()
    {
        var store = new SqlImageStore(Database);
        var registered = await store.RegisterAsync(Image("callbot", "1.0.0"), "admin", Audit("cicd.image.register"), None);
        Assert.Equal((1, true, "harbor.example.com/ecp-ai/callbot:1.0.0"), (registered.Version, registered.IsActive, registered.Reference));
        await Assert.ThrowsAsync<DuplicateServiceImageException>(() => store.RegisterAsync(Image("callbot", "9.9.9"), "admin", null, None));

        Clock.Advance(TimeSpan.FromMinutes(1));
        await store.UpdateAsync("callbot", i => i with { ImageTag = "1.1.0" }, "update", "tenant-key:acme", null, None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var deactivated = await store.UpdateAsync("callbot", i => i with { IsActive = false }, "deactivate", "admin", null, None);
        Assert.Equal((3, false, "1.1.0"), (deactivated.Version, deactivated.IsActive, deactivated.ImageTag));
        Assert.Equal(3, (await store.UpdateAsync("callbot", i => i with { IsActive = false }, "deactivate", "admin", null, None)).Version);

        var rolledBack = await new SqlImageStore(OpenAnother()).RollbackAsync("callbot", 1, "admin", null, None);
        Assert.Equal((4, true, "1.0.0"), (rolledBack.Version, rolledBack.IsActive, rolledBack.ImageTag));
        Assert.Equal(registered.CreatedAt, rolledBack.CreatedAt);

        var history = await store.HistoryAsync("callbot", None);
        Assert.Equal([(4, "rollback", "1.0.0", "admin"), (3, "deactivate", "1.1.0", "admin"), (2, "update", "1.1.0", "tenant-key:acme"), (1, "register", "1.0.0", "admin")],
            history.Select(v => (v.Version, v.Action, v.ImageTag, v.Actor)));
        Assert.Equal(registered.CreatedAt.AddMinutes(1), history[2].ChangedAt);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.RollbackAsync("callbot", 99, "admin", null, None));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.UpdateAsync("nobody", i => i, "update", "admin", null, None));
        Assert.Single(await new SqlAuditLog(Database).ListAsync(null, 0, 10, None));
    }

    [Fact]
    public async Task Images_list_newest_first_and_filter_by_category_and_state()
    {
        var store = new SqlImageStore(Database);
        await store.RegisterAsync(Image("callbot", "1"), "admin", null, None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await store.RegisterAsync(Image("stt", "1") with { Category = "ai_nlp" }, "admin", null, None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await store.RegisterAsync(Image("qa", "1") with { Category = "analytics" }, "admin", null, None);
        await store.UpdateAsync("qa", i => i with { IsActive = false }, "deactivate", "admin", null, None);

        Assert.Equal(["qa", "stt", "callbot"], (await store.ListAsync(null, null, None)).Select(i => i.ServiceName));
        Assert.Equal(["stt"], (await store.ListAsync("ai_nlp", null, None)).Select(i => i.ServiceName));
        Assert.Equal(["stt", "callbot"], (await store.ListAsync(null, true, None)).Select(i => i.ServiceName));
        Assert.Null(await store.GetAsync("nobody", None));
    }

    private static ServiceImage Image(string service, string tag) => new()
    {
        ServiceName = service, DisplayName = service.ToUpperInvariant(), ImageName = service, ImageTag = tag,
        RegistryUrl = "https://harbor.example.com", Repository = "ecp-ai", Category = "main", Description = "d",
    };

    private AuditEntry Audit(string action) => new() { Actor = "admin", Action = action, Time = Clock.GetUtcNow(), DetailsJson = """{"password": "s3cret-pw"}""" };
}

/// <summary>On SQLite.</summary>
public sealed class SqliteCicdStoreTests() : CicdStoreContract(new SqliteTestDatabase());

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresCicdStoreTests(PostgresServer server) : CicdStoreContract(new PostgresTestDatabase(server));
