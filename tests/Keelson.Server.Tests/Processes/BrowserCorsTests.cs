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
        await using var page = await PageHost.StartAsync(Script);
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
}

/// <summary>
/// The ECP-AI web UI in production mode as docs/api.md tells users to run it: one origin, a real nginx serving the
/// page and proxying <c>/api/</c> to <c>keelson serve</c> with the key injected, so the browser never holds it.
/// </summary>
public sealed class BrowserProxyTests
{
    private const string Key = "proxy-admin-key-0123456789";

    // The UI's calls with X-Demo-Mode: false (TenantDataService), relative URLs, no key.
    private const string Script = """
        const read = async r => ({ status: r.status, mode: r.headers.get("X-Keelson-Mode"), body: await r.json() });
        async function run() {
          const headers = { "Content-Type": "application/json", "X-Demo-Mode": "false" };
          const out = {};
          out.create = await read(await fetch("/api/v1/tenants/", { method: "POST", headers,
            body: JSON.stringify({ tenant_id: "proxied-ui", service_requirements: { chatbot: 20, callbot: 0 }, tenancy_mode: "large" }) }));
          out.list = await read(await fetch("/api/v1/tenants/", { headers: { "X-Demo-Mode": "false" } }));
          return out;
        }
        run().catch(e => ({ error: String(e) })).then(out => fetch("/result", { method: "POST", body: JSON.stringify(out) }));
        """;

    [Fact]
    public async Task Production_calls_through_nginx_with_an_injected_key_succeed_and_the_key_never_reaches_the_page()
    {
        await using var page = await PageHost.StartAsync(Script);
        var folder = Directory.CreateTempSubdirectory("keelson-proxy-").FullName;
        try
        {
            await using var server = await ServerProcess.StartAsync("P", ["--Keelson:DataDirectory", Path.Combine(folder, "data"), "--Keelson:AdminKeys:0", Key], folder, CancellationToken.None);
            var port = ExternalProcess.FreePort();
            var config = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(config, NginxConfig(folder, port, server.Url.Authority, page.Port));
            using var nginx = ExternalProcess.Start(ExternalProcess.Find("nginx", "nginx", "/usr/sbin"), ["-c", config, "-p", folder, "-e", Path.Combine(folder, "error.log")]);
            try
            {
                await WaitListeningAsync(port);
                var result = await page.RunInChromiumAsync($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/", folder);

                Assert.True(result["error"] is null, result.ToJsonString());
                Assert.Equal((201, "production"), (result["create"]!["status"]!.GetValue<int>(), result["create"]!["mode"]!.GetValue<string>()));
                Assert.Equal((200, "proxied-ui", false), (result["list"]!["status"]!.GetValue<int>(),
                    result["list"]!["body"]!["tenants"]![0]!["tenant_id"]!.GetValue<string>(), result["list"]!["body"]!["tenants"]![0]!["is_demo"]!.GetValue<bool>()));
                Assert.DoesNotContain(Key, result.ToJsonString(), StringComparison.Ordinal);

                // The same call straight to Keelson, without the proxy's key, is the 401 problem the UI shows.
                using var direct = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, "/api/v1/tenants/"));
                direct.Headers.Add("X-Demo-Mode", "false");
                using var refused = await server.Http.SendAsync(direct);
                Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Contains("key", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
            }
            finally
            {
                nginx.Kill(entireProcessTree: true);
                await nginx.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The configuration docs/api.md shows, with test paths: temp files under the test folder, one process, no daemon.
    private static string NginxConfig(string folder, int port, string keelson, int page) => $$"""
        daemon off;
        master_process off;
        pid {{folder}}/nginx.pid;
        events { worker_connections 64; }
        http {
          access_log off;
          client_body_temp_path {{folder}}/client_body;
          proxy_temp_path {{folder}}/proxy;
          fastcgi_temp_path {{folder}}/fastcgi;
          uwsgi_temp_path {{folder}}/uwsgi;
          scgi_temp_path {{folder}}/scgi;
          server {
            listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
            location /api/ {
              proxy_pass http://{{keelson}};
              proxy_set_header X-API-Key "{{Key}}";
            }
            location / {
              proxy_pass http://127.0.0.1:{{page.ToString(CultureInfo.InvariantCulture)}};
            }
          }
        }
        """;

    private static async Task WaitListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var socket = new System.Net.Sockets.TcpClient();
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}

/// <summary>Serves a page running <c>script</c> and collects what it posts back to <c>/result</c>; opens it in headless Chromium.</summary>
internal sealed class PageHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private TaskCompletionSource<JsonNode> result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PageHost(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PageHost> StartAsync(string script)
    {
        var port = ExternalProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        var host = new PageHost(app, port);
        app.MapGet("/", () => Results.Content($"<!doctype html><html><body><script>{script}</script></body></html>", "text/html"));
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
