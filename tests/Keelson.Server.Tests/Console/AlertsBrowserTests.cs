using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Alerts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Keelson.Server.Tests.Console;

/// <summary>
/// The alerts page and the header's notification centre in Chromium against a real <c>keelson serve</c> and a real
/// loopback webhook receiver: editing a rule (422 under the field, 409 with reload), a test notification's outcome, a
/// fired alert in the history, the deliveries and the bell.
/// </summary>
public sealed class AlertsBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Tenant = "alert-edit";
    private const string Rule = "/api/v1/tenants/alert-edit/alerts/hot_cpu";

    [Fact]
    public async Task A_rule_is_edited_tested_fires_into_history_and_the_notification_centre_and_is_deleted()
    {
        await using var sink = await WebhookSink.StartAsync();
        var secret = new Uri(sink.Url, "hook?token=c0ns0le-secret").AbsoluteUri;
        await CreateTenantAsync();
        await SendAsync(HttpMethod.Put, $"/api/v1/tenants/{Tenant}/alert-settings", new JsonObject { ["evaluation_interval"] = "1s" });
        await SendAsync(HttpMethod.Post, $"/api/v1/tenants/{Tenant}/alerts", new JsonObject
        {
            ["alert_name"] = "hot_cpu", ["condition"] = "cpu_usage > 80", ["duration"] = "0s",
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "webhook", ["url"] = secret }),
        });

        var page = await browser.OpenAsync(await browser.NewPageAsync(), $"demo/tenants/{Tenant}/alerts");
        await Expect(page.GetByTestId("rule-hot_cpu")).ToContainTextAsync($"webhook: http://127.0.0.1:{sink.Url.Port}/…");
        await page.GetByTestId("edit-hot_cpu").ClickAsync();
        var editor = page.GetByTestId("rule-editor");
        await Expect(editor.Locator("[data-testid=receiver-target-0] input")).ToHaveValueAsync($"http://127.0.0.1:{sink.Url.Port}/…");

        // A bad condition: the API's 422, with the column, under the condition; nothing changes.
        await editor.Locator("[data-testid=edit-condition] input").FillAsync("cpu_usage >> 90");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-rule"));
        await Expect(editor.Locator(".edit-form .field-error")).ToContainTextAsync("column 12");
        Assert.Equal(("cpu_usage > 80", 1), await StoredAsync());
        await ConsoleBrowser.ScreenshotAsync(page, "alerts-edit", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "alerts with the rule editor");

        await editor.Locator("[data-testid=edit-condition] input").FillAsync("cpu_usage > 90");
        await editor.Locator("[data-testid=edit-summary] input").FillAsync("CPU at {{ $value }}%");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-rule"));
        await Expect(page.GetByTestId("rule-editor")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("rule-hot_cpu")).ToContainTextAsync("cpu_usage > 90");
        Assert.Equal(("cpu_usage > 90", 2), await StoredAsync());

        // Someone else changes the rule while it is open here: saving is the API's 409, and "reload" shows their version.
        await page.GetByTestId("edit-hot_cpu").ClickAsync();
        var theirs = await GetAsync(Rule);
        theirs["condition"] = "cpu_usage > 85";
        theirs.Remove("promql");
        foreach (var extra in new[] { "tenant_id", "created_at", "updated_at" })
        {
            theirs.Remove(extra);
        }

        await SendAsync(HttpMethod.Put, Rule, theirs);
        await editor.Locator("[data-testid=edit-condition] input").FillAsync("cpu_usage > 70");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-rule"));
        await Expect(page.GetByTestId("edit-problem")).ToContainTextAsync("changed by another request");
        Assert.Equal(("cpu_usage > 85", 3), await StoredAsync());
        await page.GetByTestId("reload-rule").ClickAsync();
        await Expect(editor.Locator("[data-testid=edit-condition] input")).ToHaveValueAsync("cpu_usage > 85");
        await Expect(editor).ToContainTextAsync("version 3");
        await editor.Locator("[data-testid=edit-condition] input").FillAsync("cpu_usage > 70");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-rule"));
        await Expect(page.GetByTestId("rule-hot_cpu")).ToContainTextAsync("cpu_usage > 70");
        Assert.Equal(("cpu_usage > 70", 4), await StoredAsync());

        // The receiver's URL went through three edits as the redaction and is still the stored one: the test reaches it.
        await page.GetByTestId("test-hot_cpu").ClickAsync();
        var results = page.GetByTestId("test-results");
        await Expect(results).ToContainTextAsync("delivered");
        await Expect(results).ToContainTextAsync("200");
        await Expect(results).ToContainTextAsync("every receiver accepted it");
        Assert.Contains(sink.Requests, r => r.PathAndQuery == "/hook?token=c0ns0le-secret");
        Assert.DoesNotContain("c0ns0le-secret", await page.ContentAsync(), StringComparison.Ordinal);

        // A spike fires the rule: it is in the history, and the notification centre counts and lists it.
        await PushAsync(95);
        await Expect(page.GetByTestId("active-alerts")).ToContainTextAsync("firing", new() { Timeout = 60_000 });
        var history = page.GetByTestId("alert-history");
        await Expect(history.Locator("tr", new() { HasText = "firing" })).Not.ToHaveCountAsync(0);
        await Expect(history.Locator("tbody tr").First).ToContainTextAsync("firing");
        await ConsoleBrowser.AssertAccessibleAsync(page, "alerts with history and a test notification");

        await Expect(page.GetByTestId("bell-count")).ToBeVisibleAsync();
        await page.GetByTestId("bell").ClickAsync();
        var centre = page.GetByTestId("notification-centre");
        await Expect(centre.GetByTestId("centre-firing")).ToContainTextAsync("hot_cpu · alert-edit");
        await Expect(centre.Locator($"a[href$='demo/tenants/{Tenant}/alerts']").First).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "notification-centre");
        await ConsoleBrowser.AssertAccessibleAsync(page, "the notification centre");
        await page.GetByTestId("mark-all-read").ClickAsync();
        await Expect(page.GetByTestId("bell-count")).ToHaveCountAsync(0);

        // The firing notice goes through the outbox after group_wait (30 s) and is listed with its delivery.
        var delivered = page.GetByTestId("deliveries").Locator("tr", new() { HasText = "firing" });
        await Expect(delivered).ToContainTextAsync("sent", new() { Timeout = 120_000 });
        await Expect(delivered).ToContainTextAsync("HTTP 200");
        await Expect(delivered).ToContainTextAsync($"webhook:http://127.0.0.1:{sink.Url.Port}");

        // Disable, then delete with a confirmation.
        await page.GetByTestId("toggle-hot_cpu").ClickAsync();
        await Expect(page.GetByTestId("rule-hot_cpu")).ToContainTextAsync("Enable");
        Assert.False((await GetAsync(Rule))["enabled"]!.GetValue<bool>());
        await page.GetByTestId("delete-hot_cpu").ClickAsync();
        await page.GetByTestId("confirm-delete-hot_cpu").ClickAsync();
        await Expect(page.GetByTestId("rule-hot_cpu")).ToHaveCountAsync(0);
        using var gone = await browser.Server.Http.GetAsync(Rule);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // On a phone in the dark theme the centre still opens, lists and passes axe.
        var phone = await browser.OpenAsync(await browser.NewPageAsync(390, 844, ColorScheme.Dark), "demo/tenants");
        await phone.GetByTestId("bell").ClickAsync();
        await Expect(phone.GetByTestId("centre-notifications")).ToContainTextAsync(Tenant);
        await ConsoleBrowser.ScreenshotAsync(phone, "notification-centre-phone");
        await ConsoleBrowser.AssertAccessibleAsync(phone, "the notification centre on a phone");
    }

    [Fact]
    public async Task A_rule_s_expression_labels_and_keep_firing_for_are_edited_and_bad_ones_are_named_under_their_field()
    {
        const string tenant = "alert-labels";
        const string rule = $"/api/v1/tenants/{tenant}/alerts/slow_api";
        await CreateTenantAsync(tenant);
        await SendAsync(HttpMethod.Post, $"/api/v1/tenants/{tenant}/alerts", new JsonObject
        {
            ["alert_name"] = "slow_api", ["condition"] = "cpu_usage > 80", ["duration"] = "1m", ["labels"] = new JsonObject { ["team"] = "core" },
        });

        var page = await browser.OpenAsync(await browser.NewPageAsync(), $"demo/tenants/{tenant}/alerts");
        await page.GetByTestId("edit-slow_api").ClickAsync();
        var editor = page.GetByTestId("rule-editor");
        await Expect(editor.Locator("[data-testid=edit-labels] input")).ToHaveValueAsync("team=core");

        // Not name=value: the form says so and sends nothing.
        await editor.Locator("[data-testid=edit-labels] input").FillAsync("team=payments, oncall");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-rule"));
        await Expect(page.GetByTestId("labels-error")).ToContainTextAsync("'oncall' is not name=value");
        Assert.Equal(1, (await GetAsync(rule))["version"]!.GetValue<int>());

        // A label Keelson sets and a bad duration: the API's 422 under each field.
        await editor.Locator("[data-testid=edit-labels] input").FillAsync("team=payments, alertname=other");
        await editor.Locator("[data-testid=edit-keep-firing-for] input").FillAsync("soon");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-rule"));
        await Expect(page.GetByTestId("labels-error")).ToHaveCountAsync(0);
        await Expect(editor.Locator(".edit-form .field-error").First).ToBeVisibleAsync();
        var errors = string.Join(" | ", await editor.Locator(".edit-form .field-error").AllInnerTextsAsync());
        Assert.True(errors.Contains("keep_firing_for 'soon' is not valid", StringComparison.Ordinal) || errors.Contains("labels.alertname is set by Keelson", StringComparison.Ordinal), errors);
        Assert.Equal(1, (await GetAsync(rule))["version"]!.GetValue<int>());

        // Right values: stored as typed, the expression too.
        await editor.Locator("[data-testid=edit-labels] input").FillAsync("team=payments, service=chatbot");
        await editor.Locator("[data-testid=edit-keep-firing-for] input").FillAsync("5m");
        await editor.Locator("[data-testid=edit-expr] input").FillAsync("sum(rate(http_requests_total{code=~\"5..\"}[5m])) > 1");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-rule"));
        await Expect(page.GetByTestId("rule-editor")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("rule-slow_api")).ToContainTextAsync("http_requests_total");
        var stored = await GetAsync(rule);
        Assert.Equal(2, stored["version"]!.GetValue<int>());
        Assert.Equal("sum(rate(http_requests_total{code=~\"5..\"}[5m])) > 1", stored["expr"]!.GetValue<string>());
        Assert.Equal("5m", stored["keep_firing_for"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, string> { ["service"] = "chatbot", ["team"] = "payments" },
            stored["labels"]!.AsObject().ToDictionary(l => l.Key, l => l.Value!.GetValue<string>()));
        Assert.Equal("cpu_usage > 80", stored["condition"]!.GetValue<string>());

        // Clearing the expression and the labels removes them.
        await page.GetByTestId("edit-slow_api").ClickAsync();
        await editor.Locator("[data-testid=edit-expr] input").FillAsync("");
        await editor.Locator("[data-testid=edit-labels] input").FillAsync("");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-rule"));
        await Expect(page.GetByTestId("rule-editor")).ToHaveCountAsync(0);
        var cleared = await GetAsync(rule);
        Assert.Equal(3, cleared["version"]!.GetValue<int>());
        Assert.True(cleared["expr"] is null, cleared.ToJsonString());
        Assert.Empty(cleared["labels"]?.AsObject() ?? []);
        await ConsoleBrowser.AssertAccessibleAsync(page, "alerts after editing labels and the expression");
    }

    [Fact]
    public async Task Every_receiver_of_a_rule_is_edited_removed_or_added_and_a_bad_one_is_named_under_its_row()
    {
        const string tenant = "alert-receivers";
        const string rule = $"/api/v1/tenants/{tenant}/alerts/disk_full";
        await using var sink = await WebhookSink.StartAsync();
        await CreateTenantAsync(tenant);
        await SendAsync(HttpMethod.Post, $"/api/v1/tenants/{tenant}/alerts", new JsonObject
        {
            ["alert_name"] = "disk_full", ["condition"] = "cpu_usage > 90", ["duration"] = "0s",
            ["actions"] = new JsonArray(
                new JsonObject { ["type"] = "webhook", ["url"] = new Uri(sink.Url, "first?token=first-secret").AbsoluteUri },
                new JsonObject { ["type"] = "webhook", ["url"] = new Uri(sink.Url, "second?token=second-secret").AbsoluteUri, ["method"] = "PUT" },
                new JsonObject { ["type"] = "email", ["recipients"] = new JsonArray("ops@example.com") }),
        });

        var page = await browser.OpenAsync(await browser.NewPageAsync(), $"demo/tenants/{tenant}/alerts");
        await page.GetByTestId("edit-disk_full").ClickAsync();
        var editor = page.GetByTestId("rule-editor");
        var redacted = $"http://127.0.0.1:{sink.Url.Port}/…";
        await Expect(editor.Locator("[data-testid^=receiver-target-]")).ToHaveCountAsync(3);
        await Expect(editor.Locator("[data-testid=receiver-target-0] input")).ToHaveValueAsync(redacted);
        await Expect(editor.Locator("[data-testid=receiver-target-1] input")).ToHaveValueAsync(redacted);
        await Expect(editor.Locator("[data-testid=receiver-target-2] input")).ToHaveValueAsync("ops@example.com");

        // A bad address in the third receiver: the API's 422 is shown under that row only, and nothing is stored.
        await editor.Locator("[data-testid=receiver-target-2] input").FillAsync("not-an-address");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-rule"));
        await Expect(editor.GetByTestId("receiver-2").Locator(".field-error")).ToContainTextAsync("actions[2]");
        await Expect(editor.GetByTestId("receiver-0").Locator(".field-error")).ToHaveCountAsync(0);
        Assert.Equal(1, (await GetAsync(rule))["version"]!.GetValue<int>());

        // Remove the first webhook, fix the e-mail, add a Slack receiver: stored in that order, the kept webhook's secret intact.
        await page.GetByTestId("remove-receiver-0").ClickAsync();
        await Expect(editor.Locator("[data-testid^=receiver-target-]")).ToHaveCountAsync(2);
        await Expect(editor.Locator(".field-error")).ToHaveCountAsync(0);
        await editor.Locator("[data-testid=receiver-target-1] input").FillAsync("oncall@example.com, sre@example.com");
        await page.GetByTestId("add-receiver").ClickAsync();
        await editor.GetByTestId("receiver-type-2").ClickAsync();
        await editor.GetByTestId("receiver-type-2").GetByRole(AriaRole.Option, new() { Name = "slack", Exact = true }).ClickAsync();
        await editor.Locator("[data-testid=receiver-target-2] input").FillAsync(new Uri(sink.Url, "slack?token=slack-secret").AbsoluteUri);
        await editor.Locator("[data-testid=receiver-channel-2] input").FillAsync("#storage");
        await ConsoleBrowser.ScreenshotAsync(page, "alerts-receivers", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(page, "the rule editor with three receivers");
        await ConsoleBrowser.ClickWhenEnabledAsync(page.GetByTestId("save-rule"));
        await Expect(page.GetByTestId("rule-editor")).ToHaveCountAsync(0);

        var actions = (await GetAsync(rule))["actions"]!.AsArray();
        Assert.Equal(["webhook", "email", "slack"], actions.Select(a => a!["type"]!.GetValue<string>()));
        Assert.Equal("PUT", actions[0]!["method"]!.GetValue<string>());
        Assert.Equal(["oncall@example.com", "sre@example.com"], actions[1]!["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("#storage", actions[2]!["channel"]!.GetValue<string>());

        // The test notification reaches the kept webhook at its stored URL and the new Slack one; the removed one hears nothing.
        await page.GetByTestId("test-disk_full").ClickAsync();
        await Expect(page.GetByTestId("test-results")).ToContainTextAsync("slack");
        Assert.Contains(sink.Requests, r => r.PathAndQuery == "/second?token=second-secret");
        Assert.Contains(sink.Requests, r => r.PathAndQuery == "/slack?token=slack-secret");
        Assert.DoesNotContain(sink.Requests, r => r.PathAndQuery.StartsWith("/first", StringComparison.Ordinal));
    }

    private async Task<(string Condition, int Version)> StoredAsync()
    {
        var rule = await GetAsync(Rule);
        return (rule["condition"]!.GetValue<string>(), rule["version"]!.GetValue<int>());
    }

    private async Task<JsonObject> GetAsync(string path) => (await browser.Server.Http.GetFromJsonAsync<JsonObject>(path))!;

    private async Task CreateTenantAsync(string tenant = Tenant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/")
        {
            Content = JsonContent.Create(new JsonObject { ["tenant_id"] = tenant, ["service_requirements"] = new JsonObject { ["chatbot"] = 5 } }),
        };
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        using var response = await browser.Server.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task SendAsync(HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await browser.Server.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task PushAsync(double cpu)
    {
        using var response = await browser.Server.Http.PostAsJsonAsync($"/api/v1/tenants/{Tenant}/monitoring",
            new JsonObject { ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["metrics"] = new JsonObject { ["cpu_usage"] = cpu } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
