using k8s.Models;
using Keelson.Planning;
using Keelson.Rendering.Objects;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Renderers;

/// <summary>A ConfigMap per component, and a Secret per component that needs one, with empty placeholders.</summary>
/// <remarks>
/// Secret values never come from the stack and are never rendered: each key is present with an empty value
/// and the annotation <see cref="FillAnnotation"/> says how to fill it (see docs/rendering.md).
/// </remarks>
public sealed class ConfigRenderer : IManifestRenderer
{
    /// <summary>Annotation on every rendered Secret saying where its values come from.</summary>
    public const string FillAnnotation = "keelson.dev/values";

    /// <inheritdoc/>
    public IEnumerable<RenderedObject> Render(RenderContext context)
    {
        foreach (var component in context.Plan.Components)
        {
            var labels = Labels.ForWorkload(context, component, component.Name, null);
            yield return new RenderedObject(
                new V1ConfigMap
                {
                    ApiVersion = "v1",
                    Kind = "ConfigMap",
                    Metadata = new V1ObjectMeta { Name = PodTemplates.ConfigMapName(component), NamespaceProperty = context.Namespace, Labels = labels },
                    Data = context.Config(component),
                },
                component.Name,
                ObjectGroup.ConfigMaps);

            var keys = SecretKeys(component);
            if (keys.Count == 0)
            {
                continue;
            }

            yield return new RenderedObject(
                new V1Secret
                {
                    ApiVersion = "v1",
                    Kind = "Secret",
                    Type = "Opaque",
                    Metadata = new V1ObjectMeta
                    {
                        Name = PodTemplates.SecretName(component),
                        NamespaceProperty = context.Namespace,
                        Labels = labels,
                        Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                        {
                            [FillAnnotation] = "placeholders: set with 'kubectl create secret generic --from-literal' or an ExternalSecret before deploying",
                        },
                    },
                    StringData = keys.ToDictionary(k => k, _ => "", StringComparer.Ordinal),
                },
                component.Name,
                ObjectGroup.Secrets);
        }
    }

    /// <summary>The secret keys a component needs, in order.</summary>
    public static IReadOnlyList<string> SecretKeys(ComponentPlan component) => component.Component switch
    {
        ServiceComponent s => [.. s.Secrets.Order(StringComparer.Ordinal)],
        DatabaseComponent => ["POSTGRES_PASSWORD"],
        ModelComponent { Registry: not null } => [InferenceRole.ApiKeySecret],
        _ => [],
    };
}
