using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// The ECP-AI UI's CI/CD pages as the reference describes their calls (no X-Demo-Mode, the forms as the UI sends them):
/// the settings tabs with a registry password that no answer shows, the image registration page, version history,
/// and bad input refused with the field named.
/// </summary>
public sealed class CicdEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Password = "Harbor-s3cret-PW";

    private static readonly JsonObject ImageForm = new()
    {
        ["service_name"] = "callbot", ["display_name"] = "Callbot", ["image_name"] = "callbot", ["image_tag"] = "1.0.0",
        ["registry_url"] = "harbor.ecp-ai.com", ["repository"] = "ecp-ai", ["category"] = "main", ["description"] = "voice bot",
    };

    [Fact]
    public async Task The_settings_tab_loads_initializes_saves_the_registry_and_never_gets_the_password_back()
    {
        var answers = new List<string>();

        // CICDManagement.tsx on mount: the list (an array), empty → initialize → list again, then the status card.
        var (status, first, _) = await SendAsync(HttpMethod.Get, "/api/v1/cicd/global-settings?", null, answers);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Assert.IsType<JsonArray>(first));
        var (_, initialized, _) = await SendAsync(HttpMethod.Post, "/api/v1/cicd/initialize-default-settings", null, answers);
        Assert.Equal((4, 4), (initialized["created_count"]!.GetValue<int>(), initialized["total_settings"]!.GetValue<int>()));
        var (_, settings, _) = await SendAsync(HttpMethod.Get, "/api/v1/cicd/global-settings?", null, answers);
        Assert.Equal([("devtools", "devtools_config"), ("monitoring", "monitoring_config"), ("registry", "main_registry"), ("security", "security_policy")],
            settings.AsArray().Select(s => (s!["setting_category"]!.GetValue<string>(), s["setting_key"]!.GetValue<string>())));
        Assert.Equal(0, (await SendAsync(HttpMethod.Post, "/api/v1/cicd/initialize-default-settings", null, answers)).Body["created_count"]!.GetValue<int>());

        // Save the registry form as the UI sends it: the whole form object and a description.
        var form = new JsonObject
        {
            ["url"] = "harbor.example.com", ["username"] = "robot$ci", ["password"] = Password, ["is_default"] = true, ["ssl_verify"] = true,
            ["registry_type"] = "harbor", ["connection_status"] = "disconnected",
        };
        var (saveStatus, saved, _) = await SendAsync(HttpMethod.Put, "/api/v1/cicd/global-settings/main_registry",
            new JsonObject { ["setting_value"] = form.DeepClone(), ["description"] = "메인 컨테이너 레지스트리 설정" }.ToJsonString(), answers);
        Assert.Equal(HttpStatusCode.OK, saveStatus);
        Assert.Equal(("harbor.example.com", "robot$ci", true), (saved["setting_value"]!["url"]!.GetValue<string>(), saved["setting_value"]!["username"]!.GetValue<string>(),
            saved["setting_value"]!["has_password"]!.GetValue<bool>()));
        Assert.Null(saved["setting_value"]!["password"]);

        // After a reload the form has no password; saving it again keeps the stored one.
        var (_, reloaded, _) = await SendAsync(HttpMethod.Get, "/api/v1/cicd/global-settings?", null, answers);
        var loaded = reloaded.AsArray().Single(s => s!["setting_key"]!.GetValue<string>() == "main_registry")!["setting_value"]!.AsObject();
        loaded["ssl_verify"] = false;
        var (_, again, _) = await SendAsync(HttpMethod.Put, "/api/v1/cicd/global-settings/main_registry", new JsonObject { ["setting_value"] = loaded.DeepClone() }.ToJsonString(), answers);
        Assert.Equal((false, true, "메인 컨테이너 레지스트리 설정"), (again["setting_value"]!["ssl_verify"]!.GetValue<bool>(), again["setting_value"]!["has_password"]!.GetValue<bool>(), again["description"]!.GetValue<string>()));

        // Test connection: honest, not a fake success, and the credentials are only said to be stored.
        var (testStatus, test, _) = await SendAsync(HttpMethod.Post, "/api/v1/cicd/test-registry-connection", loaded.ToJsonString(), answers);
        Assert.Equal(HttpStatusCode.OK, testStatus);
        Assert.Equal((false, false, "stored", "harbor.example.com"), (test["success"]!.GetValue<bool>(), test["checked"]!.GetValue<bool>(),
            test["registry"]!["credentials"]!.GetValue<string>(), test["registry"]!["host"]!.GetValue<string>()));
        Assert.True(test.AsObject().ContainsKey("reachable") && test["reachable"] is null);
        Assert.Contains("Not checked", test["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await SendAsync(HttpMethod.Post, "/api/v1/cicd/test-registry-connection", form.ToJsonString(), answers);

        // The status card: the registry is listed but unknown; nothing Keelson does not do is claimed.
        var (_, card, _) = await SendAsync(HttpMethod.Get, "/api/v1/cicd/system-status", null, answers);
        var registry = card["registries"]!.AsArray().Single()!;
        Assert.Equal(("main_registry", "unknown", false), (registry["name"]!.GetValue<string>(), registry["status"]!.GetValue<string>(), registry["checked"]!.GetValue<bool>()));
        Assert.Equal((false, true, "healthy", "disconnected"), (card["security_scan"]!["enabled"]!.GetValue<bool>(), card["monitoring"]!["metrics_collection"]!.GetValue<bool>(),
            card["monitoring"]!["alert_status"]!.GetValue<string>(), card["devtools"]!["sonarqube_status"]!.GetValue<string>()));

        Assert.All(answers, text => Assert.DoesNotContain(Password, text, StringComparison.Ordinal));
        var (_, audit, _) = await SendAsync(HttpMethod.Get, "/api/v1/cicd/global-settings/main_registry", null, answers);
        Assert.DoesNotContain(Password, audit.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_image_page_registers_lists_updates_deactivates_and_every_change_is_a_version()
    {
        var form = ImageForm.DeepClone().AsObject();
        form["service_name"] = "tts";
        form["image_name"] = "tts-server";
        var (status, registered, headers) = await SendAsync(HttpMethod.Post, "/api/v1/cicd/register", form.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("/api/v1/cicd/tts", headers.GetValues("Location").Single());
        Assert.Equal((true, "harbor.ecp-ai.com/ecp-ai/tts-server:1.0.0", 1), (registered["success"]!.GetValue<bool>(), registered["image"]!["image"]!.GetValue<string>(), registered["image"]!["version"]!.GetValue<int>()));

        // ImageRegistration.tsx reloads list and stats after every change and reads these fields.
        var (_, list, _) = await SendAsync(HttpMethod.Get, "/api/v1/cicd/list", null);
        var row = list["images"]!.AsArray().Single(i => i!["service_name"]!.GetValue<string>() == "tts")!;
        foreach (var field in (string[])["id", "service_name", "display_name", "image_name", "image_tag", "registry_url", "repository", "category", "description", "is_active", "created_at"])
        {
            Assert.True(row.AsObject().ContainsKey(field), $"the image table reads {field}: {row.ToJsonString()}");
        }

        Assert.Equal(("tts-server", "1.0.0", "ecp-ai", "main", true), (row["image_name"]!.GetValue<string>(), row["image_tag"]!.GetValue<string>(), row["repository"]!.GetValue<string>(),
            row["category"]!.GetValue<string>(), row["is_active"]!.GetValue<bool>()));

        // Update sends the whole form, service_name included.
        form["image_tag"] = "1.1.0";
        var (updateStatus, updated, _) = await SendAsync(HttpMethod.Put, "/api/v1/cicd/tts", form.ToJsonString());
        Assert.Equal((HttpStatusCode.OK, "1.1.0", 2), (updateStatus, updated["image"]!["image_tag"]!.GetValue<string>(), updated["image"]!["version"]!.GetValue<int>()));
        Assert.Equal(2, (await SendAsync(HttpMethod.Put, "/api/v1/cicd/tts", form.ToJsonString())).Body["image"]!["version"]!.GetValue<int>());

        var (deleteStatus, deleted, _) = await SendAsync(HttpMethod.Delete, "/api/v1/cicd/tts", null);
        Assert.Equal(HttpStatusCode.OK, deleteStatus);
        Assert.True(deleted["success"]!.GetValue<bool>());
        var (_, stats, _) = await SendAsync(HttpMethod.Get, "/api/v1/cicd/stats/overview", null);
        var (_, inactive, _) = await SendAsync(HttpMethod.Get, "/api/v1/cicd/list?is_active=false", null);
        Assert.Contains("tts", inactive["images"]!.AsArray().Select(i => i!["service_name"]!.GetValue<string>()));
        Assert.True(stats["stats"]!["inactive_images"]!.GetValue<int>() >= 1);
        Assert.Equal(stats["stats"]!["total_images"]!.GetValue<int>(), stats["stats"]!["active_images"]!.GetValue<int>() + stats["stats"]!["inactive_images"]!.GetValue<int>());
        Assert.True(stats["stats"]!["category_stats"]!["main"]!.GetValue<int>() >= 1);

        // Keelson's history: who and when for every change; a rollback restores version 1 as version 4.
        var (_, history, _) = await SendAsync(HttpMethod.Get, "/api/v1/cicd/tts/history", null);
        Assert.Equal([(3, "deactivate", false), (2, "update", true), (1, "register", true)],
            history["versions"]!.AsArray().Select(v => (v!["version"]!.GetValue<int>(), v["action"]!.GetValue<string>(), v["is_active"]!.GetValue<bool>())));
        Assert.All(history["versions"]!.AsArray(), v => Assert.Equal("admin", v!["changed_by"]!.GetValue<string>()));
        var (rollbackStatus, rolledBack, _) = await SendAsync(HttpMethod.Post, "/api/v1/cicd/tts/rollback", """{"version": 1}""");
        Assert.Equal((HttpStatusCode.OK, "1.0.0", true, 4), (rollbackStatus, rolledBack["image"]!["image_tag"]!.GetValue<string>(), rolledBack["image"]!["is_active"]!.GetValue<bool>(),
            rolledBack["image"]!["version"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/v1/cicd/tts/rollback", """{"version": 9}""")).Status);
    }

    [Theory]
    [InlineData("image_tag", "bad tag!")]
    [InlineData("registry_url", "ftp://harbor.example.com")]
    [InlineData("registry_url", "Harbor.Example.com:99999")]
    [InlineData("category", "everything")]
    [InlineData("service_name", "Not_A_Label")]
    [InlineData("service_name", "list")]
    [InlineData("image_name", "Callbot")]
    [InlineData("display_name", "")]
    public async Task A_bad_registration_is_422_naming_the_field_and_stores_nothing(string field, string value)
    {
        var form = ImageForm.DeepClone().AsObject();
        form["service_name"] = field == "service_name" ? value : "bad-" + field.Replace('_', '-');
        form[field] = value;
        var (status, problem, headers) = await SendAsync(HttpMethod.Post, "/api/v1/cicd/register", form.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("application/problem+json", headers.ContentType);
        Assert.NotNull(problem["errors"]![field]);
        Assert.Contains(field, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var (_, list, _) = await SendAsync(HttpMethod.Get, "/api/v1/cicd/list", null);
        Assert.DoesNotContain(form["service_name"]!.GetValue<string>(), list["images"]!.AsArray().Select(i => i!["service_name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Duplicates_strict_bodies_and_bad_settings_are_refused_with_a_detail()
    {
        var form = ImageForm.DeepClone().AsObject();
        form["service_name"] = "stt";
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/cicd/register", form.ToJsonString())).Status);
        var duplicate = await SendAsync(HttpMethod.Post, "/api/v1/cicd/register", form.ToJsonString());
        var duplicateKey = await SendAsync(HttpMethod.Post, "/api/v1/cicd/register", """{"service_name": "qa", "service_name": "ta"}""");
        var renamed = await SendAsync(HttpMethod.Put, "/api/v1/cicd/stt", """{"service_name": "other"}""");
        var unknownField = await SendAsync(HttpMethod.Put, "/api/v1/cicd/stt", """{"image_tags": "2"}""");
        var missing = await SendAsync(HttpMethod.Put, "/api/v1/cicd/nothing-here", """{"image_tag": "2"}""");
        var badUrl = await SendAsync(HttpMethod.Put, "/api/v1/cicd/global-settings/main_registry", """{"setting_value": {"url": "not a url!", "registry_type": "quay"}}""");
        var noCategory = await SendAsync(HttpMethod.Put, "/api/v1/cicd/global-settings/my_key", """{"setting_value": {}}""");
        var notObject = await SendAsync(HttpMethod.Put, "/api/v1/cicd/global-settings/security_policy", """{"setting_value": [1]}""");
        var badTest = await SendAsync(HttpMethod.Post, "/api/v1/cicd/test-registry-connection", """{"url": "gopher://x"}""");
        var badCategory = await SendAsync(HttpMethod.Get, "/api/v1/cicd/global-settings?category=nope", null);
        var badFlag = await SendAsync(HttpMethod.Get, "/api/v1/cicd/list?is_active=maybe", null);
        Assert.Equal(HttpStatusCode.BadRequest, badFlag.Status);
        Assert.Contains("is_active", badFlag.Body["detail"]?.GetValue<string>() ?? "", StringComparison.Ordinal);

        Assert.Equal(
            [HttpStatusCode.Conflict, HttpStatusCode.BadRequest, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound,
             HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity],
            [duplicate.Status, duplicateKey.Status, renamed.Status, unknownField.Status, missing.Status, badUrl.Status, noCategory.Status, notObject.Status, badTest.Status, badCategory.Status]);
        Assert.All([duplicate, duplicateKey, renamed, unknownField, missing, badUrl, noCategory, notObject, badTest, badCategory],
            r => Assert.False(string.IsNullOrWhiteSpace(r.Body["detail"]?.GetValue<string>()), r.Body.ToJsonString()));
        Assert.Equal(["setting_value.registry_type", "setting_value.url"], badUrl.Body["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.NotNull(noCategory.Body["errors"]!["setting_category"]);
        Assert.NotNull(badTest.Body["errors"]!["url"]);
        Assert.Equal("1.0.0", (await SendAsync(HttpMethod.Get, "/api/v1/cicd/stt", null)).Body["image"]!["image_tag"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/v1/cicd/global-settings/my_key", null)).Status);
    }

    [Fact]
    public async Task Every_cicd_route_is_in_the_openapi_document()
    {
        var (status, document, _) = await SendAsync(HttpMethod.Get, "/openapi/v1.json", null);
        Assert.Equal(HttpStatusCode.OK, status);
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => o.Value?["operationId"]?.GetValue<string>())).ToHashSet();
        Assert.Superset(new HashSet<string?>
        {
            "ListCicdSettings", "GetCicdSetting", "CreateCicdSetting", "SaveCicdSetting", "DeleteCicdSetting", "InitializeCicdSettings", "CicdSystemStatus", "TestRegistryConnection",
            "RegisterServiceImage", "ListServiceImages", "ServiceImageStats", "GetServiceImage", "UpdateServiceImage", "DeactivateServiceImage", "ServiceImageHistory", "RollbackServiceImage",
        }, operations);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, ResponseHeaders Headers)> SendAsync(HttpMethod method, string path, string? json, List<string>? answers = null)
    {
        using var client = factory.CreateClient();
        var answer = await DropInTests.SendWithAsync(client, method, path, json, demo: null);
        answers?.Add(answer.Body.ToJsonString());
        return answer;
    }
}

/// <summary>The server on a data directory the test chooses, so a second server can open the first one's databases.</summary>
public sealed class DirectoryApiFactory(string directory) : ApiFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:DataDirectory", directory);
    }
}

/// <summary>CI/CD records survive a restart; tenant keys may read them but not change them.</summary>
public sealed class CicdDurabilityTests
{
    [Fact]
    public async Task Images_history_and_registry_credentials_survive_a_restart()
    {
        var directory = Directory.CreateTempSubdirectory("keelson-cicd-").FullName;
        try
        {
            using (var first = new DirectoryApiFactory(directory))
            using (var client = first.CreateClient())
            {
                var form = new JsonObject { ["service_name"] = "chatbot", ["display_name"] = "Chatbot", ["image_name"] = "chatbot", ["image_tag"] = "2.0.0", ["registry_url"] = "localhost:5000", ["repository"] = "", ["category"] = "main" };
                Assert.Equal(HttpStatusCode.Created, (await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/cicd/register", form.ToJsonString(), null)).Status);
                Assert.Equal(HttpStatusCode.OK, (await DropInTests.SendWithAsync(client, HttpMethod.Put, "/api/v1/cicd/chatbot", """{"image_tag": "2.0.1"}""", null)).Status);
                Assert.Equal(HttpStatusCode.OK, (await DropInTests.SendWithAsync(client, HttpMethod.Put, "/api/v1/cicd/global-settings/main_registry",
                    """{"setting_value": {"url": "localhost:5000", "password": "restart-s3cret"}}""", null)).Status);
            }

            using var second = new DirectoryApiFactory(directory);
            using var again = second.CreateClient();
            var (_, image, _) = await DropInTests.SendWithAsync(again, HttpMethod.Get, "/api/v1/cicd/chatbot", null, null);
            var (_, history, _) = await DropInTests.SendWithAsync(again, HttpMethod.Get, "/api/v1/cicd/chatbot/history", null, null);
            var (_, registry, _) = await DropInTests.SendWithAsync(again, HttpMethod.Get, "/api/v1/cicd/global-settings/main_registry", null, null);
            Assert.Equal(("localhost:5000/chatbot:2.0.1", 2), (image["image"]!["image"]!.GetValue<string>(), image["image"]!["version"]!.GetValue<int>()));
            Assert.Equal(2, history["versions"]!.AsArray().Count);
            Assert.True(registry["setting_value"]!["has_password"]!.GetValue<bool>());
            Assert.DoesNotContain("restart-s3cret", registry.ToJsonString(), StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            ApiFactory.DeleteDirectory(directory);
        }
    }
}

/// <summary>With keys: a tenant key reads CI/CD records but may not change the shared ones.</summary>
public sealed class CicdKeyTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    [Fact]
    public async Task A_tenant_key_is_403_on_changes_and_an_admin_key_is_recorded_as_admin()
    {
        using var client = factory.CreateClient();
        var form = """{"service_name": "advisor", "display_name": "Advisor", "image_name": "advisor", "registry_url": "harbor.ecp-ai.com", "repository": "ecp-ai", "category": "main"}""";
        var (scoped, problem, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/cicd/register", form, "true", "mine-key-1");
        var (admin, created, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/cicd/register", form, "true", "admin-key-1");
        var (read, _, _) = await DropInTests.SendWithAsync(client, HttpMethod.Get, "/api/v1/cicd/advisor", null, "true", "mine-key-1");
        var (settings, _, _) = await DropInTests.SendWithAsync(client, HttpMethod.Put, "/api/v1/cicd/global-settings/main_registry", """{"setting_value": {}}""", "true", "mine-key-1");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Forbidden), (scoped, admin, read, settings));
        Assert.Contains("dep-mine", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("latest", created["image"]!["image_tag"]!.GetValue<string>());
    }
}

/// <summary>The server with every log line of every category kept, to look for secrets in them.</summary>
public class LoggedApiFactory : ApiFactory
{
    /// <summary>Every formatted log line and exception text so far.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Logging:LogLevel:Default", "Trace");
        builder.ConfigureLogging(logging => logging.AddProvider(new QueueLoggerProvider(Lines)));
    }

    private sealed class QueueLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new QueueLogger(lines, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class QueueLogger(System.Collections.Concurrent.ConcurrentQueue<string> lines, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}

/// <summary>Registry credentials never reach the log, whatever the route does with them.</summary>
public sealed class CicdLogTests(LoggedApiFactory factory) : IClassFixture<LoggedApiFactory>
{
    [Fact]
    public async Task The_registry_password_is_in_no_log_line()
    {
        const string secret = "log-probe-s3cret";
        using var client = factory.CreateClient();
        var value = $$$"""{"setting_value": {"url": "harbor.example.com", "username": "robot", "password": "{{{secret}}}"}}""";
        Assert.Equal(HttpStatusCode.OK, (await DropInTests.SendWithAsync(client, HttpMethod.Put, "/api/v1/cicd/global-settings/main_registry", value, null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/cicd/test-registry-connection", $$"""{"url": "harbor.example.com", "password": "{{secret}}"}""", null)).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await DropInTests.SendWithAsync(client, HttpMethod.Put, "/api/v1/cicd/global-settings/main_registry",
            $$$"""{"setting_value": {"url": "bad url", "password": "{{{secret}}}"}}""", null)).Status);

        Assert.NotEmpty(factory.Lines);
        Assert.DoesNotContain(factory.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }
}
