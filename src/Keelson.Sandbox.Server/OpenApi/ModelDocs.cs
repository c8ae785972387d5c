using System.Collections.Frozen;
using System.Xml.Linq;
using k8s.Models;

namespace Keelson.Sandbox.Server.OpenApi;

/// <summary>
/// The descriptions of KubernetesClient's models, from the XML documentation shipped beside its assembly (the
/// API's own field descriptions). Without the file, schemas are served without descriptions rather than failing.
/// </summary>
internal static class ModelDocs
{
    private static readonly Lazy<FrozenDictionary<string, string>> Summaries = new(Load);

    /// <summary>Whether the documentation file was found.</summary>
    public static bool Available => Summaries.Value.Count > 0;

    /// <summary>The summary of a model type, or null.</summary>
    public static string? OfType(Type type) => Summaries.Value.GetValueOrDefault($"T:{type.FullName}");

    /// <summary>The summary of a model property, or null.</summary>
    public static string? OfProperty(Type type, string property) => Summaries.Value.GetValueOrDefault($"P:{type.FullName}.{property}");

    private static FrozenDictionary<string, string> Load()
    {
        var assembly = typeof(V1Pod).Assembly.Location;
        var path = Path.ChangeExtension(assembly, ".xml");
        if (assembly.Length == 0 || !File.Exists(path))
        {
            return FrozenDictionary<string, string>.Empty;
        }

        return XDocument.Load(path).Descendants("member")
            .Select(m => (Name: (string?)m.Attribute("name"), Summary: m.Element("summary")?.Value))
            .Where(m => m.Name is not null && !string.IsNullOrWhiteSpace(m.Summary))
            .GroupBy(m => m.Name!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => Clean(g.First().Summary!), StringComparer.Ordinal);
    }

    // The generator wraps summaries across lines with indentation; the API's text is one paragraph per line.
    private static string Clean(string summary) =>
        string.Join(' ', summary.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.Length > 0));
}
