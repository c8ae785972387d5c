using System.Globalization;
using Keelson.Spec.Parsing;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;

namespace Keelson.Validation.ApiServer;

/// <summary>The few shapes most rules take (required, closed set, integer range, name syntax, unique), so each table entry is one line.</summary>
internal static class RuleBuilder
{
    /// <summary>Every kind with a pod template.</summary>
    public static readonly string[] Pods = ["Pod", "PodTemplate", "ReplicationController", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];

    /// <summary>Kinds whose pods run until stopped.</summary>
    public static readonly string[] Controllers = ["ReplicationController", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];

    /// <summary>The apps/v1 workloads with a label selector.</summary>
    public static readonly string[] Workloads = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];

    /// <summary>Kinds with a Job spec.</summary>
    public static readonly string[] Jobs = ["Job", "CronJob"];

    /// <summary>Every kind the rules know.</summary>
    public static readonly string[] Every = [.. ApiServerRules.Versions.Keys];

    public static string[] K(params string[] kinds) => kinds;

    /// <summary>A field of the node that must be given and not empty.</summary>
    public static ApiRule Required(string name, string[] kinds, string parent, string field, string upstream, string? when = null) =>
        new(name, FieldRules.RequiredId, kinds, parent, s => s.Map is { } m && IsMissing(m.Get(field))
            ? [new Problem($"required field '{field}' is missing{(when is null ? "" : " " + when)}", "Add it; the API server rejects the object without it.", field)]
            : [], upstream);

    /// <summary>A string from a closed set.</summary>
    public static ApiRule OneOf(string name, string[] kinds, string path, string[] allowed, string upstream) =>
        new(name, FieldRules.ValueId, kinds, path, s => s.Node is YamlValue v && !allowed.Contains(v.Value, StringComparer.Ordinal) ? [NotAllowed(v.Value, allowed)] : [], upstream);

    /// <summary>An integer within bounds (values that are not integers are the schema walker's).</summary>
    public static ApiRule Int(string name, string[] kinds, string path, long min, long max, string upstream) =>
        new(name, FieldRules.ValueId, kinds, path, s => Long(s.Node) is { } n && (n < min || n > max)
            ? [new Problem($"{n} is out of range", $"It {Range(min, max)}.")]
            : [], upstream);

    /// <summary>A name with a syntax from <see cref="Syntax"/>.</summary>
    public static ApiRule Name(string name, string[] kinds, string path, Func<string, string?> syntax, string upstream) =>
        new(name, FieldRules.NameId, kinds, path, s => s.Node is YamlValue v && syntax(v.Value) is { } rule ? [new Problem($"'{v.Value}' is not valid", $"Use {rule}.")] : [], upstream);

    /// <summary>A rule written out.</summary>
    public static ApiRule Rule(string name, string id, string[] kinds, string path, Func<RuleSite, IEnumerable<Problem>> check, string upstream) =>
        new(name, id, kinds, path, check, upstream);

    /// <summary>Items of a list must differ in a key (a name, a path); every repeat is reported.</summary>
    public static ApiRule Unique(string name, string[] kinds, string list, Func<YamlElement, string?> key, string what, string upstream) =>
        new(name, Validator.DuplicateId, kinds, list, s => Repeats(s.Node, key, what), upstream);

    public static IEnumerable<Problem> Repeats(YamlElement node, Func<YamlElement, string?> key, string what)
    {
        if (node is not YamlSeq items)
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (key(items[i]) is { } k && !seen.Add(k))
            {
                yield return new Problem($"{what} '{k}' is given twice", "Each must be unique; remove or rename the repeat.", Index(i), items[i]);
            }
        }
    }

    public static Problem NotAllowed(string value, IReadOnlyList<string> allowed)
    {
        var hint = Suggestions.Closest(value, allowed) is { } s ? $"Did you mean '{s}'? " : "";
        return new Problem($"'{value}' is not allowed", $"{hint}Allowed: {string.Join(", ", allowed)}.");
    }

    /// <summary>Missing, a YAML null, an empty string or an empty list: what Go sees as the zero value.</summary>
    public static bool IsMissing(YamlElement? element) => element is null or YamlValue { IsNull: true } or YamlValue { Value.Length: 0 } or YamlSeq { Count: 0 };

    /// <summary>A plain integer scalar, or null.</summary>
    public static long? Long(YamlElement? element) =>
        element is YamlValue { IsPlain: true } v && long.TryParse(v.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Whether a YAML scalar is true.</summary>
    public static bool IsTrue(YamlElement? element) => element is YamlValue { IsPlain: true, Value: "true" or "True" or "TRUE" or "yes" or "Yes" or "on" or "On" };

    public static string Index(int i) => string.Create(CultureInfo.InvariantCulture, $"[{i}]");

    public static string Range(long min, long max) => (min, max) switch
    {
        (0, long.MaxValue) => "must be greater than or equal to 0",
        (1, long.MaxValue) => "must be greater than 0",
        _ => string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}, inclusive"),
    };

    /// <summary>The keys of the node that are set (not null), among those given.</summary>
    public static List<string> Present(YamlMap map, IEnumerable<string> keys) => [.. keys.Where(k => RuleSite.Present(map.Get(k)) is not null)];

    /// <summary>Exactly one of some keys: none (when required) and more than one are problems.</summary>
    public static IEnumerable<Problem> ExactlyOne(YamlMap map, string[] keys, bool required = true)
    {
        var present = Present(map, keys);
        if (present.Count == 0 && required)
        {
            yield return new Problem($"must specify one of: {string.Join(", ", keys.Select(k => $"'{k}'"))}", "Set exactly one of them.");
        }
        else if (present.Count > 1)
        {
            yield return new Problem($"may not specify more than one of: {string.Join(", ", present.Select(k => $"'{k}'"))}", $"Keep '{present[0]}' or '{present[1]}', not both.", present[1], map.Get(present[1]));
        }
    }
}
