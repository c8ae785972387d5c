using Keelson.Inference;

namespace Keelson.Server;

/// <summary>The <c>Keelson:Models</c> section: registry upload limit and the inference runtime's settings.</summary>
public sealed class ModelSettings
{
    /// <summary>Largest model file accepted, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Most bytes of loaded sessions (estimated as twice the file size); least recently used ones are unloaded beyond it.</summary>
    public long MemoryBudgetBytes { get; set; } = 1L << 30;

    /// <summary>Most tensor elements (all inputs together) in one inference request.</summary>
    public long MaxRequestElements { get; set; } = 4 * 1024 * 1024;

    /// <summary>ONNX Runtime's threads inside one operator.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Use CUDA when this ONNX Runtime build offers it.</summary>
    public bool PreferCuda { get; set; } = true;

    /// <summary>
    /// The tenant whose models <c>/v2/models/…</c> serves when a request names none (no <c>X-Keelson-Tenant</c> header, no
    /// tenant-scoped key): set for a server run in the inference role for one tenant.
    /// </summary>
    public string? Tenant { get; set; }

    /// <summary>
    /// For <c>keelson serve --role inference</c>: base URL of the Keelson server whose registry holds the model served
    /// (<see cref="Tenant"/>, <see cref="Model"/>, <see cref="Version"/>); the version is pulled from it at start.
    /// </summary>
    public Uri? Registry { get; set; }

    /// <summary>For the inference role: the API key sent to <see cref="Registry"/> (<c>X-API-Key</c>); never logged.</summary>
    public string? RegistryApiKey { get; set; }

    /// <summary>For the inference role: pull from the registry's demo database instead of production.</summary>
    public bool RegistryDemo { get; set; }

    /// <summary>For the inference role: the model served.</summary>
    public string? Model { get; set; }

    /// <summary>For the inference role: the version served, a number or an alias (default <c>production</c>).</summary>
    public string Version { get; set; } = "production";

    /// <summary>
    /// For the inference role serving an alias: how often the registry is asked where the alias points, so a promotion
    /// reaches running replicas without a restart (as Triton's repository polling does); zero resolves it once at start.
    /// </summary>
    public TimeSpan AliasRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The port of the Open Inference Protocol over gRPC (cleartext HTTP/2, on the host of the first <c>--urls</c>
    /// address); unset, gRPC is off. 8081 is the port Keelson's manifests use (Triton's own is 8001).
    /// </summary>
    public int? GrpcPort { get; set; }

    /// <summary>The runtime's options.</summary>
    public InferenceOptions Inference() => new()
    {
        MemoryBudgetBytes = MemoryBudgetBytes, MaxRequestElements = MaxRequestElements, IntraOpThreads = IntraOpThreads, PreferCuda = PreferCuda,
    };
}
