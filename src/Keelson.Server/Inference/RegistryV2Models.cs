using System.Globalization;
using Keelson.Inference;
using Keelson.Operations.Models;
using Keelson.Server.Api;
using Keelson.Server.Http;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Inference;

/// <summary>
/// The orchestrator's OIP models: registry models of one tenant — named by <c>X-Keelson-Tenant</c>, by a tenant-scoped
/// key, or by <c>Keelson:Models:Tenant</c>. Without a version, the <c>production</c> alias is served when it exists,
/// else the newest version; a version may be a number or any alias, resolved per request.
/// </summary>
public sealed class RegistryV2Models(TenantModels models, TenantDatabases databases, IssuedKeys keys, IOptions<ServerOptions> options) : IV2Models
{
    /// <inheritdoc />
    public bool IsReady => databases.IsOpen;

    /// <inheritdoc />
    public async Task AdmitAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var values = http.Request.Headers[DemoModeFilter.Header];
        var demo = values.Count == 0 ? options.Value.DefaultMode == ServerMode.Demo
            : values.Count == 1 && DemoModeFilter.Parse(values[0]) is { } sent ? sent
            : throw new InferenceRequestException(400, $"The {DemoModeFilter.Header} header must be true or false",
                $"{DemoModeFilter.Header} must be true (the demo database) or false (the production database), once; got '{string.Join(",", values.ToArray())}'");
        http.Items[DemoModeFilter.ItemKey] = demo;
        var key = ApiKeyFilter.Key(http.Request);
        http.Items[ApiKeyFilter.ItemKey] = await keys.AuthenticateAsync(key, demo, http, http.RequestAborted).ConfigureAwait(false)
            ?? throw new InferenceRequestException(401, key is null ? "An API key is required" : "The API key is not valid", key is null
                ? "Send authorization: Bearer KEY or x-api-key: KEY. Production requests always need a key; demo requests without one are accepted only from loopback."
                : "Check the key; it may have been revoked or have expired.");
    }

    /// <inheritdoc />
    public async Task<V2ModelMetadata> MetadataAsync(string name, string? version, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ResolveAsync(name, version, http, cancellationToken).ConfigureAwait(false);
        var all = await models.For(DemoModeFilter.IsDemo(http)).Store.ListVersionsAsync(found.TenantId, name, cancellationToken).ConfigureAwait(false);
        return Metadata(name, [.. all.Select(v => Number(v.Version)).Reverse()], found);
    }

    /// <inheritdoc />
    public async Task<V2ModelReady> ReadyAsync(string name, string? version, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ResolveAsync(name, version, http, cancellationToken).ConfigureAwait(false);
        var registry = models.For(DemoModeFilter.IsDemo(http));
        var serving = await registry.Store.ServingAsync(found.TenantId, name, cancellationToken).ConfigureAwait(false);
        models.Runtime.ExecutorFor(found, registry.Files.PathOf(found.Digest), serving).Warm();
        return new V2ModelReady(name, Number(found.Version), true);
    }

    /// <inheritdoc />
    public async Task<V2Answer> InferAsync(string name, string? version, HttpContext http, Func<V2Json.Request> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var tenant = TenantOf(name, http);

        // One query resolves the version and its serving settings, so an alias moved meanwhile gives the old or the new version whole.
        var registry = models.For(DemoModeFilter.IsDemo(http));
        var (found, serving) = await registry.Store.ResolveForServingAsync(tenant, name, version, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(tenant, name, version);
        try
        {
            var request = read();
            var outputs = await models.Runtime.InferAsync(found, registry.Files.PathOf(found.Digest), serving, request.Inputs, request.Outputs, cancellationToken).ConfigureAwait(false);
            return new V2Answer(request, found.Version, outputs);
        }
        catch (InferenceRequestException e)
        {
            throw new InferenceRequestException(e.Status, e.Title, $"model '{name}' version {found.Version}: {e.Message}");
        }
    }

    /// <summary>The metadata of a resolved version, listing <paramref name="versions"/>.</summary>
    internal static V2ModelMetadata Metadata(string name, IReadOnlyList<string> versions, ModelVersion found) => new(name, versions, "onnxruntime_onnx",
        [.. found.Info.Inputs.Select(i => new V2TensorMetadata(i.Name, i.Datatype, i.Shape))],
        [.. found.Info.Outputs.Select(o => new V2TensorMetadata(o.Name, o.Datatype, o.Shape))]);

    internal static string Number(int version) => version.ToString(CultureInfo.InvariantCulture);

    private async Task<ModelVersion> ResolveAsync(string name, string? version, HttpContext http, CancellationToken cancellationToken)
    {
        var tenant = TenantOf(name, http);
        var store = models.For(DemoModeFilter.IsDemo(http)).Store;
        var found = version is not null
            ? await store.ResolveAsync(tenant, name, version, cancellationToken).ConfigureAwait(false)
            : await store.ResolveAsync(tenant, name, "production", cancellationToken).ConfigureAwait(false)
              ?? await store.ResolveAsync(tenant, name, null, cancellationToken).ConfigureAwait(false);
        return found ?? throw NotFound(tenant, name, version);
    }

    private string TenantOf(string name, HttpContext http)
    {
        if (!ModelEndpoints.IsModelName(name))
        {
            throw new InferenceRequestException(400, "The model name is not valid", $"name: '{name}' must be 1-63 lowercase letters, digits, '.', '_' or '-'.");
        }

        var caller = ApiKeyFilter.CallerOf(http);
        var named = http.Request.Headers[InferenceEndpoints.TenantHeader].ToString();
        var tenant = named.Length > 0 ? named : caller.Tenant ?? models.Settings.Tenant
            ?? throw new InferenceRequestException(400, "Which tenant's model?",
                $"Name the tenant in the {InferenceEndpoints.TenantHeader} header, use a tenant's key, or run the server for one tenant (Keelson:Models:Tenant).");
        return caller.MayAccess(tenant) ? tenant
            : throw new InferenceRequestException(403, "This key may not access that tenant", $"The key is scoped to tenant '{caller.Tenant}'.");
    }

    private static InferenceRequestException NotFound(string tenant, string name, string? version) => new(404, $"Model '{name}' has no version '{version ?? "production or newest"}'",
        $"Tenant '{tenant}' has no {(version is null ? "version" : $"version or alias '{version}'")} of model '{name}' in the selected database; upload one at /api/v1/tenants/{tenant}/models/{name}/versions.");
}
