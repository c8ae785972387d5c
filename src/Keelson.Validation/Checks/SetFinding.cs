using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Builds a finding of a set check about one object.</summary>
internal static class SetFinding
{
    public static Finding At(ISetCheck check, ManifestDocument document, YamlElement? node, string path, string message, string hint) =>
        new(check.Id, check.Severity, document.Ref, document.File, node is null ? document.Line : node.Line, path, message, hint);
}
