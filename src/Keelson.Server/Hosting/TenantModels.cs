using Keelson.Inference;
using Keelson.Operations.Models;
using Microsoft.Extensions.Options;

namespace Keelson.Server;

/// <summary>
/// The model registries of the demo and production databases — files under <c>{DataDirectory}/models/{demo|production}</c>,
/// content-addressed — and the one inference runtime that serves them both.
/// </summary>
public sealed class TenantModels(TenantDatabases databases, IOptions<ServerOptions> options, ModelMetrics metrics) : IAsyncDisposable
{
    private readonly Lazy<InferenceService> runtime = new(() => new InferenceService(options.Value.Models.Inference(), metrics));
    private readonly Lazy<(ModelRegistry Demo, ModelRegistry Production)> registries = new(() =>
    {
        var verifier = new OnnxModelVerifier(options.Value.Models.Inference());
        var root = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "models");
        return (
            new ModelRegistry(databases.For(true).Models, new ModelFileStore(Path.Combine(root, "demo")), verifier),
            new ModelRegistry(databases.For(false).Models, new ModelFileStore(Path.Combine(root, "production")), verifier));
    });

    /// <summary>The settings.</summary>
    public ModelSettings Settings => options.Value.Models;

    /// <summary>The inference runtime.</summary>
    public InferenceService Runtime => runtime.Value;

    /// <summary>The registry of the demo or the production database.</summary>
    public ModelRegistry For(bool isDemo) => isDemo ? registries.Value.Demo : registries.Value.Production;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (runtime.IsValueCreated)
        {
            await runtime.Value.DisposeAsync().ConfigureAwait(false);
        }
    }
}
