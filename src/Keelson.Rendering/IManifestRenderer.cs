namespace Keelson.Rendering;

/// <summary>Renders one concern of a tenant (scaffolding, workloads, networking, ...). Adding a concern adds one renderer.</summary>
public interface IManifestRenderer
{
    /// <summary>The objects of this concern; order does not matter, <see cref="ApplyOrder"/> sorts them.</summary>
    IEnumerable<RenderedObject> Render(RenderContext context);
}
