using Keelson.Inference;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Inference;

/// <summary>
/// The one model version <c>keelson serve --role inference</c> serves: pulled from the registry server and its
/// session loaded in the background after start, retried with back-off while the registry cannot give it (not up yet,
/// no such model, a bad key). Until it is loaded, readiness answers 503 and inference is not offered. An alias is
/// asked again every <see cref="ModelSettings.AliasRefresh"/> and the version it moves to served once loaded.
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
            if (await TryPullAsync(pull, stoppingToken).ConfigureAwait(false))
            {
                break;
            }

            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 5));
        }

        // A number names one version for good; an alias is asked again, and a move served without a restart.
        if (settings.AliasRefresh <= TimeSpan.Zero || settings.Version.All(char.IsAsciiDigit))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.AliasRefresh, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await TryPullAsync(pull, stoppingToken).ConfigureAwait(false);
        }
    }

    // Pulls what the settings name and serves it once warm; the version served so far keeps serving until then, and
    // after a failure. Its executor is retired (requests on it finish) and its session unloaded unless the file is the same.
    private async Task<bool> TryPullAsync(RegistryPull pull, CancellationToken stoppingToken)
    {
        var previous = loaded;
        try
        {
            var pulled = await pull.PullAsync(previous, stoppingToken).ConfigureAwait(false);
            Runtime.ExecutorFor(pulled.Version, pulled.Path, pulled.Serving).Warm();
            LastError = null;
            loaded = pulled;
            if (previous?.Version.Version == pulled.Version.Version)
            {
                return true;
            }

            Log.Loaded(logger, pulled.Version.TenantId, pulled.Version.Name, pulled.Version.Version, pulled.Version.Digest);
            if (previous is not null)
            {
                Runtime.ForgetVersion(previous.Version, fileDeleted: previous.Version.Digest != pulled.Version.Digest);
            }

            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidDataException or IOException or TaskCanceledException or System.Text.Json.JsonException
                                    or Operations.Models.OnnxFormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            LastError = e.Message;
            Log.Failed(logger, settings.Tenant!, settings.Model!, settings.Version, e.Message);
            return false;
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

        [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot pull model {Tenant}/{Model} version {Version}; trying again: {Problem}")]
        public static partial void Failed(ILogger logger, string tenant, string model, string version, string problem);
    }
}
