namespace Keelson.Validation;

/// <summary>How serious a finding is.</summary>
public enum Severity
{
    /// <summary>For information: something was not checked.</summary>
    Info,

    /// <summary>Works, but against good practice.</summary>
    Warning,

    /// <summary>Will be rejected by the API server or break at run time.</summary>
    Error,
}

/// <summary>The object a finding is about.</summary>
/// <param name="Kind">Object kind.</param>
/// <param name="Namespace">Namespace, or null for cluster-scoped or unset.</param>
/// <param name="Name">Object name.</param>
public sealed record ObjectRef(string Kind, string? Namespace, string Name)
{
    /// <summary><c>Kind/namespace/name</c>.</summary>
    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}

/// <summary>One problem found in a manifest, with a stable id, its location and a fix hint.</summary>
/// <param name="CheckId">Stable id, e.g. <c>container-resources</c>.</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Target">The object, when the problem is inside one.</param>
/// <param name="File">The file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Path">Field path inside the object, e.g. <c>spec.template.spec.containers[0].image</c>.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Hint">How to fix it.</param>
public sealed record Finding(string CheckId, Severity Severity, ObjectRef? Target, string File, int Line, string Path, string Message, string Hint)
{
    /// <summary>The Helm template the object was rendered from (its <c># Source:</c> comment), or null.</summary>
    public string? Source { get; init; }
}
