using System.Globalization;
using System.Text;
using Keelson.Validation.Checks;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>ConfigMap, Secret, PersistentVolumeClaim (<c>ValidateConfigMap</c>, <c>ValidateSecret</c>, <c>ValidatePersistentVolumeClaimSpec</c>).</summary>
internal static class ConfigRules
{
    /// <summary>core.MaxSecretSize, also the ConfigMap limit.</summary>
    private const int MaxBytes = 1024 * 1024;

    private static readonly string[] DataMaps = ["data", "stringData"];

    private static readonly string[] AccessModes = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

    // Keys each typed Secret must hold (ValidateSecret's switch on type).
    private static readonly Dictionary<string, string[]> SecretKeys = new(StringComparer.Ordinal)
    {
        ["kubernetes.io/dockercfg"] = [".dockercfg"],
        ["kubernetes.io/dockerconfigjson"] = [".dockerconfigjson"],
        ["kubernetes.io/ssh-auth"] = ["ssh-privatekey"],
        ["kubernetes.io/tls"] = ["tls.crt", "tls.key"],
    };

    public static readonly ApiRule[] All =
    [
        Rule("configmap-keys", FieldRules.NameId, K("ConfigMap"), "", s => Keys(s, ["data", "binaryData"]), "core ValidateConfigMap (IsConfigMapKey, duplicate across data and binaryData)"),
        Rule("configmap-size", FieldRules.ValueId, K("ConfigMap"), "", s => Size(s, [("data", false), ("binaryData", true)]), "core ValidateConfigMap (MaxSecretSize, 1 MiB)"),
        Rule("secret-keys", FieldRules.NameId, K("Secret"), "", s => Keys(s, ["data", "stringData"], overlapAllowed: true), "core ValidateSecret (IsConfigMapKey)"),
        Rule("secret-size", FieldRules.ValueId, K("Secret"), "", s => Size(s, [("data", true), ("stringData", false)]), "core ValidateSecret (MaxSecretSize, 1 MiB)"),
        Rule("secret-base64", FieldRules.ValueId, K("Secret"), "data", Base64, "decoding (Secret data values are base64, or the API server cannot read the object)"),
        Rule("secret-type-keys", FieldRules.RequiredId, K("Secret"), "", TypedKeys, "core ValidateSecret (per-type required keys)"),
        Rule("secret-service-account-annotation", FieldRules.RequiredId, K("Secret"), "", s => s.Scalar("type") == "kubernetes.io/service-account-token"
            && (s.Map?.At("metadata.annotations") as YamlMap)?.Scalar("kubernetes.io/service-account.name") is not { Length: > 0 }
            ? [new Problem("a service-account-token Secret needs the annotation kubernetes.io/service-account.name", "Add the annotation naming the ServiceAccount.", "metadata.annotations", s.Map?.At("metadata"))] : [], "core ValidateSecret"),
        Required("pvc-access-modes", K("PersistentVolumeClaim"), "spec", "accessModes", "core ValidatePersistentVolumeClaimSpec (at least 1 access mode)"),
        OneOf("pvc-access-mode", K("PersistentVolumeClaim"), "spec.accessModes[]", AccessModes, "core ValidatePersistentVolumeClaimSpec"),
        Rule("pvc-read-write-once-pod", FieldRules.ValueId, K("PersistentVolumeClaim"), "spec.accessModes", s => s.Node is YamlSeq { Count: > 1 } modes && modes.OfType<YamlValue>().Any(m => m.Value == "ReadWriteOncePod")
            ? [new Problem("ReadWriteOncePod may not be combined with other access modes", "Use ReadWriteOncePod alone.")] : [], "core ValidatePersistentVolumeClaimSpec"),
        Rule("pvc-storage-request", FieldRules.RequiredId, K("PersistentVolumeClaim"), "spec", StorageRequest, "core ValidatePersistentVolumeClaimSpec (resources.requests.storage required, > 0)"),
        OneOf("pvc-volume-mode", K("PersistentVolumeClaim"), "spec.volumeMode", ["Filesystem", "Block"], "core ValidatePersistentVolumeClaimSpec"),
        Name("pvc-storage-class-name", K("PersistentVolumeClaim"), "spec.storageClassName", v => v.Length == 0 ? null : Syntax.Dns1123Subdomain(v), "core ValidatePersistentVolumeClaimSpec (ValidateClassName)"),
        Required("pvc-data-source-kind", K("PersistentVolumeClaim"), "spec.dataSource", "kind", "core validateDataSource"),
        Required("pvc-data-source-name", K("PersistentVolumeClaim"), "spec.dataSource", "name", "core validateDataSource"),
    ];

    private static IEnumerable<Problem> Keys(RuleSite s, string[] maps, bool overlapAllowed = false)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mapName in maps)
        {
            if (s.Get(mapName) is not YamlMap map)
            {
                continue;
            }

            foreach (var entry in map.Entries)
            {
                if (Syntax.ConfigMapKey(entry.Key) is { } rule)
                {
                    yield return new Problem($"key '{entry.Key}' is not valid", $"Use {rule}.", $"{mapName}.{entry.Key}", entry.Value);
                }
                else if (!seen.Add(entry.Key) && !overlapAllowed)
                {
                    yield return new Problem($"key '{entry.Key}' is in both data and binaryData", "Keep it in one of them.", $"{mapName}.{entry.Key}", entry.Value);
                }
            }
        }
    }

    private static IEnumerable<Problem> Size(RuleSite s, (string Map, bool Base64)[] maps)
    {
        long bytes = 0;
        foreach (var (mapName, base64) in maps)
        {
            foreach (var entry in (s.Get(mapName) as YamlMap)?.Entries ?? [])
            {
                var text = (entry.Value as YamlValue)?.Value ?? "";
                bytes += base64 ? (long)text.Count(c => !char.IsWhiteSpace(c)) * 3 / 4 : Encoding.UTF8.GetByteCount(text);
            }
        }

        var first = maps.Select(m => m.Map).FirstOrDefault(m => s.Get(m) is not null) ?? maps[0].Map;
        return bytes > MaxBytes
            ? [new Problem(string.Create(CultureInfo.InvariantCulture, $"the data takes about {bytes} bytes, more than 1048576 (1 MiB)"), "Split it, or mount the data from a volume another way.", first, s.Get(first))]
            : [];
    }

    private static IEnumerable<Problem> Base64(RuleSite s)
    {
        foreach (var entry in s.Map?.Entries ?? [])
        {
            if (entry.Value is YamlValue v && !IsBase64(v.Value))
            {
                yield return new Problem($"the value of '{entry.Key}' is not base64", "Encode it (base64 -w0), or move it to stringData, which takes plain text.", entry.Key, v);
            }
        }
    }

    private static bool IsBase64(string text)
    {
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        var buffer = new byte[(compact.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(compact, buffer, out _);
    }

    private static IEnumerable<Problem> TypedKeys(RuleSite s)
    {
        if (s.Scalar("type") is not { } type)
        {
            yield break;
        }

        var keys = DataMaps.SelectMany(m => (s.Get(m) as YamlMap)?.Entries.Select(e => e.Key) ?? []).ToHashSet(StringComparer.Ordinal);
        if (SecretKeys.TryGetValue(type, out var required))
        {
            foreach (var key in required.Where(k => !keys.Contains(k)))
            {
                yield return new Problem($"a {type} Secret must hold the key '{key}'", $"Add data.{key} (or stringData.{key}).", "data", s.Get("data") ?? s.Get("type"));
            }
        }
        else if (type == "kubernetes.io/basic-auth" && !keys.Contains("username") && !keys.Contains("password"))
        {
            yield return new Problem("a kubernetes.io/basic-auth Secret must hold 'username' or 'password'", "Add data.username and data.password.", "data", s.Get("data") ?? s.Get("type"));
        }
    }

    private static IEnumerable<Problem> StorageRequest(RuleSite s)
    {
        var storage = (s.Map?.At("resources.requests") as YamlMap)?.Get("storage");
        if (storage is null or YamlValue { IsNull: true })
        {
            yield return new Problem("required field 'resources.requests.storage' is missing", "Request the size, e.g. storage: 10Gi.", "resources.requests.storage", s.Get("resources"));
        }
        else if (storage is YamlValue v && KubeQuantity.Parse(v.Value) is <= 0)
        {
            yield return new Problem($"storage request '{v.Value}' must be greater than zero", "Request a positive size, e.g. 10Gi.", "resources.requests.storage", v);
        }
    }
}
