using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using k8s.Models;

namespace Keelson.Validation.Schema;

/// <summary>The <c>KubernetesClient</c> model type of each built-in apiVersion and kind, from the models' own attributes.</summary>
public static class KindRegistry
{
    private static readonly Assembly Models = typeof(V1Pod).Assembly;

    // Scanning the thousands of model types and their attributes cost a CLI call a fifth of a second of start-up,
    // so a kind is looked up by the generator's naming convention first and the scan runs only when that misses.
    private static readonly ConcurrentDictionary<string, Type?> Found = new(StringComparer.Ordinal);
    private static readonly Lazy<FrozenDictionary<string, Type>> Scanned = new(Scan);

    // Type names read from the assembly's metadata: far cheaper than loading every type, and enough to find the
    // few whose names end with a kind.
    private static readonly Lazy<IReadOnlyList<string>?> Names = new(ReadNames);

    /// <summary>The model type of an apiVersion and kind, or null when KubernetesClient has none (a CRD, or a removed API).</summary>
    /// <remarks>Every model kind follows the naming convention (a test holds the convention against a full scan), so a miss needs no scan.</remarks>
    public static Type? Find(string apiVersion, string kind) => Found.GetOrAdd(Key(apiVersion, kind), _ => ByName(apiVersion, kind));

    /// <summary>Every apiVersion that serves a kind, for "did you mean" and deprecation messages.</summary>
    public static IReadOnlyList<string> VersionsOf(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (Names.Value is not { } names)
        {
            return [.. Scanned.Value.Keys.Where(k => k.EndsWith("/" + kind, StringComparison.Ordinal)).Select(k => k[..^(kind.Length + 1)]).Order(StringComparer.Ordinal)];
        }

        return [.. names.Where(n => n.EndsWith(kind, StringComparison.Ordinal))
            .Select(n => Models.GetType($"k8s.Models.{n}") is { } type && Entity(type) is { } entity && entity.Kind == kind ? ApiVersion(entity) : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Every apiVersion/kind key and its model type, found by scanning the models (the reference for tests).</summary>
    internal static FrozenDictionary<string, Type> All => Scanned.Value;

    // The generator names a type V1Deployment, or prefixes the group (Eventsv1Event, Corev1Event) when two
    // groups have a kind of the same name; a candidate counts only when its attribute names this apiVersion and kind.
    private static Type? ByName(string apiVersion, string kind)
    {
        if (kind.Length == 0 || !kind.All(char.IsAsciiLetterOrDigit) || kind.EndsWith("List", StringComparison.Ordinal))
        {
            return null;
        }

        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        if (version.Length == 0 || !version.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var groupWord = group.Length == 0 ? "core" : group.Split('.')[0];
        foreach (var name in (string[])[$"{char.ToUpperInvariant(version[0])}{version[1..]}{kind}", $"{char.ToUpperInvariant(groupWord[0])}{groupWord[1..]}{version}{kind}"])
        {
            if (Models.GetType($"k8s.Models.{name}") is { } type && Entity(type) is { } entity && entity.Kind == kind && ApiVersion(entity) == apiVersion)
            {
                return type;
            }
        }

        return null;
    }

    private static IReadOnlyList<string>? ReadNames()
    {
        // A single-file bundle has no assembly path; the full scan answers there.
        if (string.IsNullOrEmpty(Models.Location) || !File.Exists(Models.Location))
        {
            return null;
        }

        using var stream = File.OpenRead(Models.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return [.. metadata.TypeDefinitions.Select(metadata.GetTypeDefinition)
            .Where(t => metadata.StringComparer.Equals(t.Namespace, "k8s.Models"))
            .Select(t => metadata.GetString(t.Name))];
    }

    private static FrozenDictionary<string, Type> Scan() => Models.GetTypes()
        .Select(t => (Type: t, Entity: Entity(t)))
        .Where(x => x.Entity is { Kind.Length: > 0 } && !x.Type.Name.EndsWith("List", StringComparison.Ordinal))
        .GroupBy(x => Key(ApiVersion(x.Entity!), x.Entity!.Kind))
        .ToFrozenDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);

    private static KubernetesEntityAttribute? Entity(Type type) =>
        (KubernetesEntityAttribute?)Attribute.GetCustomAttribute(type, typeof(KubernetesEntityAttribute));

    private static string ApiVersion(KubernetesEntityAttribute entity) =>
        string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";

    private static string Key(string apiVersion, string kind) => $"{apiVersion}/{kind}";
}
