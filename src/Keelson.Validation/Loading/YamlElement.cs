namespace Keelson.Validation.Loading;

/// <summary>A node of a loaded YAML document — a <see cref="YamlMap"/>, <see cref="YamlSeq"/> or <see cref="YamlValue"/> — with where it starts.</summary>
public abstract class YamlElement
{
    private protected YamlElement(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>Line where the node starts, from 1.</summary>
    public int Line { get; }

    /// <summary>Column where the node starts, from 1.</summary>
    public int Column { get; }

    /// <summary>The node at a dotted path of mapping keys below this one (<c>spec.template.spec</c>), or null.</summary>
    /// <remarks>Walks the path in place: checks call this per object and field, so it must not split or allocate.</remarks>
    public YamlElement? At(ReadOnlySpan<char> path)
    {
        var node = this;
        while (true)
        {
            var dot = path.IndexOf('.');
            if (node is not YamlMap map || map.Get(dot < 0 ? path : path[..dot]) is not { } child)
            {
                return null;
            }

            if (dot < 0)
            {
                return child;
            }

            node = child;
            path = path[(dot + 1)..];
        }
    }

    /// <summary>Whether two nodes hold the same content: same keys in the same order, same items, same scalar text (quoting aside).</summary>
    public static bool SameContent(YamlElement? a, YamlElement? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        switch (a, b)
        {
            case (YamlValue x, YamlValue y):
                return x.Value == y.Value;
            case (YamlSeq x, YamlSeq y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!SameContent(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            case (YamlMap x, YamlMap y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (x.Entries[i].Key != y.Entries[i].Key || !SameContent(x.Entries[i].Value, y.Entries[i].Value))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }
}
