using System.Globalization;
using System.Text.Json.Nodes;
using Keelson.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Keelson.Server.Tests.Processes;

/// <summary>
/// Real Chromium on a page from another origin, calling <c>keelson serve</c> the way the ECP-AI web UI does (JSON bodies,
/// <c>X-Demo-Mode</c>, no key): the browser's own preflight and CORS checks decide what the page may read.
/// </summary>
public sealed class BrowserCorsTests
{
    // The UI's calls: a create without the mode header, a list with it (both preflighted), and production without a key.
    private const string Script = """
        const api = new URLSearchParams(location.search).get("api");
        const read = async r => ({ status: r.status, mode: r.headers.get("X-Keelson-Mode"), body: await r.json() });
        async function run() {
          const out = {};
          out.create = await read(await fetch(api + "/api/v1/tenants/", { method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ tenant_id: "browser-ui", service_requirements: { callbot: 0, chatbot: 20, qa: 0 }, tenancy_mode: "large", auto_deploy: false }) }));
          out.list = await read(await fetch(api + "/api/v1/tenants", { headers: { "X-Demo-Mode": "true" } }));
          out.production = await read(await fetch(api + "/api/v1/tenants/", { headers: { "X-Demo-Mode": "false" } }));
          return out;
        }
        run().catch(e => ({ error: String(e) })).then(out => fetch("/result", { method: "POST", body: JSON.stringify(out) }));
        """;

    [Fact]
    public async Task The_configured_origin_creates_and_lists_and_gets_a_readable_401_for_production_while_another_origin_is_blocked()
    {
        await using var page = await PageHost.StartAsync();
        var folder = Directory.CreateTempSubdirectory("keelson-browser-").FullName;
        try
        {
            // 127.0.0.1 and localhost on the same port are different origins: only the first is allowed.
            var allowed = $"http://127.0.0.1:{page.Port.ToString(CultureInfo.InvariantCulture)}";
            await using var server = await ServerProcess.StartAsync("B", ["--Keelson:DataDirectory", Path.Combine(folder, "data"), "--Keelson:CorsOrigins:0", allowed], folder, CancellationToken.None);
            var api = server.Url.GetLeftPart(UriPartial.Authority);

            var result = await page.RunInChromiumAsync($"{allowed}/?api={Uri.EscapeDataString(api)}", folder);
            Assert.True(result["error"] is null, result.ToJsonString());
            Assert.Equal((201, "demo", true, "browser-ui"), (result["create"]!["status"]!.GetValue<int>(), result["create"]!["mode"]!.GetValue<string>(),
                result["create"]!["body"]!["success"]!.GetValue<bool>(), result["create"]!["body"]!["tenant_id"]!.GetValue<string>()));
            Assert.Equal((200, "browser-ui", 20), (result["list"]!["status"]!.GetValue<int>(), result["list"]!["body"]!["tenants"]![0]!["tenant_id"]!.GetValue<string>(),
                result["list"]!["body"]!["tenants"]![0]!["service_config"]!["chatbot"]!.GetValue<int>()));

            // Production is never open by default; the page can read the 401 and show its detail.
            var production = result["production"]!;
            Assert.Equal((401, "production"), (production["status"]!.GetValue<int>(), production["mode"]!.GetValue<string>()));
            Assert.Contains("key", production["body"]!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);

            var blocked = await page.RunInChromiumAsync($"http://localhost:{page.Port.ToString(CultureInfo.InvariantCulture)}/?api={Uri.EscapeDataString(api)}", folder);
            Assert.Contains("Failed to fetch", blocked["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Serves the page and collects what it posts back to <c>/result</c>.</summary>
    private sealed class PageHost : IAsyncDisposable
    {
        private readonly WebApplication app;
        private TaskCompletionSource<JsonNode> result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private PageHost(WebApplication app, int port)
        {
            this.app = app;
            Port = port;
        }

        public int Port { get; }

        public static async Task<PageHost> StartAsync()
        {
            var port = ExternalProcess.FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
            var app = builder.Build();
            var host = new PageHost(app, port);
            app.MapGet("/", () => Results.Content($"<!doctype html><html><body><script>{Script}</script></body></html>", "text/html"));
            app.MapPost("/result", async (HttpRequest request) =>
            {
                host.result.TrySetResult(await JsonNode.ParseAsync(request.Body) ?? new JsonObject());
                return Results.NoContent();
            });
            await app.StartAsync();
            return host;
        }

        /// <summary>Opens <paramref name="url"/> in headless Chromium and returns what its script posted.</summary>
        public async Task<JsonNode> RunInChromiumAsync(string url, string folder)
        {
            result = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
            var chromium = ExternalProcess.Find("chromium", "chromium");
            var profile = Directory.CreateDirectory(Path.Combine(folder, $"chromium-{Guid.NewGuid():N}")).FullName;
            using var browser = ExternalProcess.Start(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile}", url]);
            try
            {
                return await result.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }
            finally
            {
                browser.Kill(entireProcessTree: true);
                await browser.WaitForExitAsync();
            }
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
