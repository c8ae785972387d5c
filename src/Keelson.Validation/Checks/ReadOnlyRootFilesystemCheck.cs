using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>A writable root filesystem lets an intruder drop tools into the image; mount an emptyDir where the app must write.</summary>
public sealed class ReadOnlyRootFilesystemCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "container-writable-root";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Containers have a read-only root filesystem.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context) =>
        context.Containers()
            .Where(c => !CheckContext.IsTrue(c.Node, "securityContext.readOnlyRootFilesystem"))
            .Select(c => context.Finding(this, CheckContext.Get(c.Node, "securityContext") ?? c.Node, c.Path + ".securityContext.readOnlyRootFilesystem",
                $"container '{c.Name}' can write to its root filesystem", "Set readOnlyRootFilesystem: true and mount emptyDir volumes where it writes (/tmp, caches)."));
}
