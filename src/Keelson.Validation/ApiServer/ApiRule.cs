using Keelson.Validation.Loading;

namespace Keelson.Validation.ApiServer;

/// <summary>
/// One rule of the API server's own validation: which kinds, which field (a path with <c>[]</c> for every list item and
/// the placeholders <see cref="ApiServerRules"/> expands), what is wrong there, and the upstream function that enforces it.
/// </summary>
/// <param name="Name">Unique name, used by tests and the documentation.</param>
/// <param name="Id">Finding id: <c>schema-required</c>, <c>schema-value</c>, <c>schema-name</c> or <c>schema-duplicate</c>.</param>
/// <param name="Kinds">Kinds the rule applies to.</param>
/// <param name="Path">Where the rule looks, relative to the object.</param>
/// <param name="Check">The problems at one node the path found.</param>
/// <param name="Upstream">The Go function in <c>k8s.io/kubernetes/pkg/apis/*/validation</c> that rejects it.</param>
public sealed record ApiRule(string Name, string Id, IReadOnlyList<string> Kinds, string Path, Func<RuleSite, IEnumerable<Problem>> Check, string Upstream);

/// <summary>What a rule found wrong, relative to the node it looked at.</summary>
/// <param name="Message">What is wrong.</param>
/// <param name="Hint">What is allowed.</param>
/// <param name="Field">A path below the node (<c>name</c>, <c>ports[2].name</c>) the finding is about, or null for the node itself.</param>
/// <param name="At">The node the finding points at (its line), or null for the node the rule looked at.</param>
public sealed record Problem(string Message, string Hint, string? Field = null, YamlElement? At = null);

/// <summary>A node a rule looks at, with the object it is in and the object's pod spec; a struct, as one is made per rule and node.</summary>
/// <param name="Document">The object.</param>
/// <param name="Node">The node the rule's path found.</param>
/// <param name="PodSpec">The pod spec of a workload, or null.</param>
public readonly record struct RuleSite(ManifestDocument Document, YamlElement Node, YamlMap? PodSpec)
{
    /// <summary>The node as a mapping, or null.</summary>
    public YamlMap? Map => Node as YamlMap;

    /// <summary>The scalar text of a key of the node, or null.</summary>
    public string? Scalar(string key) => Map?.Scalar(key);

    /// <summary>The value of a key of the node, ignoring YAML nulls.</summary>
    public YamlElement? Get(string key) => Present(Map?.Get(key));

    /// <summary>The element, or null when it is a YAML null.</summary>
    public static YamlElement? Present(YamlElement? element) => element is YamlValue { IsNull: true } ? null : element;
}
