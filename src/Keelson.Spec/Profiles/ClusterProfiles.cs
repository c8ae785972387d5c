using System.Collections.Concurrent;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;
using Keelson.Spec.Schema;

namespace Keelson.Spec.Profiles;

/// <summary>The built-in cluster profiles, shipped as YAML in the cluster format, each parsed once when first asked for.</summary>
public static class ClusterProfiles
{
    /// <summary>The profile used when a stack names none.</summary>
    public const string Default = "aws-general";

    // Parsing every profile costs a CLI call tens of milliseconds of start-up; most calls need one.
    private static readonly ConcurrentDictionary<string, Lazy<ClusterProfile>> Parsed = new(StringComparer.Ordinal);

    /// <summary>Names of the built-in profiles.</summary>
    public static IReadOnlyList<string> Names => StackSchema.BuiltInProfiles;

    /// <summary>A built-in profile by name.</summary>
    public static ClusterProfile Get(string name) =>
        Find(name) ?? throw new ArgumentException($"No built-in cluster profile '{name}'; built-in: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>A built-in profile by name, or null.</summary>
    public static ClusterProfile? Find(string name) =>
        Names.Contains(name, StringComparer.Ordinal) ? Parsed.GetOrAdd(name, n => new Lazy<ClusterProfile>(() => Load(n))).Value : null;

    /// <summary>The YAML text of a built-in profile, for display and for custom copies.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(ClusterProfiles).Assembly.GetManifestResourceStream($"Keelson.Spec.Profiles.{name}.yaml")
            ?? throw new ArgumentException($"No built-in cluster profile '{name}'.", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static ClusterProfile Load(string name)
    {
        var result = StackParser.ParseCluster(Text(name), $"builtin:{name}");
        return result.Value
            ?? throw new InvalidOperationException($"Built-in profile '{name}' is invalid: {string.Join("; ", result.Diagnostics)}");
    }
}
