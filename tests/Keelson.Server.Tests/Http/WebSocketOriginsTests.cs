using Keelson.Server.Http;
using Keelson.Server.Tests.Console;
using Microsoft.AspNetCore.Http;

namespace Keelson.Server.Tests.Http;

/// <summary>
/// WebSocket handshakes from another site's page are refused, in a real Chromium against a real <c>keelson serve</c>:
/// the same script opens the monitoring stream from a page of the server's own origin and fails from a page of another
/// origin (<c>localhost</c> against <c>127.0.0.1</c>: another site to the browser).
/// </summary>
public sealed class WebSocketOriginsTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Open = """
        url => new Promise(resolve => {
            const socket = new WebSocket(url);
            socket.onopen = () => { socket.close(); resolve("open"); };
            socket.onerror = () => resolve("refused");
        })
        """;

    [Fact]
    public async Task A_page_of_another_site_cannot_open_a_websocket_and_a_page_of_the_server_s_own_origin_can()
    {
        var stream = new UriBuilder(browser.Server.Url) { Scheme = "ws", Path = "/ws/monitoring/origin-check" }.Uri.AbsoluteUri;
        Assert.Equal("127.0.0.1", browser.Server.Url.Host);

        var own = await browser.OpenAsync(await browser.NewPageAsync(), "demo/tenants");
        Assert.Equal("open", await own.EvaluateAsync<string>(Open, stream));

        // The console itself still works from the other origin (its circuit is a same-origin WebSocket there).
        var elsewhere = await browser.NewPageAsync();
        await elsewhere.GotoAsync(new UriBuilder(browser.Server.Url) { Host = "localhost", Path = "/demo/tenants" }.Uri.AbsoluteUri);
        await Microsoft.Playwright.Assertions.Expect(elsewhere.GetByTestId("total-count")).ToBeVisibleAsync();
        Assert.Equal("refused", await elsewhere.EvaluateAsync<string>(Open, stream));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8001", "127.0.0.1:8001", null, true)]
    [InlineData("http://localhost:8001", "127.0.0.1:8001", null, false)]
    [InlineData("https://evil.example", "127.0.0.1:8001", null, false)]
    [InlineData("null", "127.0.0.1:8001", null, false)]
    [InlineData("https://keelson.example.com", "10.0.0.5:8001", "keelson.example.com", true)]
    [InlineData("http://localhost:3000", "127.0.0.1:8001", null, true)]
    [InlineData("http://localhost:3000/", "127.0.0.1:8001", null, true)]
    public void The_server_s_own_origin_a_forwarded_host_and_listed_origins_are_allowed(string origin, string host, string? forwarded, bool allowed)
    {
        var http = new DefaultHttpContext();
        http.Request.Host = new HostString(host);
        if (forwarded is not null)
        {
            http.Request.Headers["X-Forwarded-Host"] = forwarded;
        }

        Assert.Equal(allowed, WebSocketOrigins.Allowed(http.Request, origin, ["http://localhost:3000"]));
    }
}
