namespace Keelson.Validation.Loading;

/// <summary>One Kubernetes object as read from a file, with where it came from.</summary>
/// <param name="File">File name, or <c>-</c> for standard input.</param>
/// <param name="Line">Line where the object starts.</param>
/// <param name="Node">The object's mapping, with node positions for locating findings.</param>
/// <param name="Source">The <c># Source:</c> template a Helm-rendered document names, if any.</param>
public sealed record ManifestDocument(string File, int Line, YamlMap Node, string? Source)
{
    /// <summary><c>apiVersion</c>, or empty.</summary>
    public string ApiVersion { get; } = Node.Scalar("apiVersion") ?? "";

    /// <summary><c>kind</c>, or empty.</summary>
    public string Kind { get; } = Node.Scalar("kind") ?? "";

    /// <summary><c>metadata.name</c>, or empty.</summary>
    public string Name { get; } = (Node.Get("metadata") as YamlMap)?.Scalar("name") ?? "";

    /// <summary><c>metadata.namespace</c>, or null.</summary>
    public string? Namespace { get; } = (Node.Get("metadata") as YamlMap)?.Scalar("namespace");

    /// <summary>The object reference used in findings.</summary>
    public ObjectRef Ref => new(Kind.Length == 0 ? "?" : Kind, Namespace, Name.Length == 0 ? "?" : Name);
}
