namespace Keelson.Validation.Checks;

/// <summary>
/// Containers without an ephemeral-storage request and limit: the kubelet evicts pods by their use above requests
/// when a node's disk fills, and without a limit one container's logs or scratch files can fill it.
/// </summary>
public sealed class EphemeralStorageCheck : ICheck
{
    private static readonly string[] Sections = ["requests", "limits"];

    /// <inheritdoc/>
    public string Id => "container-ephemeral-storage";

    /// <inheritdoc/>
    public Severity Severity => Severity.Info;

    /// <inheritdoc/>
    public string Description => "Containers request and limit ephemeral-storage.";

    /// <inheritdoc/>
    /// <remarks>Opt-in, as kube-score's optional checks are: almost no manifest sets ephemeral-storage, and a finding on every container would bury the rest.</remarks>
    public bool EnabledByDefault => false;

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var c in context.Containers(includeInit: false))
        {
            var missing = Sections.Where(s => CheckContext.Get(c.Node, $"resources.{s}.ephemeral-storage") is null).ToList();
            if (missing.Count > 0)
            {
                yield return context.Finding(this, CheckContext.Get(c.Node, "resources") ?? c.Node, c.Path + ".resources",
                    $"container '{c.Name}' has no ephemeral-storage {string.Join(" or ", missing.Select(m => m.TrimEnd('s')))}",
                    "Set resources.requests and resources.limits of ephemeral-storage (e.g. 256Mi and 1Gi).");
            }
        }
    }
}
