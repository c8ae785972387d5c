using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Rendering.Output;

namespace Keelson.Delivery.Kubernetes;

/// <summary>
/// A real cluster through KubernetesClient: its kubeconfig loading and authentication, its models and serialiser.
/// Every kind goes through one generic path — discovery maps kinds to resources, apply is a server-side apply
/// (<c>PATCH</c> with <c>application/apply-patch+yaml</c>, <c>fieldManager=keelson</c>, <c>force=true</c>) — because
/// KubernetesClient's generic client has no field manager and its typed clients are one method per kind.
/// </summary>
public sealed class KubernetesCluster : ICluster, IListWatch, IResourceMetrics, IDisposable
{
    private readonly k8s.Kubernetes client;
    private readonly ApiResources resources;

    private KubernetesCluster(KubernetesClientConfiguration configuration, string description)
    {
        client = new k8s.Kubernetes(configuration);
        Description = description;
        resources = new ApiResources(GetTextAsync);
    }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public TimeProvider Time => TimeProvider.System;

    /// <summary>A cluster from a kubeconfig file (default <c>$KUBECONFIG</c> or <c>~/.kube/config</c>) and context, or the in-cluster service account.</summary>
    public static KubernetesCluster Connect(string? kubeconfig, string? context) => Connect(kubeconfig, context, null);

    /// <summary>As <see cref="Connect(string?, string?)"/>, described as <paramref name="description"/> in messages when given.</summary>
    public static KubernetesCluster Connect(string? kubeconfig, string? context, string? description)
    {
        if (kubeconfig is null && context is null && KubernetesClientConfiguration.IsInCluster())
        {
            return new KubernetesCluster(KubernetesClientConfiguration.InClusterConfig(), description ?? "in-cluster service account");
        }

        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, context);
        return new KubernetesCluster(configuration, description ?? $"context {configuration.CurrentContext ?? "(default)"} at {configuration.Host}");
    }

    /// <inheritdoc/>
    public async Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetesObject<V1ObjectMeta> resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var node = JsonSerializer.SerializeToNode(resource, resource.GetType(), ManifestYaml.JsonOptions)!.AsObject();
        if (node["metadata"] is JsonObject meta)
        {
            // Server-side apply refuses managedFields and must not be pinned to a stale version.
            meta.Remove("managedFields");
            meta.Remove("resourceVersion");
        }

        node.Remove("status");
        var path = await PathAsync(ObjectKey.Of(resource), cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{path}?fieldManager={ICluster.FieldManager}&force=true")
        {
            // JSON is YAML, so the apply content type takes it as is.
            Content = new StringContent(node.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        var body = await SendAsync(request, allowNotFound: false, cancellationToken).ConfigureAwait(false);
        return KubeObjects.FromJson(body!);
    }

    /// <inheritdoc/>
    public async Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var body = await GetTextAsync(await PathAsync(key, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return body is null ? null : KubeObjects.FromJson(body);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(string apiVersion, string kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        var resource = await resources.FindAsync(apiVersion, kind, cancellationToken).ConfigureAwait(false);
        var path = Collection(apiVersion, resource, ns) + (string.IsNullOrEmpty(labelSelector) ? "" : $"?labelSelector={Uri.EscapeDataString(labelSelector)}");
        return (await ReadListAsync(path, apiVersion, kind, cancellationToken).ConfigureAwait(false)).Items;
    }

    /// <inheritdoc/>
    public async Task<VersionedList> ListVersionedAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        var resource = await resources.FindAsync(apiVersion, kind, cancellationToken).ConfigureAwait(false);
        return await ReadListAsync(Collection(apiVersion, resource, null), apiVersion, kind, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ClusterEvent> WatchFromAsync(string apiVersion, string kind, string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceVersion);
        var resource = await resources.FindAsync(apiVersion, kind, cancellationToken).ConfigureAwait(false);
        var type = KubeObjects.TypeOf(apiVersion, kind) ?? throw new UnsupportedKindException(apiVersion, kind);
        var seconds = Math.Max(1, (long)timeout.TotalSeconds);
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            $"{Collection(apiVersion, resource, null)}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={seconds}");
        await Authorise(request, cancellationToken).ConfigureAwait(false);
        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailed(response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length != 0 && Change(line, apiVersion, kind, type) is { } change)
            {
                yield return change;
            }
        }
    }
    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var request = new HttpRequestMessage(HttpMethod.Delete, await PathAsync(key, cancellationToken).ConfigureAwait(false) + "?propagationPolicy=Background");
        return await SendAsync(request, allowNotFound: true, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ClusterEvent> WatchAsync(string apiVersion, string kind, string? ns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var resource = await resources.FindAsync(apiVersion, kind, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, Collection(apiVersion, resource, ns) + "?watch=true");
        await Authorise(request, cancellationToken).ConfigureAwait(false);
        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailed(response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var change = JsonNode.Parse(line)!.AsObject();
            var type = change["type"]!.GetValue<string>();
            if (type is "ADDED" or "MODIFIED" or "DELETED" && change["object"] is JsonObject item)
            {
                yield return new ClusterEvent(Enum.Parse<WatchEventType>(type, ignoreCase: true), KubeObjects.FromJson(item.ToJsonString()));
            }
        }
    }

    // One pass: each item goes from the parsed document straight into its model, with no JsonNode or string between.
    private async Task<VersionedList> ReadListAsync(string path, string apiVersion, string kind, CancellationToken cancellationToken)
    {
        var type = KubeObjects.TypeOf(apiVersion, kind) ?? throw new UnsupportedKindException(apiVersion, kind);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        await Authorise(request, cancellationToken).ConfigureAwait(false);
        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new VersionedList([], "");
        }

        await ThrowIfFailed(response, cancellationToken).ConfigureAwait(false);
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var version = root.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("resourceVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var found = new List<IKubernetesObject<V1ObjectMeta>>(root.TryGetProperty("items", out var counted) && counted.ValueKind == JsonValueKind.Array ? counted.GetArrayLength() : 0);
        if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                found.Add(Model(item, apiVersion, kind, type));
            }
        }

        return new VersionedList(found, version);
    }

    // A watch frame: a change, a bookmark (only its resourceVersion counts), or an ERROR carrying a Status (410 Expired: list again).
    private static ClusterEvent? Change(string line, string apiVersion, string kind, Type type)
    {
        using var frame = JsonDocument.Parse(line);
        var root = frame.RootElement;
        var name = root.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (!root.TryGetProperty("object", out var item) || item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        switch (name)
        {
            case "ADDED" or "MODIFIED" or "DELETED" or "BOOKMARK":
                return new ClusterEvent(Enum.Parse<WatchEventType>(name, ignoreCase: true), Model(item, apiVersion, kind, type));
            case "ERROR":
                var code = item.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 500;
                var reason = item.TryGetProperty("reason", out var r) ? r.GetString() ?? "" : "";
                var message = item.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                throw new ClusterException(code, reason, $"watch of {kind}: {code} {reason}: {message}");
            default:
                return null;
        }
    }

    // List items omit their own apiVersion and kind; the models want them.
    private static IKubernetesObject<V1ObjectMeta> Model(JsonElement item, string apiVersion, string kind, Type type)
    {
        var model = (IKubernetesObject<V1ObjectMeta>)(item.Deserialize(type, ManifestYaml.JsonOptions) ?? throw new JsonException($"{apiVersion} {kind}: an item is null"));
        model.ApiVersion = apiVersion;
        model.Kind = kind;
        return model;
    }

    /// <summary>The API server's version (<c>GET /version</c>), as a readiness probe: it needs only a reachable server and valid credentials.</summary>
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var body = await GetTextAsync("/version", cancellationToken).ConfigureAwait(false) ?? "{}";
        return JsonNode.Parse(body)?["gitVersion"]?.GetValue<string>() ?? "unknown";
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<NodeMetrics>?> NodeMetricsAsync(CancellationToken cancellationToken)
    {
        var body = await MetricsAsync("/apis/metrics.k8s.io/v1beta1/nodes", cancellationToken).ConfigureAwait(false);
        return body is null ? null : [.. KubernetesJson.Deserialize<NodeMetricsList>(body).Items ?? []];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PodMetrics>?> PodMetricsAsync(string? ns, CancellationToken cancellationToken)
    {
        var path = ns is null ? "/apis/metrics.k8s.io/v1beta1/pods" : $"/apis/metrics.k8s.io/v1beta1/namespaces/{Uri.EscapeDataString(ns)}/pods";
        var body = await MetricsAsync(path, cancellationToken).ConfigureAwait(false);
        return body is null ? null : [.. KubernetesJson.Deserialize<PodMetricsList>(body).Items ?? []];
    }

    /// <inheritdoc/>
    public Task WaitAsync(TimeSpan duration, CancellationToken cancellationToken) => Task.Delay(duration, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => client.Dispose();

    private async Task<string> PathAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var resource = await resources.FindAsync(key.ApiVersion, key.Kind, cancellationToken).ConfigureAwait(false);
        return $"{Collection(key.ApiVersion, resource, key.Namespace)}/{Uri.EscapeDataString(key.Name)}";
    }

    private static string Collection(string apiVersion, ApiResource resource, string? ns) =>
        resource.Namespaced && ns is not null
            ? $"{ApiResources.Prefix(apiVersion)}/namespaces/{Uri.EscapeDataString(ns)}/{resource.Plural}"
            : $"{ApiResources.Prefix(apiVersion)}/{resource.Plural}";

    // Without metrics-server the group is not served (404) or its APIService is unavailable (503): no figures, not a failure.
    private async Task<string?> MetricsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await GetTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Code is 503 or 403)
        {
            return null;
        }
    }

    private async Task<string?> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request, allowNotFound: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> SendAsync(HttpRequestMessage request, bool allowNotFound, CancellationToken cancellationToken)
    {
        request.RequestUri = new Uri(client.BaseUri, request.RequestUri!.ToString().TrimStart('/'));
        await Authorise(request, cancellationToken).ConfigureAwait(false);
        using var response = await client.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await ThrowIfFailed(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task Authorise(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.RequestUri!.IsAbsoluteUri)
        {
            request.RequestUri = new Uri(client.BaseUri, request.RequestUri.ToString().TrimStart('/'));
        }

        if (client.Credentials is { } credentials && request.Headers.Authorization is null)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ThrowIfFailed(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string reason = response.StatusCode.ToString(), message = text;
        try
        {
            using var status = JsonDocument.Parse(text);
            reason = status.RootElement.TryGetProperty("reason", out var r) ? r.GetString() ?? reason : reason;
            message = status.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? text : text;
        }
        catch (JsonException)
        {
            // Not a Status object (a proxy's error page): the body is the message.
        }

        throw new ClusterException((int)response.StatusCode, reason, $"{(int)response.StatusCode} {reason}: {message}");
    }
}
