using System.Globalization;
using Keelson.Validation.Loading;
using YamlDotNet.RepresentationModel;

namespace Keelson.Validation.Checks;

/// <summary>A pod spec inside an object, with its field path.</summary>
public sealed record PodSpecNode(string Path, YamlMappingNode Node);

/// <summary>A container inside a pod spec, with its field path.</summary>
public sealed record ContainerNode(string Path, string Name, YamlMappingNode Node);

/// <summary>One object under check, with navigation helpers that keep YAML positions for findings.</summary>
public sealed class CheckContext(ManifestDocument document)
{
    private static readonly Dictionary<string, string> PodSpecPaths = new(StringComparer.Ordinal)
    {
        ["Pod"] = "spec",
        ["Deployment"] = "spec.template.spec",
        ["StatefulSet"] = "spec.template.spec",
        ["DaemonSet"] = "spec.template.spec",
        ["ReplicaSet"] = "spec.template.spec",
        ["ReplicationController"] = "spec.template.spec",
        ["Job"] = "spec.template.spec",
        ["CronJob"] = "spec.jobTemplate.spec.template.spec",
    };

    /// <summary>The object.</summary>
    public ManifestDocument Document { get; } = document;

    /// <summary>Whether the object runs until stopped (not a Job or CronJob), so it needs probes and budgets.</summary>
    public bool LongRunning =>
        Document.Kind is "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "ReplicationController"
        || (Document.Kind == "Pod" && Value(Document.Node, "spec.restartPolicy") is null or "Always");

    /// <summary>The pod spec of a workload kind, or null.</summary>
    public PodSpecNode? PodSpec =>
        PodSpecPaths.TryGetValue(Document.Kind, out var path) && Get(Document.Node, path) is YamlMappingNode node ? new PodSpecNode(path, node) : null;

    /// <summary>Init and regular containers of the pod spec.</summary>
    public IEnumerable<ContainerNode> Containers(bool includeInit = true)
    {
        if (PodSpec is not { } pod)
        {
            yield break;
        }

        foreach (var list in includeInit ? new[] { "initContainers", "containers" } : ["containers"])
        {
            if (Get(pod.Node, list) is YamlSequenceNode sequence)
            {
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (sequence.Children[i] is YamlMappingNode c)
                    {
                        yield return new ContainerNode(string.Create(CultureInfo.InvariantCulture, $"{pod.Path}.{list}[{i}]"), ManifestDocument.Scalar(c, "name") ?? "?", c);
                    }
                }
            }
        }
    }

    /// <summary>The node at a dotted path below <paramref name="node"/>, or null.</summary>
    public static YamlNode? Get(YamlNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(part), out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Whether the value at a path is a YAML true (<c>true</c>, <c>True</c>, <c>yes</c>, <c>on</c>: kubectl reads YAML 1.1 booleans).</summary>
    public static bool IsTrue(YamlNode? node, string path) => Value(node, path) is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y";

    /// <summary>Whether the value at a path is a YAML false (<c>false</c>, <c>False</c>, <c>no</c>, <c>off</c>).</summary>
    public static bool IsFalse(YamlNode? node, string path) => Value(node, path) is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N";

    /// <summary>The scalar value at a dotted path, or null.</summary>
    public static string? Value(YamlNode? node, string path) => (Get(node, path) as YamlScalarNode)?.Value;

    /// <summary>A finding of <paramref name="check"/> at <paramref name="node"/> (or the object when null).</summary>
    public Finding Finding(ICheck check, YamlNode? node, string path, string message, string hint) =>
        new(check.Id, check.Severity, Document.Ref, Document.File, node is null ? Document.Line : (int)node.Start.Line, path, message, hint);
}
