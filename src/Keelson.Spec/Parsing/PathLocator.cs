namespace Keelson.Spec.Parsing;

/// <summary>Finds where a field path was written, falling back to its nearest written ancestor (for defaults).</summary>
public static class PathLocator
{
    /// <summary>The position of <paramref name="path"/> or of its closest ancestor, or null.</summary>
    public static bool TryFind<T>(IReadOnlyDictionary<string, T> positions, string path, out T position)
    {
        var probe = path;
        while (probe.Length > 0)
        {
            if (positions.TryGetValue(probe, out var found))
            {
                position = found;
                return true;
            }

            var cut = Math.Max(probe.LastIndexOf('.'), probe.LastIndexOf('['));
            probe = cut > 0 ? probe[..cut] : "";
        }

        position = default!;
        return false;
    }
}
