using System.Globalization;
using System.Text;

namespace Keelson.Validation.Tests.Loading;

/// <summary>Seeded random YAML texts in the styles manifests are written in, and byte-level mutations of them, for reader differential tests.</summary>
internal static class YamlTextGenerator
{
    private static readonly string[] Words = ["web", "nginx:1.25", "80", "-1", "0.5", "true", "null", "~", "a b", "x:y", "http://h/p#f", "100Mi", "it's", "{{ .Values.x }}", "a,b", "[x]", "yes", "-", "--x", "a #b"];

    private static readonly string[] FlowWords = ["web", "80", "true", "a b", "x.y/z"];

    private static readonly string[] Keys = ["name", "image", "app.kubernetes.io/name", "ports", "spec", "a-b", "x_y", "on", "1", "k"];

    private static readonly char[] Inserts = [' ', ' ', '\n', ':', '-', '#', '"', '\'', '[', ']', '{', '}', '&', '*', '|', '>', ',', 'x', '\t', '?', '!', '%', '\\'];

    /// <summary>One to three documents.</summary>
    public static string Document(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(3) == 0)
        {
            text.Append("# Source: chart/templates/x.yaml\n");
        }

        var documents = random.Next(1, 4);
        for (var d = 0; d < documents; d++)
        {
            if (d > 0 || random.Next(2) == 0)
            {
                text.Append(random.Next(4) == 0 ? "--- # doc\n" : "---\n");
            }

            Mapping(text, random, 0, 0);
        }

        return text.ToString();
    }

    /// <summary>The text with one random edit: a character deleted or inserted, a line repeated, dropped, re-indented or extended.</summary>
    public static string Mutate(string text, Random random)
    {
        if (text.Length == 0)
        {
            return "x";
        }

        var at = random.Next(text.Length);
        var lines = text.Split('\n').ToList();
        var l = random.Next(lines.Count);
        switch (random.Next(8))
        {
            case 7:
                return text.Insert(at, ((char)random.Next(' ', '~' + 1)).ToString());
            case 6:
                lines[l] += random.Next(2) == 0 ? " " : ":";
                break;
            case 0:
                return text.Remove(at, 1);
            case 1:
            case 2:
                return text.Insert(at, Inserts[random.Next(Inserts.Length)].ToString());
            case 3:
                lines.Insert(l, lines[l]);
                break;
            case 4:
                lines[l] = lines[l].StartsWith(' ') ? lines[l][1..] : " " + lines[l];
                break;
            default:
                lines.RemoveAt(l);
                break;
        }

        return string.Join('\n', lines);
    }

    private static void Mapping(StringBuilder text, Random random, int indent, int depth, bool compact = false)
    {
        var keys = Keys.OrderBy(_ => random.Next()).Take(random.Next(1, 5)).ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            // The first key of a compact mapping in a list follows its "- ".
            if (i > 0 || !compact)
            {
                text.Append(' ', indent);
            }

            Key(text, random, keys[i]);
            Value(text, random, indent, depth);
            Filler(text, random, indent);
        }
    }

    private static void Key(StringBuilder text, Random random, string key)
    {
        switch (random.Next(8))
        {
            case 0:
                text.Append('"').Append(key).Append("\":");
                break;
            case 1:
                text.Append('\'').Append(key).Append("':");
                break;
            case 2:
                text.Append(key).Append(" :");
                break;
            default:
                text.Append(key).Append(':');
                break;
        }
    }

    private static void Value(StringBuilder text, Random random, int indent, int depth)
    {
        var step = random.Next(4) == 0 ? 4 : 2;
        switch (depth > 3 ? random.Next(3) : random.Next(9))
        {
            case 0:
            case 1:
                text.Append(' ');
                Scalar(text, random);
                Comment(text, random);
                text.Append('\n');
                break;
            case 2:
                text.Append(random.Next(2) == 0 ? "\n" : " # empty\n");
                break;
            case 3:
            case 4:
                text.Append('\n');
                Mapping(text, random, indent + step, depth + 1);
                break;
            case 5:
            case 6:
                text.Append('\n');
                Sequence(text, random, random.Next(2) == 0 ? indent : indent + step, depth + 1);
                break;
            case 7:
                text.Append(' ');
                Flow(text, random);
                text.Append('\n');
                break;
            default:
                BlockScalar(text, random, indent + step);
                break;
        }
    }

    private static void Sequence(StringBuilder text, Random random, int indent, int depth)
    {
        var items = random.Next(1, 4);
        for (var i = 0; i < items; i++)
        {
            text.Append(' ', indent).Append('-');
            switch (depth > 3 ? 0 : random.Next(5))
            {
                case 0:
                case 1:
                    text.Append(' ');
                    Scalar(text, random);
                    Comment(text, random);
                    text.Append('\n');
                    break;
                case 2:
                case 3:
                    var gap = random.Next(1, 3);
                    text.Append(' ', gap);
                    Mapping(text, random, indent + 1 + gap, depth + 1, compact: true);
                    break;
                default:
                    text.Append('\n');
                    Mapping(text, random, indent + 2, depth + 1);
                    break;
            }

            Filler(text, random, indent);
        }
    }

    private static void Scalar(StringBuilder text, Random random)
    {
        var word = Words[random.Next(Words.Length)];
        switch (random.Next(6))
        {
            case 0:
                text.Append('\'').Append(word.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
                break;
            case 1:
                text.Append('"').Append(word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append(random.Next(3) == 0 ? "\\t\\x41\\u00e9" : "").Append('"');
                break;
            default:
                text.Append(word);
                break;
        }
    }

    private static void Flow(StringBuilder text, Random random)
    {
        var count = random.Next(0, 4);
        var map = random.Next(2) == 0;
        text.Append(map ? '{' : '[');
        var keys = Keys.OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < count; i++)
        {
            text.Append(i > 0 ? ", " : random.Next(3) == 0 ? " " : "");
            if (map)
            {
                text.Append(keys[i]).Append(": ");
            }

            text.Append(random.Next(3) == 0 ? "'q'" : FlowWords[random.Next(FlowWords.Length)]);
        }

        text.Append(map ? '}' : ']');
    }

    private static void BlockScalar(StringBuilder text, Random random, int indent)
    {
        var literal = random.Next(2) == 0;
        text.Append(' ').Append(literal ? '|' : '>').Append(random.Next(2) == 0 ? "-" : "").Append('\n');
        var lines = random.Next(1, 4);
        for (var i = 0; i < lines; i++)
        {
            if (i > 0 && random.Next(3) == 0)
            {
                text.Append('\n');
            }

            text.Append(' ', indent + (literal && i > 0 && random.Next(4) == 0 ? 2 : 0)).Append(CultureInfo.InvariantCulture, $"line {i}: {Words[random.Next(Words.Length)]}\n");
        }
    }

    private static void Comment(StringBuilder text, Random random)
    {
        if (random.Next(5) == 0)
        {
            text.Append("  # note");
        }
    }

    private static void Filler(StringBuilder text, Random random, int indent)
    {
        switch (random.Next(8))
        {
            case 0:
                text.Append('\n');
                break;
            case 1:
                text.Append(' ', random.Next(indent + 3)).Append("# comment\n");
                break;
        }
    }
}
