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
