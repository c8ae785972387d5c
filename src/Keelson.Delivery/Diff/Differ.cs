using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Rendering.Output;

namespace Keelson.Delivery.Diff;

/// <summary>What delivering an object would do.</summary>
public enum DiffAction
{
    /// <summary>The object does not exist yet.</summary>
    Create,

    /// <summary>Some field Keelson sets differs from the live object.</summary>
    Update,

    /// <summary>Every field Keelson sets already has that value.</summary>
    Unchanged,

    /// <summary>The last delivery applied it, this one does not: it would be deleted.</summary>
    Prune,
}

/// <summary>One object's change, with a unified diff of its YAML (<c>-</c> live, <c>+</c> desired).</summary>
public sealed record ObjectDiff(ObjectKey Key, DiffAction Action, string Patch);

/// <summary>
/// What a delivery would change, like <c>kubectl diff</c>: each desired object against the live one, comparing only
/// the fields the desired object sets (fields the server fills in — status, uids, defaults — are not differences),
/// plus the objects the namespace's inventory holds that would be pruned. Secret values are never shown.
/// </summary>
public static class Differ
{
    /// <summary>The changes delivering <paramref name="objects"/> to namespace <paramref name="ns"/> would make.</summary>
    public static async Task<IReadOnlyList<ObjectDiff>> DiffAsync(ICluster cluster, string ns, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var diffs = new List<ObjectDiff>();
        foreach (var desired in Deployer.Ordered(objects))
        {
            var key = ObjectKey.Of(desired);
            var live = await cluster.GetAsync(key, cancellationToken).ConfigureAwait(false);
            var want = Json(desired);
            if (live is null)
            {
                diffs.Add(new ObjectDiff(key, DiffAction.Create, Unified("", Yaml(want))));
                continue;
            }

            var have = Shape(Json(live), want);
            var before = Yaml(have);
            var after = Yaml(want);
            diffs.Add(new ObjectDiff(key, before == after ? DiffAction.Unchanged : DiffAction.Update, before == after ? "" : Unified(before, after)));
        }

        if (await Inventory.Inventory.ReadAsync(cluster, ns, cancellationToken).ConfigureAwait(false) is { } inventory)
        {
            foreach (var gone in inventory.Keys.Where(k => !objects.Any(o => ObjectKey.Of(o).SameObject(k))))
            {
                diffs.Add(new ObjectDiff(gone, DiffAction.Prune, ""));
            }
        }

        return diffs;
    }

    /// <summary>
    /// What changed from one rendered manifest to another, object by object in apply order: <see cref="DiffAction.Create"/>
    /// for an object only <paramref name="after"/> has, <see cref="DiffAction.Prune"/> for one only <paramref name="before"/>
    /// has (its whole YAML as removed lines), else update or unchanged; Secret values compared by hash, never shown.
    /// </summary>
    public static IReadOnlyList<ObjectDiff> Between(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> before, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var diffs = new List<ObjectDiff>();
        foreach (var now in Deployer.Ordered(after))
        {
            var key = ObjectKey.Of(now);
            var then = before.FirstOrDefault(o => ObjectKey.Of(o).SameObject(key));
            var next = Yaml(Json(now));
            var previous = then is null ? null : Yaml(Json(then));
            diffs.Add(previous is null ? new ObjectDiff(key, DiffAction.Create, Unified("", next))
                : previous == next ? new ObjectDiff(key, DiffAction.Unchanged, "")
                : new ObjectDiff(key, DiffAction.Update, Unified(previous, next)));
        }

        foreach (var gone in Deployer.Ordered(before).Where(o => !after.Any(a => ObjectKey.Of(a).SameObject(ObjectKey.Of(o)))))
        {
            diffs.Add(new ObjectDiff(ObjectKey.Of(gone), DiffAction.Prune, Unified(Yaml(Json(gone)), "")));
        }

        return diffs;
    }

    private static JsonObject Json(IKubernetesObject<V1ObjectMeta> resource)
    {
        var node = JsonSerializer.SerializeToNode(resource, resource.GetType(), ManifestYaml.JsonOptions)!.AsObject();
        node.Remove("status");
        if (resource is V1Secret && node["data"] is JsonObject data)
        {
            // Secret values are compared by hash, so a change shows without the value.
            foreach (var name in data.Select(p => p.Key).ToList())
            {
                data[name] = $"(sha256 {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(data[name]?.ToJsonString() ?? "")))[..12].ToLowerInvariant()})";
            }
        }

        return node;
    }

    // The live object cut down to the fields the desired one sets, recursively: list items pair up by position.
    private static JsonNode? Shape(JsonNode? live, JsonNode? desired)
    {
        switch (desired)
        {
            case JsonObject want when live is JsonObject have:
                var shaped = new JsonObject();
                foreach (var (name, value) in want)
                {
                    if (have.TryGetPropertyValue(name, out var liveValue))
                    {
                        shaped[name] = Shape(liveValue, value);
                    }
                }

                return shaped;
            case JsonArray want when live is JsonArray have:
                var items = new JsonArray();
                for (var i = 0; i < have.Count; i++)
                {
                    items.Add(i < want.Count ? Shape(have[i], want[i]) : have[i]?.DeepClone());
                }

                return items;
            default:
                return live?.DeepClone();
        }
    }

    private static string Yaml(JsonNode? node) => node is JsonObject o ? ManifestYaml.Document(o) : "";

    // A unified diff with three lines of context around each change, as diff -u prints it.
    private static string Unified(string before, string after)
    {
        var lines = InlineDiffBuilder.Diff(before, after, ignoreWhiteSpace: false).Lines
            .Where(l => l.Type != ChangeType.Imaginary)
            .Select(l => (Mark: l.Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' }, l.Text))
            .ToList();
        var changed = lines.Select((l, i) => (l, i)).Where(x => x.l.Mark != ' ').Select(x => x.i).ToList();
        var text = new StringBuilder();
        var last = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (!changed.Any(c => Math.Abs(c - i) <= 3))
            {
                continue;
            }

            if (last >= 0 && i > last + 1)
            {
                text.Append("  ...\n");
            }

            text.Append(lines[i].Mark).Append(' ').Append(lines[i].Text).Append('\n');
            last = i;
        }

        return text.ToString();
    }
}
