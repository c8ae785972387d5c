namespace Keelson.Validation.Checks;

/// <summary>Untagged and <c>latest</c> images make rollouts unrepeatable: two nodes may run two different builds.</summary>
public sealed class ImageTagCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "image-tag";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Images are pinned to a tag other than latest, or to a digest.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        foreach (var c in context.Containers())
        {
            var image = CheckContext.Value(c.Node, "image");
            if (image is null || image.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            var slash = image.LastIndexOf('/');
            var colon = image.LastIndexOf(':');
            var tag = colon > slash ? image[(colon + 1)..] : null;
            if (tag is null or "latest")
            {
                yield return context.Finding(this, CheckContext.Get(c.Node, "image"), c.Path + ".image",
                    tag is null ? $"image '{image}' has no tag, so it means :latest" : $"image '{image}' uses the latest tag",
                    "Pin a version tag (app:1.4.2) or a digest (app@sha256:...).");
            }
        }
    }
}
