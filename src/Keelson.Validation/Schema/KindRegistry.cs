using System.Collections.Frozen;
using k8s.Models;

namespace Keelson.Validation.Schema;

/// <summary>The <c>KubernetesClient</c> model type of each built-in apiVersion and kind, from the models' own attributes.</summary>
public static class KindRegistry
{
    private static readonly FrozenDictionary<string, Type> Types = typeof(V1Pod).Assembly.GetTypes()
        .Select(t => (Type: t, Entity: (KubernetesEntityAttribute?)Attribute.GetCustomAttribute(t, typeof(KubernetesEntityAttribute))))
        .Where(x => x.Entity is { Kind.Length: > 0 } && !x.Type.Name.EndsWith("List", StringComparison.Ordinal))
        .GroupBy(x => Key(ApiVersion(x.Entity!), x.Entity!.Kind))
        .ToFrozenDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);

    /// <summary>The model type of an apiVersion and kind, or null when KubernetesClient has none (a CRD, or a removed API).</summary>
    public static Type? Find(string apiVersion, string kind) => Types.GetValueOrDefault(Key(apiVersion, kind));

    /// <summary>Every apiVersion that serves a kind, for "did you mean" and deprecation messages.</summary>
    public static IReadOnlyList<string> VersionsOf(string kind) =>
        [.. Types.Keys.Where(k => k.EndsWith("/" + kind, StringComparison.Ordinal)).Select(k => k[..^(kind.Length + 1)]).Order(StringComparer.Ordinal)];

    private static string ApiVersion(KubernetesEntityAttribute entity) =>
        string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";

    private static string Key(string apiVersion, string kind) => $"{apiVersion}/{kind}";
}
