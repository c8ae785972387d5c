using k8s.Models;

namespace Keelson.Sandbox.Server.Defaulting;

/// <summary>The API extensions server's defaults of a CustomResourceDefinition: singular and listKind names, conversion None.</summary>
internal static class DefinitionDefaults
{
    /// <summary>Fills in the defaults of <paramref name="crd"/> in place.</summary>
    public static void Apply(V1CustomResourceDefinition crd)
    {
        if (crd.Spec?.Names is { Kind.Length: > 0 } names)
        {
            names.Singular ??= names.Kind.ToLowerInvariant();
            names.ListKind ??= names.Kind + "List";
        }

        if (crd.Spec is not null)
        {
            crd.Spec.Conversion ??= new V1CustomResourceConversion { Strategy = "None" };
        }
    }
}
