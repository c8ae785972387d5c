using Keelson.Planning;
using Keelson.Spec.Model;

namespace Keelson.Rendering;

/// <summary>What every renderer reads: the plan, the namespace and the options.</summary>
public sealed record RenderContext(Plan Plan, RenderOptions Options)
{
    /// <summary>The tenant's namespace: its tenant id.</summary>
    public string Namespace => Plan.Spec.Metadata.Tenant;

    /// <summary>The tenant id.</summary>
    public string Tenant => Plan.Spec.Metadata.Tenant;

    /// <summary>Whether monitoring objects are rendered.</summary>
    public bool Monitoring => Options.Monitoring ?? Plan.Spec.Metadata.Environment == DeploymentEnvironment.Prod;

    private readonly Dictionary<string, SortedDictionary<string, string>> config = new(StringComparer.Ordinal);

    /// <summary>A component's configuration entries, computed once per render (the ConfigMap and the pod checksum both read them).</summary>
    public SortedDictionary<string, string> Config(ComponentPlan component)
    {
        if (!config.TryGetValue(component.Name, out var data))
        {
            data = Objects.ComponentConfig.Data(this, component);
            config[component.Name] = data;
        }

        return data;
    }

    /// <summary>The component plan of a component name.</summary>
    public ComponentPlan Component(string name) => Plan.Components.First(c => c.Name == name);
}
