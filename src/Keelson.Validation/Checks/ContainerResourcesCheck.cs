namespace Keelson.Validation.Checks;

/// <summary>Containers without CPU and memory requests, or without a memory limit, schedule blindly and can starve their node.</summary>
public sealed class ContainerResourcesCheck : ICheck
{
    private static readonly string[] Fields = ["requests.cpu", "requests.memory", "limits.memory"];

    /// <inheritdoc/>
    public string Id => "container-resources";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Every container requests CPU and memory and limits memory.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        foreach (var c in context.Containers())
        {
            var missing = new List<string>();
            foreach (var field in Fields)
            {
                if (CheckContext.Value(c.Node, "resources." + field) is null)
                {
                    missing.Add(field);
                }
            }

            if (missing.Count > 0)
            {
                yield return context.Finding(this, CheckContext.Get(c.Node, "resources") ?? c.Node, c.Path + ".resources",
                    $"container '{c.Name}' has no {string.Join(", ", missing)}",
                    "Set requests from measured usage and a memory limit; `keelson plan` sizes them for stacks it knows.");
            }
        }
    }
}
