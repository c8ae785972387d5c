using System.Globalization;

namespace Keelson.Validation.Checks;

/// <summary>A Kubernetes minor version such as 1.31.</summary>
public readonly record struct KubeVersion(int Major, int Minor) : IComparable<KubeVersion>
{
    /// <summary>The version checked against when none is given.</summary>
    public static readonly KubeVersion Default = new(1, 31);

    /// <summary>Parses <c>1.31</c> or <c>v1.31.2</c>.</summary>
    public static bool TryParse(string text, out KubeVersion version)
    {
        var parts = text.TrimStart('v').Split('.');
        version = default;
        if (parts.Length >= 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            version = new KubeVersion(major, minor);
            return true;
        }

        return false;
    }

    /// <inheritdoc/>
    public int CompareTo(KubeVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <summary>Compares versions.</summary>
    public static bool operator >=(KubeVersion a, KubeVersion b) => a.CompareTo(b) >= 0;

    /// <summary>Compares versions.</summary>
    public static bool operator <=(KubeVersion a, KubeVersion b) => a.CompareTo(b) <= 0;

    /// <summary>Compares versions.</summary>
    public static bool operator >(KubeVersion a, KubeVersion b) => a.CompareTo(b) > 0;

    /// <summary>Compares versions.</summary>
    public static bool operator <(KubeVersion a, KubeVersion b) => a.CompareTo(b) < 0;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
