using System.Collections.Concurrent;
using System.Text.Json;

namespace Keelson.Delivery.Kubernetes;

/// <summary>One served resource: its plural (the URL segment) and whether it lives in namespaces.</summary>
public sealed record ApiResource(string Plural, bool Namespaced);

/// <summary>
/// Kind → resource through the API server's discovery documents (<c>/api/v1</c>, <c>/apis/GROUP/VERSION</c>), read once
/// per group version, as kubectl's RESTMapper does, so CRDs resolve as well as built-in kinds.
/// </summary>
public sealed class ApiResources(Func<string, CancellationToken, Task<string?>> get)
{
    private readonly ConcurrentDictionary<string, Task<IReadOnlyDictionary<string, ApiResource>>> groups = new(StringComparer.Ordinal);

    /// <summary>The URL prefix of an apiVersion: <c>/api/v1</c> for the core group, <c>/apis/apps/v1</c> otherwise.</summary>
    public static string Prefix(string apiVersion) => apiVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";

    /// <summary>The resource serving <paramref name="kind"/> at <paramref name="apiVersion"/>; throws <see cref="ClusterException"/> when the server does not serve it.</summary>
    public async Task<ApiResource> FindAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        var resources = await groups.GetOrAdd(apiVersion, v => LoadAsync(v, cancellationToken)).ConfigureAwait(false);
        return resources.TryGetValue(kind, out var resource)
            ? resource
            : throw new ClusterException(404, "NotFound", $"the server does not serve {kind} in {apiVersion} (is its CRD installed?)");
    }

    private async Task<IReadOnlyDictionary<string, ApiResource>> LoadAsync(string apiVersion, CancellationToken cancellationToken)
    {
        var body = await get(Prefix(apiVersion), cancellationToken).ConfigureAwait(false)
            ?? throw new ClusterException(404, "NotFound", $"the server does not serve {apiVersion}");
        using var json = JsonDocument.Parse(body);
        var found = new Dictionary<string, ApiResource>(StringComparer.Ordinal);
        foreach (var resource in json.RootElement.GetProperty("resources").EnumerateArray())
        {
            var name = resource.GetProperty("name").GetString()!;
            if (name.Contains('/', StringComparison.Ordinal))
            {
                continue; // subresources such as deployments/scale
            }

            found.TryAdd(resource.GetProperty("kind").GetString()!, new ApiResource(name, resource.GetProperty("namespaced").GetBoolean()));
        }

        return found;
    }
}

/// <summary>The API server refused a request; carries its status code, reason and message.</summary>
public sealed class ClusterException(int code, string reason, string message) : Exception(message)
{
    /// <summary>HTTP status code.</summary>
    public int Code { get; } = code;

    /// <summary>The Status reason, e.g. <c>Conflict</c>, <c>Invalid</c>, <c>Forbidden</c>.</summary>
    public string Reason { get; } = reason;
}
