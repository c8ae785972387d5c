using System.Net;
using System.Net.Sockets;

namespace Keelson.Cli.Tests.Commands;

public class ServeCommandTests
{
    [Fact]
    public async Task Serve_hands_configuration_flags_to_the_server_and_stops_when_cancelled()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var data = Directory.CreateTempSubdirectory("keelson-serve-").FullName;
        using var stop = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        try
        {
            var run = KeelsonCli.RunAsync(["serve", "--urls", url, "--Keelson:DataDirectory", data, "--Keelson:AdminKeys:0", "cli-key"], stdout, stderr, stop.Token);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await WaitLiveAsync(http, run);

            // Both flags reached the server: its databases are in the directory given, and the key given opens production.
            Assert.True(File.Exists(Path.Combine(data, "demo.db")), stderr.ToString());
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "cli-key"));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "other-key"));
            Assert.Contains($"serving on {url}", stderr.ToString(), StringComparison.Ordinal);

            await stop.CancelAsync();
            Assert.Equal(0, await run);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenants/");
        request.Headers.Add("X-Demo-Mode", "false");
        request.Headers.Add("X-API-Key", key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task WaitLiveAsync(HttpClient http, Task<int> run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(run.IsCompleted, "keelson serve ended before it answered");
            try
            {
                using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
                if (live.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, "keelson serve did not answer /health/live within 30 s");
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
