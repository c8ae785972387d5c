using Keelson.Inference;

namespace Keelson.Server.Inference;

/// <summary>
/// The OIP model of <c>keelson serve --role inference</c>: the one version the process pulled (<see cref="PinnedModel"/>).
/// The server is ready, and the model ready, only once it is loaded. No tenant or key: the process serves one tenant's
/// one model, and its NetworkPolicy says who may call it.
/// </summary>
public sealed class PinnedV2Models(PinnedModel pinned) : IV2Models
{
    /// <inheritdoc />
    public bool IsReady => pinned.Loaded is not null;

    /// <inheritdoc />
    public Task AdmitAsync(HttpContext http) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<V2ModelMetadata> MetadataAsync(string name, string? version, HttpContext http, CancellationToken cancellationToken)
    {
        var found = Check(name, version).Version;
        return Task.FromResult(RegistryV2Models.Metadata(name, [RegistryV2Models.Number(found.Version)], found));
    }

    /// <inheritdoc />
    public Task<V2ModelReady> ReadyAsync(string name, string? version, HttpContext http, CancellationToken cancellationToken) =>
        Task.FromResult(new V2ModelReady(name, RegistryV2Models.Number(Check(name, version).Version.Version), true));

    /// <inheritdoc />
    public async Task<V2Answer> InferAsync(string name, string? version, HttpContext http, Func<V2Json.Request> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);

        // One read of what is served: the alias may move while this request runs, and it must not mix versions.
        var (found, path, serving) = Check(name, version);
        try
        {
            var request = read();
            var outputs = await pinned.Runtime.InferAsync(found, path, serving, request.Inputs, request.Outputs, cancellationToken).ConfigureAwait(false);
            return new V2Answer(request, found.Version, outputs);
        }
        catch (InferenceRequestException e)
        {
            throw new InferenceRequestException(e.Status, e.Title, $"model '{name}' version {found.Version}: {e.Message}");
        }
    }

    // This process serves one model: another name or version is 404; the model before it is loaded is 503.
    private RegistryPull.Pulled Check(string name, string? version)
    {
        var settings = pinned.Settings;
        if (name != settings.Model)
        {
            throw new InferenceRequestException(404, $"Model '{name}' is not served here",
                $"This server runs in the inference role for model '{settings.Model}' of tenant '{settings.Tenant}' only.");
        }

        var loaded = pinned.Loaded ?? throw new InferenceRequestException(503, $"Model '{name}' is not loaded yet",
            $"Model '{name}' version '{settings.Version}' is being pulled from {settings.Registry} and loaded{(pinned.LastError is { } e ? "; the last attempt failed: " + e : "")}.");
        var number = RegistryV2Models.Number(loaded.Version.Version);
        return version is null || version == number || version == settings.Version ? loaded
            : throw new InferenceRequestException(404, $"Model '{name}' has no version '{version}' here",
                $"This server serves version {number} of '{name}' (asked for as '{settings.Version}'); run another replica for other versions.");
    }
}
