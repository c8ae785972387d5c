using System.Text;
using k8s.Models;

namespace Keelson.Rendering.Output;

/// <summary>
/// A Kustomize base holding every rendered object (in the tree's layout) and two overlays: <c>prod</c> as
/// planned, and <c>dev</c> with one replica per Deployment and autoscalers starting from one.
/// </summary>
public static class KustomizeLayout
{
    /// <summary>The files of the base and both overlays.</summary>
    public static IReadOnlyList<OutputFile> Files(Manifest manifest)
    {
        var tree = TreeLayout.Files(manifest).Where(f => f.Path.EndsWith(".yaml", StringComparison.Ordinal)).ToList();
        var files = tree.Select(f => f with { Path = "base/" + f.Path }).ToList();
        files.Add(new OutputFile("base/kustomization.yaml", Kustomization(tree.Select(f => f.Path), [])));
        files.Add(new OutputFile("overlays/prod/kustomization.yaml", Kustomization(["../../base"], Labels("prod"))));
        files.Add(new OutputFile("overlays/dev/kustomization.yaml", Kustomization(["../../base"], Labels("dev")) + DevChanges(manifest)));
        return files;
    }

    private static string[] Labels(string overlay) =>
    [
        "labels:",
        "- includeSelectors: false",
        "  pairs:",
        $"    keelson.dev/overlay: {overlay}",
    ];

    private static string Kustomization(IEnumerable<string> resources, IEnumerable<string> extra)
    {
        var text = new StringBuilder();
        text.Append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
        text.Append("kind: Kustomization\n");
        text.Append("resources:\n");
        foreach (var resource in resources)
        {
            text.Append("- ").Append(resource).Append('\n');
        }

        foreach (var line in extra)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static string DevChanges(Manifest manifest)
    {
        var text = new StringBuilder();
        var deployments = manifest.OfType<V1Deployment>().Select(d => d.Metadata.Name).ToList();
        if (deployments.Count > 0)
        {
            text.Append("replicas:\n");
            foreach (var name in deployments)
            {
                text.Append("- name: ").Append(name).Append("\n  count: 1\n");
            }
        }

        var autoscalers = manifest.OfType<V2HorizontalPodAutoscaler>().Select(h => h.Metadata.Name).ToList();
        if (autoscalers.Count > 0)
        {
            text.Append("patches:\n");
            foreach (var name in autoscalers)
            {
                text.Append("- target:\n");
                text.Append("    group: autoscaling\n    version: v2\n    kind: HorizontalPodAutoscaler\n");
                text.Append("    name: ").Append(name).Append('\n');
                text.Append("  patch: |-\n");
                text.Append("    - op: replace\n      path: /spec/minReplicas\n      value: 1\n");
            }
        }

        return text.ToString();
    }
}
