namespace Keelson.Validation.Checks;

/// <summary>
/// A pull policy that can leave a node on a stale or missing image: <c>Never</c> (a node without the image never
/// starts the pod), or <c>IfNotPresent</c> on a moving tag (<c>latest</c>, or none), which keeps whatever build a
/// node pulled first.
/// </summary>
public sealed class ImagePullPolicyCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "container-image-pull-policy";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "imagePullPolicy is not Never, and not IfNotPresent on a latest or untagged image.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var c in context.Containers())
        {
            var policyNode = CheckContext.Get(c.Node, "imagePullPolicy");
            var policy = CheckContext.Value(c.Node, "imagePullPolicy");
            var image = CheckContext.Value(c.Node, "image") ?? "";
            if (policy == "Never")
            {
                yield return context.Finding(this, policyNode, c.Path + ".imagePullPolicy", $"container '{c.Name}' never pulls its image: a node without it cannot start the pod",
                    "Remove imagePullPolicy (Kubernetes then picks IfNotPresent for a pinned tag), or use IfNotPresent.");
            }
            else if (policy == "IfNotPresent" && MovingTag(image))
            {
                yield return context.Finding(this, policyNode, c.Path + ".imagePullPolicy", $"container '{c.Name}' pulls '{image}' only if absent, so each node keeps the build it pulled first",
                    "Pin a version tag or digest, or use imagePullPolicy: Always.");
            }
        }
    }

    private static bool MovingTag(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon <= slash || image[(colon + 1)..] == "latest";
    }
}
