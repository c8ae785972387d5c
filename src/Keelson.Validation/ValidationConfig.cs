using Keelson.Validation.Loading;
using YamlDotNet.Core;

namespace Keelson.Validation;

/// <summary>
/// Per-check settings from a config file: <c>checks: {image-tag: off, container-writable-root: error}</c>.
/// A check set to <c>off</c> is not reported; any other value overrides its severity.
/// </summary>
public sealed record ValidationConfig(IReadOnlyDictionary<string, Severity?> Checks)
{
    /// <summary>No overrides.</summary>
    public static readonly ValidationConfig None = new(new Dictionary<string, Severity?>());

    /// <summary>Reads a config file's text; unknown check ids and values are errors naming their line.</summary>
    public static (ValidationConfig? Config, IReadOnlyList<string> Errors) Parse(string text, string file, IEnumerable<string> knownIds)
    {
        var errors = new List<string>();
        var known = knownIds.ToHashSet(StringComparer.Ordinal);
        List<YamlElement> documents;
        try
        {
            documents = YamlTreeReader.Read(text);
        }
        catch (YamlException e)
        {
            return (null, [$"{file}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}"]);
        }

        var checks = new Dictionary<string, Severity?>(StringComparer.Ordinal);
        if (documents.Count == 0)
        {
            return (new ValidationConfig(checks), errors);
        }

        if (documents[0] is not YamlMap root || root.Entries.Any(c => c.Key != "checks")
            || (root.Count > 0 && root.Get("checks") is not YamlMap))
        {
            return (null, [$"{file}:1: expected a single field 'checks' mapping check ids to off, info, warning or error"]);
        }

        var entries = root.Get("checks") is YamlMap map ? map.Entries : [];
        foreach (var entry in entries)
        {
            var (id, value) = entry;
            var setting = (value as YamlValue)?.Value;
            if (!known.Contains(id))
            {
                var hint = Spec.Parsing.Suggestions.Closest(id, known) is { } s ? $"; did you mean '{s}'?" : "";
                errors.Add($"{file}:{entry.KeyLine}: unknown check '{id}'{hint}");
            }
            else if (setting is "off" or "false")
            {
                checks[id] = null;
            }
            else if (Enum.TryParse<Severity>(setting, ignoreCase: true, out var severity) && setting == setting?.ToLowerInvariant())
            {
                checks[id] = severity;
            }
            else
            {
                errors.Add($"{file}:{value.Line}: '{setting}' is not allowed for {id}; allowed: off, info, warning, error");
            }
        }

        return errors.Count > 0 ? (null, errors) : (new ValidationConfig(checks), errors);
    }

    /// <summary>The findings with disabled checks removed and severities overridden.</summary>
    public IEnumerable<Finding> Apply(IEnumerable<Finding> findings)
    {
        foreach (var f in findings)
        {
            if (!Checks.TryGetValue(f.CheckId, out var severity))
            {
                yield return f;
            }
            else if (severity is { } s)
            {
                yield return f with { Severity = s };
            }
        }
    }
}
