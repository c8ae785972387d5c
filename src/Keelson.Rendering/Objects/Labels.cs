using Keelson.Planning;

namespace Keelson.Rendering.Objects;

/// <summary>The standard <c>app.kubernetes.io/*</c> labels and Keelson's own, always in key order.</summary>
public static class Labels
{
    /// <summary>Label carrying the tenant id on every object.</summary>
    public const string Tenant = "keelson.dev/tenant";

    /// <summary>Label carrying the component name on every component object.</summary>
    public const string Component = "keelson.dev/component";

    /// <summary>Labels of the namespace and tenant-wide objects.</summary>
    public static SortedDictionary<string, string> ForTenant(RenderContext context)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Plan.Spec.Metadata.Labels)
        {
            labels[key] = value;
        }

        labels["app.kubernetes.io/managed-by"] = "keelson";
        labels["app.kubernetes.io/part-of"] = context.Tenant;
        labels[Tenant] = context.Tenant;
        return labels;
    }

    /// <summary>Labels of a workload's objects and pods.</summary>
    public static SortedDictionary<string, string> ForWorkload(RenderContext context, ComponentPlan component, string workload, string? version)
    {
        var labels = ForTenant(context);
        labels["app.kubernetes.io/name"] = workload;
        labels["app.kubernetes.io/instance"] = context.Tenant;
        labels["app.kubernetes.io/component"] = component.Component.Kind;
        labels[Component] = component.Name;
        if (version is not null)
        {
            labels["app.kubernetes.io/version"] = version;
        }

        return labels;
    }

    /// <summary>The immutable selector of a workload: name and instance only, so that relabelling never orphans pods.</summary>
    public static SortedDictionary<string, string> Selector(RenderContext context, string workload) =>
        new(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/instance"] = context.Tenant,
            ["app.kubernetes.io/name"] = workload,
        };

    /// <summary>A key-ordered map of the given pairs, for selectors and settings.</summary>
    public static SortedDictionary<string, string> Sorted(params (string Key, string Value)[] entries) =>
        new(entries.ToDictionary(e => e.Key, e => e.Value), StringComparer.Ordinal);

    /// <summary>The tag of an image reference, usable as a label value, or null.</summary>
    public static string? VersionOf(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var withoutDigest = at >= 0 ? image[..at] : image;
        var colon = withoutDigest.LastIndexOf(':');
        return colon > withoutDigest.LastIndexOf('/') && colon >= 0 ? withoutDigest[(colon + 1)..] : null;
    }
}
