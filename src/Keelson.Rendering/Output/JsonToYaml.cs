using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Keelson.Rendering.Output;

/// <summary>
/// Writes the JSON form of a Kubernetes object as block YAML. KubernetesClient's reflection-based YAML
/// serialiser and YamlDotNet's general emitter both cost a quarter of a millisecond per object, which made
/// rendering a large fleet take seconds; objects are plain JSON trees, so a direct writer is enough.
/// Strings go plain only when no YAML 1.1 or 1.2 reader could take them for anything else; otherwise
/// they are double-quoted (or a literal block when they span lines). The round-trip tests read every
/// rendered document back with YamlDotNet and compare.
/// </summary>
public static partial class JsonToYaml
{
    // Strings a YAML 1.1 or 1.2 reader would take for something else: booleans, nulls, numbers, dates, times.
    [GeneratedRegex(@"^(?:[-+]?[0-9][0-9_.:eE+-]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|null|Null|NULL|~|<<|=|0x[0-9a-fA-F]+|0o[0-7]+)$")]
    private static partial Regex Ambiguous();

    private const string Indicators = "-?:,[]{}#&*!|>'\"%@`";

    /// <summary>Keys written first at the top of a document, in the order kubectl users expect.</summary>
    private static readonly string[] LeadingKeys = ["apiVersion", "kind", "metadata"];

    /// <summary>Appends one YAML document for a JSON object, ending with a newline.</summary>
    public static void Append(StringBuilder text, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("A Kubernetes object is a JSON object.", nameof(root));
        }

        WriteMapping(text, root, 0, firstInline: false, top: true);
    }

    private static void WriteMapping(StringBuilder text, JsonElement mapping, int indent, bool firstInline, bool top)
    {
        var first = true;
        void Entry(string key, JsonElement value)
        {
            if (!(first && firstInline))
            {
                text.Append(' ', indent);
            }

            first = false;
            WriteScalar(text, key, indent);
            text.Append(':');
            WriteAfterKey(text, value, indent);
        }

        if (top)
        {
            foreach (var key in LeadingKeys)
            {
                if (mapping.TryGetProperty(key, out var value))
                {
                    Entry(key, value);
                }
            }
        }

        foreach (var property in mapping.EnumerateObject())
        {
            if (!top || Array.IndexOf(LeadingKeys, property.Name) < 0)
            {
                Entry(property.Name, property.Value);
            }
        }
    }

    private static void WriteAfterKey(StringBuilder text, JsonElement value, int indent)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when IsEmpty(value):
                text.Append(" {}\n");
                break;
            case JsonValueKind.Object:
                text.Append('\n');
                WriteMapping(text, value, indent + 2, firstInline: false, top: false);
                break;
            case JsonValueKind.Array when value.GetArrayLength() == 0:
                text.Append(" []\n");
                break;
            case JsonValueKind.Array:
                // Sequences under a key sit at the key's own indentation, as kubectl writes them.
                text.Append('\n');
                WriteSequence(text, value, indent);
                break;
            default:
                text.Append(' ');
                WriteValue(text, value, indent);
                text.Append('\n');
                break;
        }
    }

    private static void WriteSequence(StringBuilder text, JsonElement sequence, int indent)
    {
        foreach (var item in sequence.EnumerateArray())
        {
            text.Append(' ', indent).Append("- ");
            switch (item.ValueKind)
            {
                case JsonValueKind.Object when IsEmpty(item):
                    text.Append("{}\n");
                    break;
                case JsonValueKind.Object:
                    WriteMapping(text, item, indent + 2, firstInline: true, top: false);
                    break;
                case JsonValueKind.Array when item.GetArrayLength() == 0:
                    text.Append("[]\n");
                    break;
                case JsonValueKind.Array:
                    text.Append('\n');
                    WriteSequence(text, item, indent + 2);
                    break;
                default:
                    WriteValue(text, item, indent);
                    text.Append('\n');
                    break;
            }
        }
    }

    private static void WriteValue(StringBuilder text, JsonElement value, int indent)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            WriteScalar(text, value.GetString()!, indent);
        }
        else
        {
            // Numbers, true, false and null keep their JSON spelling, which YAML reads the same way.
            text.Append(value.GetRawText());
        }
    }

    private static void WriteScalar(StringBuilder text, string value, int indent)
    {
        if (IsPlain(value))
        {
            text.Append(value);
        }
        else if (IsLiteralBlock(value))
        {
            // A literal block keeps multi-line text (dashboards, scrape configs) readable; '|-' drops the final newline.
            text.Append(value.EndsWith('\n') ? "|" : "|-");
            foreach (var line in value.TrimEnd('\n').Split('\n'))
            {
                text.Append('\n');
                if (line.Length > 0)
                {
                    text.Append(' ', indent + 2).Append(line);
                }
            }
        }
        else
        {
            Quote(text, value);
        }
    }

    private static bool IsPlain(string value)
    {
        if (value.Length == 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]) || value[^1] == ':')
        {
            return false;
        }

        // '-', '?' and ':' may start a plain scalar when a non-space follows (YAML 1.2, 7.3.3): "-U", "--flag".
        var dashLike = value[0] is '-' or '?' or ':' && value.Length > 1 && !char.IsWhiteSpace(value[1]);
        if (!dashLike && Indicators.Contains(value[0], StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c < ' ' || c is '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff')
            {
                return false;
            }
        }

        return !value.Contains(": ", StringComparison.Ordinal) && !value.Contains(" #", StringComparison.Ordinal) && !Ambiguous().IsMatch(value);
    }

    private static bool IsLiteralBlock(string value)
    {
        if (!value.Contains('\n', StringComparison.Ordinal) || value[0] is ' ' or '\n' || value.EndsWith("\n\n", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var line in value.TrimEnd('\n').Split('\n'))
        {
            if (line.EndsWith(' ') || line.Any(c => c < ' ' && c != '\t' || c is '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff'))
            {
                return false;
            }
        }

        return true;
    }

    private static void Quote(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ' || c is '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    private static bool IsEmpty(JsonElement mapping)
    {
        using var properties = mapping.EnumerateObject();
        return !properties.MoveNext();
    }
}
