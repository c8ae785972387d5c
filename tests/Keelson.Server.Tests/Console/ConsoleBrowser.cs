using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Processes;
using Keelson.Testing;
using Microsoft.Playwright;

namespace Keelson.Server.Tests.Console;

/// <summary>
/// A real <c>keelson serve</c> process and the Debian <c>chromium</c> driven by Playwright (pointed at that executable,
/// so nothing is downloaded), shared by the console's browser tests. The server has an admin key and a tenant key.
/// </summary>
public class ConsoleBrowser : IAsyncLifetime
{
    /// <summary>The admin key of the server.</summary>
    public const string AdminKey = "console-admin-key-0123456789";

    /// <summary>A key scoped to <see cref="ScopedTenant"/>.</summary>
    public const string TenantKey = "console-tenant-key-0123456789";

    /// <summary>The tenant <see cref="TenantKey"/> may see.</summary>
    public const string ScopedTenant = "scoped-a";

    private readonly string folder = Directory.CreateTempSubdirectory("keelson-console-").FullName;
    private IPlaywright? playwright;

    /// <summary>The server.</summary>
    internal ServerProcess Server { get; private set; } = default!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = default!;

    /// <summary>The server's data directory (databases, and the embedded sandboxes' state and kubeconfigs under <c>sandbox/</c>).</summary>
    public string DataDirectory => Path.Combine(folder, "data");

    /// <summary>Where downloads are saved.</summary>
    public string Downloads => Directory.CreateDirectory(Path.Combine(folder, "downloads")).FullName;

    /// <summary>The console's address.</summary>
    public string Url(string path) => new Uri(Server.Url, path).ToString();

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        await SeedAsync(DataDirectory);
        Server = await ServerProcess.StartAsync("console", [
            "--Keelson:DataDirectory", DataDirectory,
            "--Keelson:AdminKeys:0", AdminKey,
            $"--Keelson:TenantKeys:{TenantKey}", ScopedTenant,
            "--Keelson:MutationsPerMinute", "10000",
        ], folder, CancellationToken.None);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExternalProcess.Find("chromium", "chromium"),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
    }

    /// <summary>Writes what a derived fixture needs into the data directory before the server starts.</summary>
    protected virtual Task SeedAsync(string dataDirectory) => Task.CompletedTask;

    /// <summary>A fresh browser tab (its own session storage) of the given size.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            ColorScheme = scheme,
        });
        context.SetDefaultTimeout(30_000);
        // Assertions wait as long as actions do: Playwright's 5 s default was missed under load average 20 while the
        // console's call to the API was still on its way (a 422 shown under the rule's condition, 2026-12-07).
        Assertions.SetDefaultExpectTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Opens a console page and waits until its circuit is up and it shows its heading.</summary>
    public async Task<IPage> OpenAsync(IPage page, string path)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(Url(path));
        await page.WaitForSelectorAsync("html[data-console-ready=true] main h1");
        return page;
    }

    /// <summary>
    /// Creates <paramref name="tenant"/> with <paramref name="services"/> (unless null: it exists already), deploys it
    /// through the API with the admin key and waits until the deployment succeeded (failing on "failed" or after 5 minutes).
    /// </summary>
    public async Task DeployAsync(string tenant, JsonObject? services)
    {
        if (services is not null)
        {
            using var created = await AdminSendAsync(HttpMethod.Post, "/api/v1/tenants/", new JsonObject { ["tenant_id"] = tenant, ["service_requirements"] = services });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var accepted = await AdminSendAsync(HttpMethod.Post, $"/api/v1/tenants/{tenant}/deploy", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["deployment_id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            using var read = await AdminSendAsync(HttpMethod.Get, $"/api/v1/deployments/{id}", null);
            var status = (await read.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>();
            Assert.NotEqual("failed", status);
            if (status == "succeeded")
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"deployment {id} still {status} after 5 minutes");
            await Task.Delay(250);
        }
    }

    private async Task<HttpResponseMessage> AdminSendAsync(HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-API-Key", AdminKey);
        return await Server.Http.SendAsync(request);
    }

    /// <summary>
    /// Clicks a Fluent button once the server has rendered it enabled. A button disabled until a field is filled stays
    /// disabled in the page until the circuit's round trip re-renders it, and a click on it before then is dropped: the
    /// CI run of 2026-12-07 clicked "Use this key" under load and the key was never set.
    /// </summary>
    public static async Task ClickWhenEnabledAsync(ILocator button)
    {
        ArgumentNullException.ThrowIfNull(button);
        await Assertions.Expect(button).Not.ToHaveAttributeAsync("disabled", new System.Text.RegularExpressions.Regex(".*"));
        await button.ClickAsync();
    }

    /// <summary>
    /// Saves a screenshot: to docs/images (read by a person, used by the README) when <c>KEELSON_SCREENSHOTS=docs</c>,
    /// else beside the test run, so an ordinary run leaves the working tree as it was.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Environment.GetEnvironmentVariable("KEELSON_SCREENSHOTS") == "docs"
            ? Repo.File("docs", "images")
            : Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        var path = Path.Combine(folder, $"console-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        Assert.True(new FileInfo(path).Length > 1000, $"the screenshot {path} is empty");
    }

    /// <summary>
    /// Runs axe-core (from npm, tests/Keelson.Server.Tests/Console/axe) on the page and fails with the list of serious
    /// or critical violations, if any.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page, string what)
    {
        ArgumentNullException.ThrowIfNull(page);
        var axe = Repo.File("tests", "Keelson.Server.Tests", "Console", "axe", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(axe), $"{axe} is missing: run npm ci in its folder (./test does)");
        // Colours are judged as shown: a message bar still fading in would count as low contrast.
        await page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity)");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = axe });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              // An expanded tree item's visible text includes its child items, while its name is its own label, as the
              // WAI-ARIA tree pattern has it; label-content-name-mismatch flags those, and only those are let through.
              .map(v => ({ ...v, nodes: v.id !== "label-content-name-mismatch" ? v.nodes
                : v.nodes.filter(n => !document.querySelector(n.target[0])?.matches("fluent-tree-item.nested")) }))
              .filter(v => v.nodes.length > 0)
              .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`)
            """);
        Assert.True(violations.GetArrayLength() == 0, $"axe on {what}:\n{string.Join("\n", violations.EnumerateArray().Select(v => v.GetString()))}");
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still being closed by the stopped server; the temp folder is cleaned by the system.
        }
    }
}
