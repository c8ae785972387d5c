using YamlDotNet.RepresentationModel;

namespace Keelson.Validation.Loading;

/// <summary>One Kubernetes object as read from a file, with where it came from.</summary>
/// <param name="File">File name, or <c>-</c> for standard input.</param>
/// <param name="Line">Line where the object starts.</param>
/// <param name="Node">The object's mapping, with node positions for locating findings.</param>
/// <param name="Source">The <c># Source:</c> template a Helm-rendered document names, if any.</param>
public sealed record ManifestDocument(string File, int Line, YamlMappingNode Node, string? Source)
{
    private static readonly YamlScalarNode MetadataKey = new("metadata");

    /// <summary><c>apiVersion</c>, or empty.</summary>
    public string ApiVersion { get; } = Scalar(Node, "apiVersion") ?? "";

    /// <summary><c>kind</c>, or empty.</summary>
    public string Kind { get; } = Scalar(Node, "kind") ?? "";

    /// <summary><c>metadata.name</c>, or empty.</summary>
    public string Name { get; } = Node.Children.TryGetValue(MetadataKey, out var m) && m is YamlMappingNode meta ? Scalar(meta, "name") ?? "" : "";

    /// <summary><c>metadata.namespace</c>, or null.</summary>
    public string? Namespace { get; } = Node.Children.TryGetValue(MetadataKey, out var m) && m is YamlMappingNode meta ? Scalar(meta, "namespace") : null;

    /// <summary>The object reference used in findings.</summary>
    public ObjectRef Ref => new(Kind.Length == 0 ? "?" : Kind, Namespace, Name.Length == 0 ? "?" : Name);

    /// <summary>A scalar child of a mapping, or null.</summary>
    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode s ? s.Value : null;
}
