using System.Globalization;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>Volumes and volume mounts (<c>ValidateVolumes</c>, <c>validateVolumeMounts</c>).</summary>
internal static class VolumeRules
{
    private static readonly string[] HostPathTypes = ["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"];

    public static readonly ApiRule[] All =
    [
        Required("volume-name-required", Pods, "$pod.volumes[]", "name", "core ValidateVolumes"),
        Name("volume-name", Pods, "$pod.volumes[].name", Syntax.Dns1123Label, "core ValidateVolumes (ValidateDNS1123Label)"),
        Unique("volume-duplicate", Pods, "$pod.volumes", item => (item as YamlMap)?.Scalar("name"), "volume name", "core ValidateVolumes"),
        Rule("volume-one-source", FieldRules.ValueId, Pods, "$pod.volumes[]", s => s.Map is { } m ? ExactlyOne(m, [.. m.Entries.Select(e => e.Key).Where(k => k != "name")], required: false) : [],
            "core validateVolumeSource (may not specify more than 1 volume type)"),
        Required("volume-configmap-name", Pods, "$pod.volumes[].configMap", "name", "core validateConfigMapVolumeSource"),
        Required("volume-secret-name", Pods, "$pod.volumes[].secret", "secretName", "core validateSecretVolumeSource"),
        Required("volume-claim-name", Pods, "$pod.volumes[].persistentVolumeClaim", "claimName", "core validatePersistentClaimVolumeSource"),
        Required("volume-host-path", Pods, "$pod.volumes[].hostPath", "path", "core validateHostPathVolumeSource"),
        OneOf("volume-host-path-type", Pods, "$pod.volumes[].hostPath.type", HostPathTypes, "core validateHostPathType"),
        .. Items("configMap"), .. Items("secret"),
        Int("volume-configmap-mode", Pods, "$pod.volumes[].configMap.defaultMode", 0, 511, "core validateConfigMapVolumeSource (0 to 0777)") with { Check = FileMode },
        Int("volume-secret-mode", Pods, "$pod.volumes[].secret.defaultMode", 0, 511, "core validateSecretVolumeSource (0 to 0777)") with { Check = FileMode },
        Required("volume-mount-name-required", Pods, "$pod.$c[].volumeMounts[]", "name", "core ValidateVolumeMounts"),
        Required("volume-mount-path-required", Pods, "$pod.$c[].volumeMounts[]", "mountPath", "core ValidateVolumeMounts"),
        Rule("volume-mount-undefined", FieldRules.ValueId, Pods, "$pod.$c[].volumeMounts[].name", UndefinedVolume, "core ValidateVolumeMounts (NotFound)"),
        Unique("volume-mount-path-duplicate", Pods, "$pod.$c[].volumeMounts", item => (item as YamlMap)?.Scalar("mountPath"), "mountPath", "core ValidateVolumeMounts (must be unique)"),
        Rule("volume-mount-sub-path", FieldRules.ValueId, Pods, "$pod.$c[].volumeMounts[].subPath", s => s.Node is YamlValue v && DescendingPath(v.Value) is { } p
            ? [new Problem($"subPath '{v.Value}' {p}", "Use a relative path inside the volume.")] : [], "core ValidateVolumeMounts (validateLocalDescendingPath)"),
        Rule("volume-mount-sub-path-expr", FieldRules.ValueId, Pods, "$pod.$c[].volumeMounts[]", s => s.Scalar("subPath") is { Length: > 0 } && s.Scalar("subPathExpr") is { Length: > 0 }
            ? [new Problem("subPathExpr and subPath are mutually exclusive", "Keep one of them.", "subPathExpr", s.Get("subPathExpr"))] : [], "core ValidateVolumeMounts"),
        OneOf("volume-mount-propagation", Pods, "$pod.$c[].volumeMounts[].mountPropagation", ["None", "HostToContainer", "Bidirectional"], "core validateMountPropagation"),
        Rule("volume-mount-bidirectional", FieldRules.ValueId, Pods, "$pod.$c[]", Bidirectional, "core validateMountPropagation"),
        Rule("volume-device-undefined", FieldRules.ValueId, Pods, "$pod.$c[].volumeDevices[].name", UndefinedVolume, "core ValidateVolumeDevices (NotFound)"),
    ];

    private static ApiRule[] Items(string source) =>
    [
        Required($"volume-{source}-item-key", Pods, $"$pod.volumes[].{source}.items[]", "key", "core validateKeyToPath"),
        Required($"volume-{source}-item-path", Pods, $"$pod.volumes[].{source}.items[]", "path", "core validateKeyToPath"),
        Rule($"volume-{source}-item-relative", FieldRules.ValueId, Pods, $"$pod.volumes[].{source}.items[].path", s => s.Node is YamlValue v && DescendingPath(v.Value) is { } p
            ? [new Problem($"path '{v.Value}' {p}", "Use a relative path inside the volume.")] : [], "core validateKeyToPath (validateLocalDescendingPath)"),
        Int($"volume-{source}-item-mode", Pods, $"$pod.volumes[].{source}.items[].mode", 0, 511, "core validateKeyToPath (0 to 0777)") with { Check = FileMode },
    ];

    /// <summary>What is wrong with a path that must stay inside its volume, or null.</summary>
    internal static string? DescendingPath(string path) =>
        path.StartsWith('/') ? "must be a relative path"
        : path.Split('/', '\\').Contains("..") ? "must not contain '..'"
        : null;

    /// <summary>A file mode 0–0777; YAML 1.1 (kubectl's) reads a leading 0 as octal.</summary>
    private static IEnumerable<Problem> FileMode(RuleSite s)
    {
        if (s.Node is not YamlValue { IsPlain: true } v)
        {
            yield break;
        }

        long? mode = v.Value.StartsWith("0o", StringComparison.Ordinal) || (v.Value.Length > 1 && v.Value[0] == '0')
            ? Octal(v.Value.TrimStart('0', 'o'))
            : Long(v);
        if (mode is < 0 or > 511)
        {
            yield return new Problem($"file mode {v.Value} is out of range", "It must be between 0 and 0777 (octal), e.g. 0644 or 420.");
        }
    }

    private static long? Octal(string digits)
    {
        long value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return null;
            }

            value = (value * 8) + (c - '0');
            if (value > int.MaxValue)
            {
                return value;
            }
        }

        return value;
    }

    private static IEnumerable<Problem> UndefinedVolume(RuleSite s)
    {
        if (s.Node is not YamlValue { Value.Length: > 0 } name)
        {
            yield break;
        }

        var volumes = (s.PodSpec?.Get("volumes") as YamlSeq)?.OfType<YamlMap>().Select(v => v.Scalar("name")).ToHashSet(StringComparer.Ordinal) ?? [];
        // A StatefulSet's volume claim templates are volumes of its pods too.
        var claims = s.Document.Kind == "StatefulSet" && s.Document.Node.At("spec.volumeClaimTemplates") is YamlSeq templates
            ? templates.OfType<YamlMap>().Select(t => t.At("metadata.name") is YamlValue n ? n.Value : null)
            : [];
        if (!volumes.Contains(name.Value) && !claims.Contains(name.Value, StringComparer.Ordinal))
        {
            var known = volumes.Concat(claims).OfType<string>().ToList();
            yield return new Problem($"volume '{name.Value}' is not defined in the pod's volumes",
                known.Count == 0 ? "Add it under volumes (or, in a StatefulSet, volumeClaimTemplates)." : string.Create(CultureInfo.InvariantCulture, $"Defined: {string.Join(", ", known)}."));
        }
    }

    private static IEnumerable<Problem> Bidirectional(RuleSite s)
    {
        if (IsTrue((s.Get("securityContext") as YamlMap)?.Get("privileged")) || s.Get("volumeMounts") is not YamlSeq mounts)
        {
            yield break;
        }

        for (var i = 0; i < mounts.Count; i++)
        {
            if (mounts[i] is YamlMap m && m.Scalar("mountPropagation") == "Bidirectional")
            {
                yield return new Problem("Bidirectional mount propagation is available only to privileged containers", "Use HostToContainer, or make the container privileged.", $"volumeMounts{Index(i)}.mountPropagation", m.Get("mountPropagation"));
            }
        }
    }
}
