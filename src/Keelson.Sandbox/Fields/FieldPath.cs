using System.Collections.Immutable;

namespace Keelson.Sandbox.Fields;

/// <summary>A path to a field or list item of an object, as structured-merge-diff tracks ownership of it.</summary>
public sealed class FieldPath : IEquatable<FieldPath>, IComparable<FieldPath>
{
    /// <summary>The object itself.</summary>
    public static FieldPath Root { get; } = new([]);

    private FieldPath(ImmutableArray<PathElement> elements) => Elements = elements;

    /// <summary>The steps from the object's root.</summary>
    public ImmutableArray<PathElement> Elements { get; }

    /// <summary>A path of fields (<c>Of("spec", "replicas")</c>).</summary>
    public static FieldPath Of(params string[] fields) => new([.. fields.Select(PathElement.Field)]);

    /// <summary>A path of any steps.</summary>
    public static FieldPath Of(IEnumerable<PathElement> elements) => new([.. elements]);

    /// <summary>This path one step further.</summary>
    public FieldPath Child(PathElement element) => new(Elements.Add(element));

    /// <summary>Whether this path is <paramref name="other"/> or lies under it.</summary>
    public bool StartsWith(FieldPath other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Elements.Length > Elements.Length)
        {
            return false;
        }

        for (var i = 0; i < other.Elements.Length; i++)
        {
            if (Elements[i] != other.Elements[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The path as the API server prints it in a conflict (<c>.spec.template.spec.containers[name="app"].image</c>).</summary>
    public override string ToString() => string.Concat(Elements.Select(e => e.ToString()));

    /// <inheritdoc/>
    public bool Equals(FieldPath? other) => other is not null && Elements.SequenceEqual(other.Elements);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FieldPath);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var element in Elements)
        {
            hash.Add(element);
        }

        return hash.ToHashCode();
    }

    /// <summary>Equal paths.</summary>
    public static bool operator ==(FieldPath? left, FieldPath? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Different paths.</summary>
    public static bool operator !=(FieldPath? left, FieldPath? right) => !(left == right);

    /// <summary>Ordered before.</summary>
    public static bool operator <(FieldPath? left, FieldPath? right) => left is null ? right is not null : left.CompareTo(right) < 0;

    /// <summary>Ordered before or equal.</summary>
    public static bool operator <=(FieldPath? left, FieldPath? right) => left is null || left.CompareTo(right) <= 0;

    /// <summary>Ordered after.</summary>
    public static bool operator >(FieldPath? left, FieldPath? right) => left is not null && left.CompareTo(right) > 0;

    /// <summary>Ordered after or equal.</summary>
    public static bool operator >=(FieldPath? left, FieldPath? right) => left is null ? right is null : left.CompareTo(right) >= 0;

    /// <summary>Lexicographic by step, a path before the paths under it.</summary>
    public int CompareTo(FieldPath? other)
    {
        if (other is null)
        {
            return 1;
        }

        for (var i = 0; i < Math.Min(Elements.Length, other.Elements.Length); i++)
        {
            var step = Elements[i].CompareTo(other.Elements[i]);
            if (step != 0)
            {
                return step;
            }
        }

        return Elements.Length.CompareTo(other.Elements.Length);
    }
}
