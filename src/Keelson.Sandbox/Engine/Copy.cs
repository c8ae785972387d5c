using System.Text.Json;
using Keelson.Rendering.Output;

namespace Keelson.Sandbox.Engine;

/// <summary>Deep copies of model parts, through KubernetesClient's own JSON form.</summary>
public static class Copy
{
    /// <summary>A deep copy of <paramref name="value"/>.</summary>
    public static T Deep<T>(T value)
        where T : class =>
        JsonSerializer.SerializeToElement(value, ManifestYaml.JsonOptions).Deserialize<T>(ManifestYaml.JsonOptions)!;
}
