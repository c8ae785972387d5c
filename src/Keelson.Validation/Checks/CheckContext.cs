using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>A pod spec inside an object, with its field path.</summary>
public sealed record PodSpecNode(string Path, YamlMap Node);

/// <summary>A container inside a pod spec, with its field path.</summary>
public sealed record ContainerNode(string Path, string Name, YamlMap Node)
{
    /// <summary>Whether it is an init container.</summary>
    public bool IsInit { get; init; }
}

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

    private bool podSpecRead;
    private PodSpecNode? podSpec;
    private ContainerNode[]? containers;

    /// <summary>The pod spec of a workload kind, or null.</summary>
    /// <remarks>Read once per object: every check asks for it.</remarks>
    public PodSpecNode? PodSpec
    {
        get
        {
            if (!podSpecRead)
            {
                podSpec = PodSpecPaths.TryGetValue(Document.Kind, out var path) && KindGroups.IsBuiltInOrCustom(Document) && Get(Document.Node, path) is YamlMap node ? new PodSpecNode(path, node) : null;
                podSpecRead = true;
            }

            return podSpec;
        }
    }

    /// <summary>Init and regular containers of the pod spec.</summary>
    public IEnumerable<ContainerNode> Containers(bool includeInit = true)
    {
        containers ??= [.. ReadContainers()];
        return includeInit ? containers : containers.Where(c => !c.IsInit);
    }

    private IEnumerable<ContainerNode> ReadContainers()
    {
        if (PodSpec is not { } pod)
        {
            yield break;
        }

        foreach (var list in (string[])["initContainers", "containers"])
        {
            if (pod.Node.Get(list) is YamlSeq sequence)
            {
                for (var i = 0; i < sequence.Count; i++)
                {
                    if (sequence[i] is YamlMap c)
                    {
                        yield return new ContainerNode(string.Create(CultureInfo.InvariantCulture, $"{pod.Path}.{list}[{i}]"), c.Scalar("name") ?? "?", c) { IsInit = list == "initContainers" };
                    }
                }
            }
        }
    }

    /// <summary>The node at a dotted path below <paramref name="node"/>, or null.</summary>
    public static YamlElement? Get(YamlElement? node, string path) => node?.At(path);

    /// <summary>Whether the value at a path is a YAML true (<c>true</c>, <c>True</c>, <c>yes</c>, <c>on</c>: kubectl reads YAML 1.1 booleans).</summary>
    public static bool IsTrue(YamlElement? node, string path) => Value(node, path) is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y";

    /// <summary>Whether the value at a path is a YAML false (<c>false</c>, <c>False</c>, <c>no</c>, <c>off</c>).</summary>
    public static bool IsFalse(YamlElement? node, string path) => Value(node, path) is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N";

    /// <summary>The scalar value at a dotted path, or null.</summary>
    public static string? Value(YamlElement? node, string path) => (Get(node, path) as YamlValue)?.Value;

    /// <summary>A finding of <paramref name="check"/> at <paramref name="node"/> (or the object when null).</summary>
    public Finding Finding(ICheck check, YamlElement? node, string path, string message, string hint) =>
        new(check.Id, check.Severity, Document.Ref, Document.File, node?.Line ?? Document.Line, path, message, hint);
}
