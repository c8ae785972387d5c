namespace Keelson.Validation.Loading;

/// <summary>A YAML list.</summary>
public sealed class YamlSeq : YamlElement, IReadOnlyList<YamlElement>
{
    private readonly YamlElement[] items;

    /// <summary>A list of items at a position.</summary>
    internal YamlSeq(YamlElement[] items, int line, int column)
        : base(line, column) => this.items = items;

    /// <summary>Items in order.</summary>
    public int Count => items.Length;

    /// <summary>The item at an index.</summary>
    public YamlElement this[int index] => items[index];

    /// <inheritdoc/>
    public IEnumerator<YamlElement> GetEnumerator() => ((IEnumerable<YamlElement>)items).GetEnumerator();

    /// <inheritdoc/>
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => items.GetEnumerator();
}
