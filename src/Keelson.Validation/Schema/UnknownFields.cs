using Keelson.Validation.Loading;
using Keelson.Validation.Schema.Crds;

namespace Keelson.Validation.Schema;

/// <summary>
/// The fields of one object that its schema does not have, found by the same walk as <c>keelson validate</c>'s
/// <see cref="SchemaWalker.UnknownFieldId"/> findings and named as the API server's strict decoding names them
/// (<c>spec.template.spec.containers[0].imagez</c>). The sandbox's API facade uses it for <c>fieldValidation</c>.
/// </summary>
public static class UnknownFields
{
    /// <summary>
    /// The unknown field paths of the object in <paramref name="text"/> (JSON or YAML), in document order; empty when
    /// its kind has no known schema or the text is not one object (reading it is someone else's error).
    /// </summary>
    public static IReadOnlyList<string> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var documents = new List<ManifestDocument>();
        ManifestLoader.Parse(text, "request", documents, []);
        if (documents.Count != 1)
        {
            return [];
        }

        var document = documents[0];
        var findings = new List<Finding>();
        if (KindRegistry.Find(document.ApiVersion, document.Kind) is { } type)
        {
            SchemaWalker.Check(document, type, findings);
        }
        else if (CrdSchemas.Find(document.ApiVersion, document.Kind) is { } crd)
        {
            SchemaWalker.Check(document, crd, findings);
        }

        return [.. findings.Where(f => f.CheckId == SchemaWalker.UnknownFieldId).Select(f => f.Path)];
    }
}
