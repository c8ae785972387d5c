using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Builds a finding of a set check about one object.</summary>
internal static class SetFinding
{
    public static Finding At(ISetCheck check, ManifestDocument document, YamlElement? node, string path, string message, string hint) =>
        new(check.Id, check.Severity, document.Ref, document.File, node is null ? document.Line : node.Line, path, message, hint);

    /// <summary>
    /// A reference or selector that finds nothing in the given files. The object may already be in the cluster, so
    /// every check reports this at info, whatever its own severity; problems with objects it can see keep that.
    /// </summary>
    public static Finding External(ISetCheck check, ManifestDocument document, YamlElement? node, string path, string message, string hint) =>
        At(check, document, node, path, message, hint) with { Severity = Severity.Info };

    /// <summary>
    /// A selector that selects no pod template in the files: info when the files hold no workload in its namespace
    /// (the pods come from elsewhere), the check's severity when they do (labels that match none of them are a typo).
    /// </summary>
    public static Finding Unmatched(ISetCheck check, ManifestSet manifests, ManifestDocument document, YamlElement? node, string path, string message, string hint) =>
        manifests.PodLabels(document.Namespace).Any()
            ? At(check, document, node, path, message, hint)
            : External(check, document, node, path, message, hint);
}
