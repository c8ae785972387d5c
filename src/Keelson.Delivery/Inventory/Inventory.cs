using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Rendering.Output;

namespace Keelson.Delivery.Inventory;

/// <summary>
/// What the last successful delivery applied to a namespace, kept in a labelled ConfigMap there: the object keys
/// (so the next delivery prunes what left the stack) and the objects themselves, gzipped (so a failed rollout can go
/// back to them). Secrets are listed but their content is never copied into the ConfigMap; a rollback leaves them be.
/// </summary>
public sealed record Inventory(int Revision, IReadOnlyList<ObjectKey> Keys, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects)
{
    /// <summary>Name of the inventory ConfigMap.</summary>
    public const string ConfigMapName = "keelson-inventory";

    /// <summary>Label marking inventory ConfigMaps.</summary>
    public const string Label = "keelson.dev/inventory";

    private const string ObjectsKey = "objects";
    private const string RevisionKey = "revision";
    private const string ContentKey = "manifest.json.gz";

    /// <summary>The inventory of a namespace, or null when Keelson has not delivered there.</summary>
    public static async Task<Inventory?> ReadAsync(ICluster cluster, string ns, CancellationToken cancellationToken)
    {
        var found = await cluster.GetAsync(Key(ns), cancellationToken).ConfigureAwait(false);
        return found is V1ConfigMap map ? FromConfigMap(map) : null;
    }

    /// <summary>The key of a namespace's inventory ConfigMap.</summary>
    public static ObjectKey Key(string ns) => new("v1", "ConfigMap", ns, ConfigMapName);

    /// <summary>The inventory for <paramref name="objects"/> at <paramref name="revision"/>.</summary>
    public static Inventory Of(int revision, IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
    {
        var list = objects.ToList();
        return new Inventory(revision, [.. list.Select(ObjectKey.Of)], [.. list.Where(o => o is not V1Secret)]);
    }

    /// <summary>The ConfigMap recording this inventory in <paramref name="ns"/>.</summary>
    public V1ConfigMap ToConfigMap(string ns)
    {
        var items = new JsonArray();
        foreach (var resource in Objects)
        {
            items.Add(JsonSerializer.SerializeToNode(resource, resource.GetType(), ManifestYaml.JsonOptions));
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(items.ToJsonString()));
        }

        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = ConfigMapName,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "keelson", [Label] = "true" },
            },
            Data = new Dictionary<string, string>
            {
                [RevisionKey] = Revision.ToString(CultureInfo.InvariantCulture),
                [ObjectsKey] = string.Join('\n', Keys.Select(k => $"{k.ApiVersion} {k.Kind} {k.Namespace ?? "-"} {k.Name}")),
            },
            BinaryData = new Dictionary<string, byte[]> { [ContentKey] = buffer.ToArray() },
        };
    }

    /// <summary>Whether this inventory records exactly <paramref name="objects"/>, in order (Secrets only by key, as recorded):
    /// committing them again would change nothing but the revision number.</summary>
    public bool Records(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
    {
        var other = Of(Revision, objects);
        return Keys.SequenceEqual(other.Keys) && Objects.Select(Json).SequenceEqual(other.Objects.Select(Json), StringComparer.Ordinal);
    }

    /// <summary>Reads an inventory back from its ConfigMap.</summary>
    public static Inventory FromConfigMap(V1ConfigMap map)
    {
        var revision = int.TryParse(Value(map.Data, RevisionKey), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
        var keys = (Value(map.Data, ObjectsKey) ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 4)
            .Select(parts => new ObjectKey(parts[0], parts[1], parts[2] == "-" ? null : parts[2], parts[3]))
            .ToList();
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (map.BinaryData is { } binary && binary.TryGetValue(ContentKey, out var content))
        {
            using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            foreach (var item in JsonNode.Parse(reader.ReadToEnd())!.AsArray())
            {
                objects.Add(KubeObjects.FromJson(item!.ToJsonString()));
            }
        }

        return new Inventory(revision, keys, objects);
    }

    private static string Json(IKubernetesObject<V1ObjectMeta> resource) =>
        JsonSerializer.Serialize(resource, resource.GetType(), ManifestYaml.JsonOptions);

    private static string? Value(IDictionary<string, string>? data, string key) => data is not null && data.TryGetValue(key, out var value) ? value : null;
}
