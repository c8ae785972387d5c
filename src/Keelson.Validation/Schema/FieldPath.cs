using System.Globalization;
using System.Text;

namespace Keelson.Validation.Schema;

/// <summary>
/// The field path of the node being visited, kept as a stack of keys and list indices. Walks push and pop as they
/// descend; the dotted string (<c>spec.containers[0].image</c>) is built only when a finding needs it.
/// </summary>
internal sealed class FieldPath
{
    private string?[] keys = new string?[16];
    private int[] indices = new int[16];

    /// <summary>Segments on the stack.</summary>
    public int Depth { get; private set; }

    /// <summary>Descends into a mapping key.</summary>
    public void Push(string key) => Push(key, -1);

    /// <summary>Descends into a list item.</summary>
    public void Push(int index) => Push(null, index);

    /// <summary>Returns to the parent.</summary>
    public void Pop() => Depth--;

    /// <summary>Returns to a depth saved before descending.</summary>
    public void PopTo(int depth) => Depth = depth;

    /// <summary>The path as findings show it.</summary>
    public override string ToString() => Render(null);

    /// <summary>The path with one more key, as findings show it.</summary>
    public string With(string key) => Render(key);

    private void Push(string? key, int index)
    {
        if (Depth == keys.Length)
        {
            Array.Resize(ref keys, Depth * 2);
            Array.Resize(ref indices, Depth * 2);
        }

        keys[Depth] = key;
        indices[Depth++] = index;
    }

    private string Render(string? last)
    {
        var text = new StringBuilder();
        for (var i = 0; i < Depth; i++)
        {
            Append(text, keys[i], indices[i]);
        }

        if (last is not null)
        {
            Append(text, last, -1);
        }

        return text.ToString();
    }

    // As the walk always wrote paths: "a.b" for keys (no dot before the first), "a[0]" for items.
    private static void Append(StringBuilder text, string? key, int index)
    {
        if (key is null)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{index}]");
        }
        else
        {
            text.Append(text.Length == 0 ? "" : ".").Append(key);
        }
    }
}
