using Keelson.Planning;
using Keelson.Rendering.Renderers;

namespace Keelson.Rendering;

/// <summary>Runs every concern renderer over a plan and puts the objects in apply order.</summary>
public sealed class ManifestRenderer(IEnumerable<IManifestRenderer> renderers)
{
    private readonly IReadOnlyList<IManifestRenderer> renderers = [.. renderers];

    /// <summary>The renderer with every built-in concern.</summary>
    public static ManifestRenderer Default { get; } = new(
    [
        new TenantRenderer(), new NetworkPolicyRenderer(), new ConfigRenderer(), new WorkloadRenderer(), new ServiceRenderer(),
        new IngressRenderer(), new ScalingRenderer(), new SparkRenderer(), new MonitoringRenderer(),
    ]);

    /// <summary>Renders a plan.</summary>
    public Manifest Render(Plan plan, RenderOptions? options = null)
    {
        var context = new RenderContext(plan, options ?? new RenderOptions());
        return new Manifest(plan, context.Namespace, ApplyOrder.Sort(renderers.SelectMany(r => r.Render(context))));
    }
}
