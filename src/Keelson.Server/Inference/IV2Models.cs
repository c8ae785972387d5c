using Keelson.Inference;

namespace Keelson.Server.Inference;

/// <summary>
/// The models an Open Inference Protocol front end answers for — the REST routes and the gRPC service share it, so both
/// resolve, check, run and count a request the same way. Every refusal is an <see cref="InferenceRequestException"/>
/// carrying the HTTP status (the gRPC service maps it to a status code).
/// </summary>
public interface IV2Models
{
    /// <summary>Whether the server is ready to serve (<c>/v2/health/ready</c>, <c>ServerReady</c>).</summary>
    bool IsReady { get; }

    /// <summary>
    /// Establishes who calls and in which mode for a request that did not pass the REST filters (gRPC): the same
    /// <c>X-Demo-Mode</c> and API-key rules as <c>/v2/models/…</c>.
    /// </summary>
    Task AdmitAsync(HttpContext http);

    /// <summary>The metadata of a version (the default one when <paramref name="version"/> is null).</summary>
    Task<V2ModelMetadata> MetadataAsync(string name, string? version, HttpContext http, CancellationToken cancellationToken);

    /// <summary>Loads the version's session if needed and says it serves.</summary>
    Task<V2ModelReady> ReadyAsync(string name, string? version, HttpContext http, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves the version once, reads the request with <paramref name="read"/> (its errors name the model and
    /// version) and runs it; the answer names the version that ran.
    /// </summary>
    Task<V2Answer> InferAsync(string name, string? version, HttpContext http, Func<V2Json.Request> read, CancellationToken cancellationToken);
}

/// <summary>An inference answer: the request as read, the version that ran it, and its outputs.</summary>
public sealed record V2Answer(V2Json.Request Request, int Version, IReadOnlyList<InferenceTensor> Outputs);
