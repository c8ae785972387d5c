using System.Collections.Concurrent;
using Keelson.Operations.Models;

namespace Keelson.Inference;

/// <summary>
/// Serves registry model versions: one <see cref="ModelExecutor"/> per version (rebuilt when its serving settings
/// change) over one shared <see cref="SessionCache"/>.
/// </summary>
public sealed class InferenceService(InferenceOptions options, IInferenceObserver? observer) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<ModelKey, ModelExecutor> executors = new();
    private readonly Lock swap = new();

    /// <summary>The loaded sessions.</summary>
    public SessionCache Sessions { get; } = new(options, observer);

    /// <summary>The settings in force.</summary>
    public InferenceOptions Options => options;

    /// <summary>Checks the request against the version's declaration, runs it and returns the requested outputs.</summary>
    public Task<IReadOnlyList<InferenceTensor>> InferAsync(
        ModelVersion version, string path, ModelServing serving, IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var checkedInputs = RequestChecks.Inputs(version.Info, inputs, options.MaxRequestElements);
        var names = RequestChecks.Outputs(version.Info, outputs);
        return ExecutorFor(version, path, serving).InferAsync(checkedInputs, names, cancellationToken);
    }

    /// <summary>The executor of a version with these settings (a new one when they changed).</summary>
    public ModelExecutor ExecutorFor(ModelVersion version, string path, ModelServing serving)
    {
        ArgumentNullException.ThrowIfNull(version);
        var key = new ModelKey(version.TenantId, version.Name, version.Version);
        if (executors.TryGetValue(key, out var current) && current.Serving == serving)
        {
            return current;
        }

        lock (swap)
        {
            if (executors.TryGetValue(key, out current) && current.Serving == serving)
            {
                return current;
            }

            var created = new ModelExecutor(key, version.Info, version.Digest, path, serving, Sessions, observer);
            executors[key] = created;
            if (current is not null)
            {
                Retire(current);
            }

            return created;
        }
    }

    /// <summary>
    /// Forgets a deleted version: its executor is closed once the requests already on it have had time to finish, and
    /// its session unloaded when <paramref name="fileDeleted"/> says no other version shares the file.
    /// </summary>
    public void ForgetVersion(ModelVersion version, bool fileDeleted)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (swap)
        {
            if (executors.TryRemove(new ModelKey(version.TenantId, version.Name, version.Version), out var executor))
            {
                Retire(executor);
            }
        }

        if (fileDeleted)
        {
            // A run holding a lease keeps the session until it ends; the next request for the digest would reload it.
            Sessions.Unload(version.Digest);
        }
    }

    /// <summary>The executors being served now (a deleted or replaced one is not among them).</summary>
    public IReadOnlyCollection<ModelKey> Executors => [.. executors.Keys];

    /// <summary>
    /// Forgets a deleted tenant's models: closes their executors and unloads the sessions of <paramref name="unusedDigests"/>
    /// (files no other version uses any more; a shared file's session keeps serving the others).
    /// </summary>
    public async Task ForgetTenantAsync(string tenantId, IEnumerable<string> unusedDigests)
    {
        ArgumentNullException.ThrowIfNull(unusedDigests);
        foreach (var key in executors.Keys.Where(k => k.TenantId == tenantId).ToList())
        {
            if (executors.TryRemove(key, out var executor))
            {
                await executor.DisposeAsync().ConfigureAwait(false);
            }
        }

        foreach (var digest in unusedDigests)
        {
            Sessions.Unload(digest);
        }
    }

    // Requests already queued on a replaced or deleted executor finish there; it is closed once they have had time to.
    private static void Retire(ModelExecutor executor) =>
        _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => executor.DisposeAsync().AsTask(), TaskScheduler.Default);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var executor in executors.Values)
        {
            await executor.DisposeAsync().ConfigureAwait(false);
        }

        Sessions.Dispose();
    }
}
