using System.Globalization;
using System.Net;
using System.Text;

namespace Keelson.Testing;

/// <summary>A Prometheus text exposition on a loopback HTTP listener (any path), for a real Prometheus to scrape.</summary>
public sealed class ExpositionServer : IAsyncDisposable
{
    private readonly HttpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task serving;
    private byte[] body;

    private ExpositionServer(HttpListener listener, string exposition, string authority)
    {
        this.listener = listener;
        body = Encoding.UTF8.GetBytes(exposition);
        Authority = authority;
        serving = ServeAsync();
    }

    /// <summary>host:port to scrape.</summary>
    public string Authority { get; }

    /// <summary>Serves <paramref name="exposition"/> on a free loopback port.</summary>
    public static ExpositionServer Start(string exposition)
    {
        var port = ExternalProcess.FreePort();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        listener.Start();
        return new ExpositionServer(listener, exposition, $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Serves <paramref name="exposition"/> from the next scrape on, as an exporter's values change.</summary>
    public void Serve(string exposition) => Volatile.Write(ref body, Encoding.UTF8.GetBytes(exposition));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await serving;
        listener.Close();
        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            context.Response.ContentType = "text/plain; version=0.0.4";
            await context.Response.OutputStream.WriteAsync(Volatile.Read(ref body), stop.Token);
            context.Response.Close();
        }
    }
}
