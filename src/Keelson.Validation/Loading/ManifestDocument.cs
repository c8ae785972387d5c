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

    /// <summary>The API group of <see cref="ApiVersion"/>: empty for the core group (<c>v1</c>).</summary>
    public string Group => ApiVersion.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? ApiVersion[..slash] : "";

    /// <summary><c>kind</c>, or empty.</summary>
    public string Kind { get; } = Node.Scalar("kind") ?? "";

    /// <summary><c>metadata.name</c>, or empty.</summary>
    public string Name { get; } = (Node.Get("metadata") as YamlMap)?.Scalar("name") ?? "";

    /// <summary><c>metadata.generateName</c>, the prefix the API server completes when no name is given, or null.</summary>
    public string? GenerateName { get; } = (Node.Get("metadata") as YamlMap)?.Scalar("generateName");

    /// <summary><c>metadata.namespace</c>, or null.</summary>
    public string? Namespace { get; } = (Node.Get("metadata") as YamlMap)?.Scalar("namespace");

    /// <summary>Keys written twice inside the object, with the field path of their mapping; the later value is the one checked.</summary>
    public IReadOnlyList<(string Path, YamlEntry Entry)> DuplicateKeys { get; init; } = [];

    /// <summary>The object reference used in findings; a generated name shows as its prefix and <c>*</c>.</summary>
    public ObjectRef Ref => new(Kind.Length == 0 ? "?" : Kind, Namespace, Name.Length > 0 ? Name : GenerateName is { Length: > 0 } prefix ? prefix + "*" : "?");
}
