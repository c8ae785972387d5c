using System.Collections.Frozen;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;
using Keelson.Spec.Schema;

namespace Keelson.Spec.Profiles;

/// <summary>The built-in cluster profiles, shipped as YAML in the cluster format and parsed once.</summary>
public static class ClusterProfiles
{
    /// <summary>The profile used when a stack names none.</summary>
    public const string Default = "aws-general";

    private static readonly Lazy<FrozenDictionary<string, ClusterProfile>> All = new(LoadAll);

    /// <summary>Names of the built-in profiles.</summary>
    public static IReadOnlyList<string> Names => StackSchema.BuiltInProfiles;

    /// <summary>A built-in profile by name.</summary>
    public static ClusterProfile Get(string name) =>
        All.Value.TryGetValue(name, out var profile)
            ? profile
            : throw new ArgumentException($"No built-in cluster profile '{name}'; built-in: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>A built-in profile by name, or null.</summary>
    public static ClusterProfile? Find(string name) => All.Value.GetValueOrDefault(name);

    /// <summary>The YAML text of a built-in profile, for display and for custom copies.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(ClusterProfiles).Assembly.GetManifestResourceStream($"Keelson.Spec.Profiles.{name}.yaml")
            ?? throw new ArgumentException($"No built-in cluster profile '{name}'.", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static FrozenDictionary<string, ClusterProfile> LoadAll()
    {
        var profiles = new Dictionary<string, ClusterProfile>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            var result = StackParser.ParseCluster(Text(name), $"builtin:{name}");
            profiles[name] = result.Value
                ?? throw new InvalidOperationException($"Built-in profile '{name}' is invalid: {string.Join("; ", result.Diagnostics)}");
        }

        return profiles.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
