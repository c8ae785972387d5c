using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Fields;

/// <summary>
/// A set of field paths, as a manager owns them. In <c>FieldsV1</c> (see <see cref="ToFieldsV1"/>) a path in the set is
/// a key with <c>{}</c> when nothing under it is in the set, and <c>".": {}</c> inside its object when something is.
/// </summary>
public sealed class FieldSet
{
    /// <summary>No paths.</summary>
    public static FieldSet Empty { get; } = new(ImmutableSortedSet<FieldPath>.Empty);

    private FieldSet(ImmutableSortedSet<FieldPath> paths) => Paths = paths;

    /// <summary>The paths, in structured-merge-diff's order.</summary>
    public ImmutableSortedSet<FieldPath> Paths { get; }

    /// <summary>Whether the set has no paths.</summary>
    public bool IsEmpty => Paths.IsEmpty;

    /// <summary>A set of these paths.</summary>
    public static FieldSet Of(IEnumerable<FieldPath> paths) => new(ImmutableSortedSet.CreateRange(paths));

    /// <summary>Whether <paramref name="path"/> is in the set.</summary>
    public bool Contains(FieldPath path) => Paths.Contains(path);

    /// <summary>Whether a path strictly under <paramref name="path"/> is in the set.</summary>
    public bool HasUnder(FieldPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Paths.Any(p => p.Elements.Length > path.Elements.Length && p.StartsWith(path));
    }

    /// <summary>The paths of either set.</summary>
    public FieldSet Union(FieldSet other) => new(Paths.Union(other.Paths));

    /// <summary>The paths of this set not in <paramref name="other"/>.</summary>
    public FieldSet Except(FieldSet other) => new(Paths.Except(other.Paths));

    /// <summary>The paths of both sets.</summary>
    public FieldSet Intersect(FieldSet other) => new(Paths.Intersect(other.Paths));

    /// <summary>The paths not under any of <paramref name="prefixes"/>.</summary>
    public FieldSet Without(IEnumerable<FieldPath> prefixes)
    {
        var list = prefixes.ToList();
        return new(Paths.Where(p => !list.Any(p.StartsWith)).ToImmutableSortedSet());
    }

    /// <summary>Only the paths in <paramref name="existing"/>: fields an object no longer has are owned by nobody.</summary>
    public FieldSet Within(FieldSet existing) => Intersect(existing);

    /// <summary>The set in the API's <c>FieldsV1</c> encoding.</summary>
    public JsonObject ToFieldsV1()
    {
        var root = new Node();
        foreach (var path in Paths)
        {
            var node = root;
            foreach (var element in path.Elements)
            {
                node = node.Child(element.Encoded);
            }

            node.Member = true;
        }

        return root.ToJson();
    }

    /// <summary>Reads a <c>FieldsV1</c> object; keys that are not field path steps are skipped.</summary>
    public static FieldSet FromFieldsV1(JsonObject? fields)
    {
        var paths = new List<FieldPath>();
        Collect(fields, FieldPath.Root, paths);
        return Of(paths);
    }

    private static void Collect(JsonObject? fields, FieldPath at, List<FieldPath> paths)
    {
        foreach (var (key, value) in fields ?? [])
        {
            if (key == ".")
            {
                paths.Add(at);
                continue;
            }

            if (PathElement.Decode(key) is not { } element)
            {
                continue;
            }

            var child = at.Child(element);
            if (value is not JsonObject inner || inner.Count == 0)
            {
                paths.Add(child);
            }
            else
            {
                Collect(inner, child, paths);
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", Paths);

    // A tree built from paths in sorted order, so children come out sorted.
    private sealed class Node
    {
        private readonly List<(string Key, Node Node)> children = [];

        public bool Member { get; set; }

        public Node Child(string key)
        {
            foreach (var (existing, node) in children)
            {
                if (existing == key)
                {
                    return node;
                }
            }

            var created = new Node();
            children.Add((key, created));
            return created;
        }

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (Member && children.Count > 0)
            {
                json["."] = new JsonObject();
            }

            foreach (var (key, node) in children)
            {
                json[key] = node.ToJson();
            }

            return json;
        }
    }
}
