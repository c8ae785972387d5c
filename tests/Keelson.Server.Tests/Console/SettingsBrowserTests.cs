using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Keelson.Server.Tests.Console;

/// <summary>The Settings page in Chromium: an admin issues a tenant key, sees it once, and revokes it.</summary>
public sealed class SettingsBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task An_admin_issues_a_tenant_key_shown_once_that_sees_only_its_tenant_until_revoked()
    {
        await CreateAsync("keys-own");
        await CreateAsync("keys-else");
        var admin = await browser.OpenAsync(await browser.NewPageAsync(), "demo/settings");
        await admin.Locator("[data-testid=api-key] input").FillAsync(ConsoleBrowser.AdminKey);
        await ConsoleBrowser.ClickWhenEnabledAsync(admin.GetByTestId("save-key"));
        await Expect(admin.GetByTestId("key-status")).ToHaveTextAsync("The key is set for this tab.");
        await Expect(admin.GetByTestId("retention")).ToContainTextAsync("Keelson:Monitoring:Retention");
        await Expect(admin.GetByTestId("cluster-configuration")).ToContainTextAsync("Keelson:Clusters:Production:Kubeconfig");

        await admin.GetByTestId("new-key-tenant").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "keys-own", Exact = true }).ClickAsync();
        await admin.Locator("[data-testid=new-key-name] input").FillAsync("browser deployer");
        await ConsoleBrowser.ClickWhenEnabledAsync(admin.GetByTestId("create-key"));
        await Expect(admin.GetByTestId("issued-key")).ToContainTextAsync("will not be shown again");
        var secret = await admin.Locator("[data-testid=issued-key-value] input").InputValueAsync();
        Assert.StartsWith("kls_", secret, StringComparison.Ordinal);
        await Expect(admin.GetByTestId("api-keys")).ToContainTextAsync(secret[..8]);
        await ConsoleBrowser.ScreenshotAsync(admin, "settings-keys", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(admin, "settings with a new key");

        // After a reload the list names the key by its prefix only.
        await admin.ReloadAsync();
        await Expect(admin.GetByTestId("api-keys")).ToContainTextAsync("browser deployer");
        Assert.DoesNotContain(secret, await admin.ContentAsync(), StringComparison.Ordinal);
        await Expect(admin.GetByTestId("issued-key")).ToHaveCountAsync(0);

        // A fresh tab with the new key sees its tenant only.
        var tenantTab = await browser.OpenAsync(await browser.NewPageAsync(), "demo/settings");
        await tenantTab.Locator("[data-testid=api-key] input").FillAsync(secret);
        await ConsoleBrowser.ClickWhenEnabledAsync(tenantTab.GetByTestId("save-key"));
        await Expect(tenantTab.GetByTestId("keys-forbidden")).ToContainTextAsync("admin key");
        await tenantTab.GetByRole(AriaRole.Link, new() { Name = "Tenants", Exact = true }).ClickAsync();
        await Expect(tenantTab.GetByTestId("total-count")).ToHaveTextAsync("1");
        await Expect(tenantTab.GetByTestId("tenant-grid")).ToContainTextAsync("keys-own");
        await Expect(tenantTab.GetByTestId("tenant-grid")).Not.ToContainTextAsync("keys-else");

        // Revoked (with a confirmation), the key gets the API's 401 in that tab.
        var row = admin.Locator("tr", new() { HasText = "browser deployer" });
        await row.GetByTestId("revoke-key").ClickAsync();
        await row.GetByTestId("confirm-revoke").ClickAsync();
        await Expect(row).ToContainTextAsync("revoked");
        await tenantTab.ReloadAsync();
        await Expect(tenantTab.GetByTestId("problem")).ToContainTextAsync("not valid");
    }

    [Fact]
    public async Task An_admin_sets_the_retention_in_force_a_bad_value_is_named_and_a_tenant_key_only_reads_it()
    {
        var admin = await browser.OpenAsync(await browser.NewPageAsync(), "demo/settings");
        await admin.Locator("[data-testid=api-key] input").FillAsync(ConsoleBrowser.AdminKey);
        await ConsoleBrowser.ClickWhenEnabledAsync(admin.GetByTestId("save-key"));
        await Expect(admin.GetByTestId("key-state")).ToHaveTextAsync("API key set");
        await Expect(admin.Locator("[data-testid=retention-raw] input")).ToHaveValueAsync("15d");
        await Expect(admin.GetByTestId("retention-source")).ToContainTextAsync("From configuration");

        // Raw samples may not outlive their roll-ups: the API's 422 under the field, nothing changed.
        await admin.Locator("[data-testid=retention-raw] input").FillAsync("120d");
        await admin.GetByTestId("save-retention").ClickAsync();
        await Expect(admin.GetByTestId("retention-form")).ToContainTextAsync("minute_rollup_retention must be at least retention");
        Assert.Equal("15.00:00:00", await RawRetentionAsync());

        await admin.Locator("[data-testid=retention-raw] input").FillAsync("7d");
        await admin.Locator("[data-testid=retention-minute] input").FillAsync("30d");
        await admin.GetByTestId("save-retention").ClickAsync();
        await Expect(admin.GetByTestId("retention-status")).ToHaveTextAsync("The retention is set for every replica.");
        await Expect(admin.GetByTestId("retention")).ToContainTextAsync("7.00:00:00");
        await Expect(admin.GetByTestId("retention-source")).ToContainTextAsync("Set through the API");
        Assert.Equal("7.00:00:00", await RawRetentionAsync());
        await ConsoleBrowser.ScreenshotAsync(admin, "settings-retention", fullPage: true);
        await ConsoleBrowser.AssertAccessibleAsync(admin, "settings with retention set");

        // A tenant key sees the retention in force but no form to change it.
        var tenant = await browser.OpenAsync(await browser.NewPageAsync(), "demo/settings");
        await tenant.Locator("[data-testid=api-key] input").FillAsync(ConsoleBrowser.TenantKey);
        await ConsoleBrowser.ClickWhenEnabledAsync(tenant.GetByTestId("save-key"));
        await Expect(tenant.GetByTestId("retention")).ToContainTextAsync("7.00:00:00");
        await Expect(tenant.GetByTestId("retention-form")).ToHaveCountAsync(0);

        await admin.GetByTestId("clear-retention").ClickAsync();
        await Expect(admin.GetByTestId("retention-status")).ToHaveTextAsync("The configured retention is in force again.");
        await Expect(admin.Locator("[data-testid=retention-raw] input")).ToHaveValueAsync("15d");
        Assert.Equal("15.00:00:00", await RawRetentionAsync());
    }

    private async Task<string> RawRetentionAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/settings");
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        using var response = await browser.Server.Http.SendAsync(request);
        var settings = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return settings["retention"]!.AsArray().Single(v => v!["key"]!.GetValue<string>() == "Keelson:Monitoring:Retention")!["value"]!.GetValue<string>();
    }

    private async Task CreateAsync(string tenant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/")
        {
            Content = JsonContent.Create(new JsonObject { ["tenant_id"] = tenant, ["service_requirements"] = new JsonObject { ["chatbot"] = 5 } }),
        };
        request.Headers.Add("X-API-Key", ConsoleBrowser.AdminKey);
        using var response = await browser.Server.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
