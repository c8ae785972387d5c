namespace Keelson.Validation.Loading;

/// <summary>One key and its value in a <see cref="YamlMap"/>; the key keeps its position for findings about it.</summary>
/// <remarks>Keys are held inline rather than as <see cref="YamlValue"/> nodes: a third fewer objects for the collector to carry.</remarks>
public readonly record struct YamlEntry(string Key, YamlElement Value)
{
    /// <summary>Line of the key, from 1.</summary>
    public int KeyLine { get; init; }

    /// <summary>Column of the key, from 1.</summary>
    public int KeyColumn { get; init; }
}

/// <summary>A YAML mapping with string keys, in the order written, with lookup by key.</summary>
public sealed class YamlMap : YamlElement
{
    // Kubernetes mappings are mostly small; up to this many keys a linear scan beats hashing the key.
    private const int ScanLimit = 8;

    private readonly YamlEntry[] entries;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? index;

    /// <summary>A mapping at a position; the loader has already rejected or set aside keys given twice (<see cref="DuplicateKey"/>).</summary>
    internal YamlMap(YamlEntry[] entries, int line, int column)
        : base(line, column)
    {
        this.entries = entries;
        if (entries.Length > ScanLimit)
        {
            var byKey = new Dictionary<string, int>(entries.Length, StringComparer.Ordinal);
            for (var i = 0; i < entries.Length; i++)
            {
                byKey.TryAdd(entries[i].Key, i);
            }

            index = byKey.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    /// <summary>Entries whose key a later entry of this mapping gives again (the later one is kept); empty almost always.</summary>
    public IReadOnlyList<YamlEntry> DuplicateEntries { get; internal init; } = [];

    /// <summary>Keys and values in the order written.</summary>
    public IReadOnlyList<YamlEntry> Entries => entries;

    /// <summary>Number of keys.</summary>
    public int Count => entries.Length;

    /// <summary>The value of a key, or null.</summary>
    public YamlElement? Get(ReadOnlySpan<char> key)
    {
        if (index is { } lookup)
        {
            return lookup.TryGetValue(key, out var i) ? entries[i].Value : null;
        }

        foreach (var entry in entries)
        {
            if (key.SequenceEqual(entry.Key))
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>Whether the mapping has a key.</summary>
    public bool ContainsKey(ReadOnlySpan<char> key) => Get(key) is not null;

    /// <summary>The scalar text of a key, or null when the key is missing or its value is not a scalar.</summary>
    public string? Scalar(ReadOnlySpan<char> key) => (Get(key) as YamlValue)?.Value;

    /// <summary>The entries with each key's last value, in the order the kept entries were written, and the later occurrences of repeated keys.</summary>
    internal static (YamlEntry[] Kept, YamlEntry[] Repeated) KeepLast(YamlEntry[] entries)
    {
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Length; i++)
        {
            last[entries[i].Key] = i;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeated = entries.Where(e => !seen.Add(e.Key)).ToArray();
        return ([.. entries.Where((e, i) => last[e.Key] == i)], repeated);
    }

    /// <summary>The index of the first entry whose key an earlier entry already has, or null.</summary>
    internal static int? DuplicateKey(YamlEntry[] entries)
    {
        if (entries.Length <= ScanLimit)
        {
            for (var i = 1; i < entries.Length; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (entries[i].Key == entries[j].Key)
                    {
                        return i;
                    }
                }
            }

            return null;
        }

        var seen = new HashSet<string>(entries.Length, StringComparer.Ordinal);
        for (var i = 0; i < entries.Length; i++)
        {
            if (!seen.Add(entries[i].Key))
            {
                return i;
            }
        }

        return null;
    }
}
