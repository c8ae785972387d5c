using System.Globalization;
using System.Text;

namespace Keelson.Spec.Parsing;

/// <summary>
/// Keeps user text on one line in line-oriented output (<c>file:line:column: error ...</c>, the validate report):
/// values quoted in messages come from the input and may hold newlines or other control characters.
/// </summary>
public static class OneLine
{
    /// <summary>The text with line breaks, tabs and other control characters written as escapes (<c>\n</c>, <c>\u001b</c>).</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => result.Append("\\n"),
                '\r' => result.Append("\\r"),
                '\t' => result.Append("\\t"),
                _ when NeedsEscape(c) => result.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => result.Append(c),
            };
        }

        return result.ToString();
    }

    // Unicode line and paragraph separators end lines in many terminals and editors too.
    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085';
}
