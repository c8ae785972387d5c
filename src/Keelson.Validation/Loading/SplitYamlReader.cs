using System.Buffers;

namespace Keelson.Validation.Loading;

/// <summary>
/// Reads a long multi-document text (a rendered fleet, <c>helm template</c> of a large chart) in pieces on every core:
/// the text is cut at document start lines (<c>---</c> at the start of a line), each piece is read by
/// <see cref="FastYamlReader"/> (or, outside its subset, <see cref="YamlTreeReader"/>) with its first line's offset, and the roots are put back in order.
/// </summary>
/// <remarks>
/// A cut is only made where it cannot change what is read: no directives (<c>%YAML</c>, which reach past a
/// <c>---</c>), and no line breaks other than <c>\n</c> (YAML also breaks lines at <c>\r</c>, U+0085, U+2028 and
/// U+2029, which would shift the line numbers counted here). A document marker ends any scalar the scanner is in,
/// so a piece holds whole documents; where a piece cannot be read at all, the whole text is read again in one go,
/// so errors are reported exactly as a one-piece read reports them.
/// </remarks>
internal static class SplitYamlReader
{
    /// <summary>Texts shorter than this are read in one go: cutting costs more than it saves.</summary>
    public const int MinLength = 256 * 1024;

    private static readonly SearchValues<char> OtherBreaks = SearchValues.Create("\r\u0085\u2028\u2029");

    /// <summary>The root node of every document, as <see cref="YamlTreeReader.Read"/> gives them.</summary>
    public static List<YamlElement> Read(string text, List<YamlEntry> duplicates)
    {
        var pieces = text.Length < MinLength ? [] : Cut(text, Environment.ProcessorCount * 4);
        if (pieces.Count < 2)
        {
            return ReadPiece(text, duplicates, 0);
        }

        var read = new (List<YamlElement> Roots, List<YamlEntry> Duplicates)[pieces.Count];
        try
        {
            Parallel.For(0, pieces.Count, i =>
            {
                var (start, line) = pieces[i];
                var end = i + 1 < pieces.Count ? pieces[i + 1].Start : text.Length;
                var pieceDuplicates = new List<YamlEntry>();
                read[i] = (ReadPiece(text[start..end], pieceDuplicates, line - 1), pieceDuplicates);
            });
        }
        catch (AggregateException)
        {
            // Reported as the whole text reports it: the same message at the same line.
            return YamlTreeReader.Read(text, duplicates);
        }

        var roots = new List<YamlElement>();
        foreach (var (pieceRoots, pieceDuplicates) in read)
        {
            roots.AddRange(pieceRoots);
            duplicates.AddRange(pieceDuplicates);
        }

        return roots;
    }

    /// <summary>One text or piece: by <see cref="FastYamlReader"/> where it can, else by <see cref="YamlTreeReader"/>, whose errors are the ones reported.</summary>
    private static List<YamlElement> ReadPiece(string text, List<YamlEntry> duplicates, int lineOffset) =>
        FastYamlReader.TryRead(text, lineOffset) ?? YamlTreeReader.Read(text, duplicates, lineOffset);

    /// <summary>Where each piece starts (a character index and its line, from 1): about <paramref name="count"/> pieces of similar length, or none.</summary>
    internal static List<(int Start, int Line)> Cut(string text, int count)
    {
        var pieces = new List<(int Start, int Line)>();
        if (text.AsSpan().IndexOfAny(OtherBreaks) >= 0 || text.StartsWith('%') || text.Contains("\n%", StringComparison.Ordinal))
        {
            return pieces;
        }

        pieces.Add((0, 1));
        var target = Math.Max(text.Length / Math.Max(count, 1), 1);
        var line = 1;
        var counted = 0;
        for (var at = target; at < text.Length;)
        {
            var marker = text.IndexOf("\n---", at, StringComparison.Ordinal);
            if (marker < 0)
            {
                break;
            }

            var start = marker + 1;
            var after = start + 3;
            if (after < text.Length && text[after] is not ('\n' or ' ' or '\t'))
            {
                at = after;
                continue;
            }

            line += text.AsSpan(counted, start - counted).Count('\n');
            counted = start;
            pieces.Add((start, line));
            at = start + target;
        }

        return pieces;
    }
}
