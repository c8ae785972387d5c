namespace Keelson.Inference;

/// <summary>Where the runtime reports what it did, for per-model metrics.</summary>
public interface IInferenceObserver
{
    /// <summary>One request was answered (or failed) by a model version.</summary>
    void Request(ModelKey model, bool succeeded);

    /// <summary>One batch (a single request when batching is off) ran: how many rows, how long its requests waited in the queue at most, how long it computed.</summary>
    void Batch(ModelKey model, int requests, long rows, TimeSpan queued, TimeSpan computed);

    /// <summary>A session was loaded or unloaded; <paramref name="loadedBytes"/> is the estimated total now.</summary>
    void Sessions(int loaded, long loadedBytes);
}

/// <summary>A served model version: tenant, name, version number.</summary>
public sealed record ModelKey(string TenantId, string Name, int Version);
