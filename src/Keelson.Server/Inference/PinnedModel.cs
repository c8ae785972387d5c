using Keelson.Inference;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Inference;

/// <summary>
/// The one model version <c>keelson serve --role inference</c> serves: pulled from the registry server and its
/// session loaded in the background after start, retried with back-off while the registry cannot give it (not up yet,
/// no such model, a bad key). Until it is loaded, readiness answers 503 and inference is not offered.
/// </summary>
public sealed partial class PinnedModel(IOptions<ServerOptions> options, ModelMetrics metrics, ILogger<PinnedModel> logger) : BackgroundService
{
    private readonly ModelSettings settings = options.Value.Models;
    private volatile RegistryPull.Pulled? loaded;

    /// <summary>The runtime serving it.</summary>
    public InferenceService Runtime { get; } = new(options.Value.Models.Inference(), metrics);

    /// <summary>The settings (tenant, model, version asked for).</summary>
    public ModelSettings Settings => settings;

    /// <summary>The version served once it is pulled and loaded; null before.</summary>
    public RegistryPull.Pulled? Loaded => loaded;

    /// <summary>Why the last attempt failed, while none has succeeded; null otherwise.</summary>
    public string? LastError { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var http = new HttpClient { BaseAddress = WithSlash(settings.Registry!), Timeout = TimeSpan.FromMinutes(10) };
        var pull = new RegistryPull(http, settings, Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "models", "pulled"));
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pulled = await pull.PullAsync(stoppingToken).ConfigureAwait(false);
                Runtime.ExecutorFor(pulled.Version, pulled.Path, pulled.Serving).Warm();
                LastError = null;
                loaded = pulled;
                Log.Loaded(logger, pulled.Version.TenantId, pulled.Version.Name, pulled.Version.Version, pulled.Version.Digest);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidDataException or IOException or TaskCanceledException
                                        or Operations.Models.OnnxFormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                LastError = e.Message;
                Log.Failed(logger, settings.Tenant!, settings.Model!, settings.Version, delay.TotalSeconds, e.Message);
            }

            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 5));
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        Runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Serving model {Tenant}/{Model} version {Version} ({Digest})")]
        public static partial void Loaded(ILogger logger, string tenant, string model, int version, string digest);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot pull model {Tenant}/{Model} version {Version} yet; retrying in {Seconds} s: {Problem}")]
        public static partial void Failed(ILogger logger, string tenant, string model, string version, double seconds, string problem);
    }
}
