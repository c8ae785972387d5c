using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Keelson.Testing;

/// <summary>
/// A throw-away Debian <c>prometheus</c> on a free loopback port with a temporary config and data directory, scraping
/// the given targets every second; killed and cleaned up when disposed.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string folder;

    private PrometheusServer(Process process, string folder, Uri address)
    {
        this.process = process;
        this.folder = folder;
        Address = address;
    }

    /// <summary>The HTTP API's base address, ending in a slash.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts Prometheus scraping <paramref name="target"/> (host:port) at <paramref name="metricsPath"/> and waits until
    /// it is ready; on <paramref name="port"/> when given (so a server can be told the address before it exists), and
    /// evaluating the rule groups in <paramref name="rulesFile"/> every second when given, and also scraping the
    /// <c>/metrics</c> of each of <paramref name="exporters"/> (host:port) as job <c>exporter</c>, as a cluster's
    /// Prometheus scrapes cAdvisor beside the server.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string target, string metricsPath = "/metrics", int? port = null, string? rulesFile = null, IReadOnlyList<string>? exporters = null)
    {
        var binary = ExternalProcess.Find("prometheus", "prometheus", "/usr/bin", "/usr/local/bin");
        var folder = Directory.CreateTempSubdirectory("keelson-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        var exporterJob = exporters is null ? "" : string.Join('\n',
            "  - job_name: exporter",
            "    honor_labels: true",
            "    static_configs:",
            $"      - targets: [{string.Join(", ", exporters.Select(e => $"\"{e}\""))}]");
        // honor_labels keeps the scraped tenant/namespace labels as the target exposes them.
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            {(rulesFile is null ? "" : $"rule_files: [\"{rulesFile}\"]")}
            scrape_configs:
              - job_name: keelson
                honor_labels: true
                metrics_path: {metricsPath}
                static_configs:
                  - targets: ["{target}"]
            {exporterJob}
            """).ConfigureAwait(false);
        port ??= ExternalProcess.FreePort();
        var process = ExternalProcess.Start(binary, [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}",
            $"--web.listen-address=127.0.0.1:{port.Value.ToString(CultureInfo.InvariantCulture)}", "--log.level=warn"]);
        // Drain the pipes so a chatty Prometheus never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(server.Address, "-/ready")).ConfigureAwait(false);
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }

            if (DateTime.UtcNow >= deadline || process.HasExited)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException("prometheus did not become ready within 60 s.");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>Polls an instant query until it returns at least one series (i.e. a scrape landed), returning the result array's JSON.</summary>
    public async Task<JsonElement> WaitForAsync(string promql, TimeSpan timeout)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var body = await http.GetStringAsync(new Uri(Address, "api/v1/query?query=" + Uri.EscapeDataString(promql))).ConfigureAwait(false);
            var result = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("result").Clone();
            if (result.GetArrayLength() > 0)
            {
                return result;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Prometheus returned nothing for '{promql}' within {timeout}.");
            }

            await Task.Delay(250).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
