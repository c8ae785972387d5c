using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Keelson.Cli.Tests.Robustness;

/// <summary>
/// Seeded mutations of YAML text of the kinds the robustness review found harmful: extreme numbers, control
/// characters in values, deep nesting, alias bombs, duplicated and dropped lines, truncation, shifted indentation.
/// </summary>
internal sealed partial class Mutator(int seed)
{
    private static readonly string[] ExtremeNumbers =
        ["0", "-1", "1e306", "-1e306", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "1e-300", "100000001", ".inf", "NaN", "0.0000001", "99999999999999999999"];

    private static readonly string[] Quantities = ["9223372036854775807", "8Ei", "1e10", "99999999999Ti", "0.000001m", "-5", "1e308"];

    private readonly Random random = new(seed);

    [GeneratedRegex(@"(?<=:\s)-?[0-9][0-9.eE+-]*(?=\s*($|[,}\]]))", RegexOptions.Multiline)]
    private static partial Regex Number();

    [GeneratedRegex(@"(?<=:\s)[A-Za-z0-9][A-Za-z0-9./_-]*(?=\s*($|[,}\]]))", RegexOptions.Multiline)]
    private static partial Regex PlainValue();

    /// <summary>A mutation of <paramref name="text"/> and the name of what was done.</summary>
    public (string Text, string Mutation) Mutate(string text)
    {
        var kind = random.Next(11);
        return kind switch
        {
            0 => (ReplaceOne(text, Number(), Pick(ExtremeNumbers)), "extreme number"),
            1 => (ReplaceOne(text, PlainValue(), "\"a\\nb\\r\\tc\\u001b[31m\""), "control characters in a value"),
            2 => (ReplaceOne(text, PlainValue(), new string('[', 1 + random.Next(40_000))), "deep flow nesting"),
            3 => (DropLine(text), "line dropped"),
            4 => (DuplicateLine(text), "line duplicated"),
            5 => (text[..random.Next(text.Length)], "truncated"),
            6 => (ShiftLine(text), "indentation shifted"),
            7 => (ReplaceOne(text, PlainValue(), Pick(Quantities)), "huge quantity"),
            8 => (AliasBomb(text), "alias bomb"),
            9 => (ReplaceOne(text, PlainValue(), "{" + new string('[', 200) + "}"), "unbalanced nesting"),
            _ => (ReplaceOne(text, Number(), random.Next(2) == 0 ? "100000" : "100001"), "at and beyond the replica limit"),
        };
    }

    private string Pick(string[] values) => values[random.Next(values.Length)];

    private string ReplaceOne(string text, Regex pattern, string replacement)
    {
        var matches = pattern.Matches(text);
        if (matches.Count == 0)
        {
            return text + "\nextra: " + replacement + "\n";
        }

        var m = matches[random.Next(matches.Count)];
        return string.Concat(text.AsSpan(0, m.Index), replacement, text.AsSpan(m.Index + m.Length));
    }

    private static string[] Lines(string text) => text.Split('\n');

    private string DropLine(string text)
    {
        var lines = Lines(text).ToList();
        lines.RemoveAt(random.Next(lines.Count));
        return string.Join('\n', lines);
    }

    private string DuplicateLine(string text)
    {
        var lines = Lines(text).ToList();
        var i = random.Next(lines.Count);
        lines.Insert(i, lines[i]);
        return string.Join('\n', lines);
    }

    private string ShiftLine(string text)
    {
        var lines = Lines(text);
        var i = random.Next(lines.Length);
        lines[i] = new string(' ', 1 + random.Next(4)) + lines[i];
        return string.Join('\n', lines);
    }

    private static string AliasBomb(string text)
    {
        var bomb = new StringBuilder("\nbomb:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 9; i++)
        {
            bomb.Append(CultureInfo.InvariantCulture, $"  a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        // Inside a document of its own when the text is a stream, or at the end of the single document.
        return text.TrimEnd() + bomb;
    }
}
