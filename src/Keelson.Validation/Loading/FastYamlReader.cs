using System.Buffers;
using System.Globalization;
using System.Text;
using Keelson.Spec.Parsing;
using YamlDotNet.Core;

namespace Keelson.Validation.Loading;

/// <summary>
/// Reads the YAML that manifests are written in — block mappings and lists, plain and quoted one-line scalars,
/// literal and folded block scalars, one-line flow lists and mappings of scalars, comments and <c>---</c> — in one
/// pass over the text, with no token objects; anything else it declines, and <see cref="YamlTreeReader"/> reads the
/// text instead. YamlDotNet's scanner and parser were two thirds of a 10,000-object validate.
/// </summary>
/// <remarks>
/// The trees are the ones <see cref="YamlTreeReader.Read"/> builds — node kinds, values, styles, and the line and
/// column of every node and key — which <c>FastYamlReaderTests</c> checks against it on every corpus in the
/// repository and on generated texts. It declines rather than guesses: tags, anchors, aliases, directives, complex
/// keys, tabs, <c>\r</c> and non-ASCII text, multi-line plain and quoted scalars, multi-line flow collections, empty
/// documents, keys given twice, nesting near <see cref="NestingLimit.MaxDepth"/>, and every error, so error messages
/// and their lines stay YamlDotNet's.
/// </remarks>
internal sealed class FastYamlReader
{
    /// <summary>Longest key read here; YamlDotNet limits simple keys to 1,024 characters.</summary>
    private const int MaxKeyLength = 1000;

    private const int MaxCachedString = 40;

    private const int MaxCachedStrings = 4096;

    // Printable ASCII and '\n': everything else (tabs, '\r', other line breaks, non-ASCII) is left to YamlDotNet,
    // whose line and column counting over them is not re-derived here.
    private static readonly SearchValues<char> Allowed = SearchValues.Create("\n !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static readonly SearchValues<char> PlainStops = SearchValues.Create("\n: ");

    private readonly string text;
    private readonly int lineOffset;
    private readonly List<List<YamlElement>> itemLists = [];
    private readonly List<List<YamlEntry>> entryLists = [];

    // Keys repeat across objects (name, labels, containers...): one string per distinct key keeps the trees smaller.
    private readonly Dictionary<string, string> strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> stringLookup;

    private int pos;
    private int line = 1;
    private int lineStart;
    private int depth;

    /// <summary>Indentation of the content line the reader stands at the start of; -1 at the end of the document.</summary>
    private int next;

    private FastYamlReader(string text, int lineOffset)
    {
        this.text = text;
        this.lineOffset = lineOffset;
        stringLookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The root node of every document, as <see cref="YamlTreeReader.Read"/> gives them, or null where the text is not in the subset read here.</summary>
    public static List<YamlElement>? TryRead(string text, int lineOffset = 0)
    {
        if (text.AsSpan().IndexOfAnyExcept(Allowed) >= 0)
        {
            return null;
        }

        try
        {
            return new FastYamlReader(text, lineOffset).ReadStream();
        }
        catch (Declined)
        {
            return null;
        }
    }

    // A new exception each time: pieces of one text are read on several threads.
    private static Declined Decline => new();

    private int Column => pos - lineStart + 1;

    private char At(int i) => i < text.Length ? text[i] : '\0';

    private bool BlankAt(int i) => At(i) is ' ' or '\n' or '\0';

    private List<YamlElement> ReadStream()
    {
        var documents = new List<YamlElement>();
        NextContentLine();
        var explicitOnly = false;
        while (pos < text.Length)
        {
            if (next < 0)
            {
                // At a document marker.
                if (text[pos] == '.')
                {
                    throw Decline;
                }

                pos += 3;
                FinishLine();
                NextContentLine();
                if (next < 0)
                {
                    // An empty document: YamlDotNet gives it a null scalar at a position not re-derived here.
                    throw Decline;
                }
            }
            else if (explicitOnly)
            {
                throw Decline;
            }

            explicitOnly = true;
            depth = 0;
            pos = lineStart + next;
            documents.Add(Node(-1, block: true));
        }

        return documents;
    }

    /// <summary>Moves from the start of a line to the start of the next line with content; <see cref="next"/> is its indentation, or -1 at the end of the text or a document marker.</summary>
    private void NextContentLine()
    {
        while (true)
        {
            var i = lineStart;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            var c = At(i);
            if (c == '\0')
            {
                pos = text.Length;
                next = -1;
                return;
            }

            if (c is '\n' or '#')
            {
                var end = text.IndexOf('\n', i);
                if (end < 0)
                {
                    pos = lineStart = text.Length;
                    next = -1;
                    return;
                }

                lineStart = end + 1;
                line++;
                continue;
            }

            pos = lineStart;
            next = i == lineStart && (c is '-' or '.') && IsMarker(c) ? -1 : i - lineStart;
            if (c == '%' && i == lineStart)
            {
                throw Decline;
            }

            return;
        }
    }

    private bool IsMarker(char c) => At(lineStart + 1) == c && At(lineStart + 2) == c && BlankAt(lineStart + 3);

    /// <summary>After a node: only spaces and a comment may follow on its line; moves to the start of the next line.</summary>
    private void FinishLine()
    {
        while (At(pos) == ' ')
        {
            pos++;
        }

        var c = At(pos);
        if (c == '#' && pos > 0 && text[pos - 1] == ' ')
        {
            var end = text.IndexOf('\n', pos);
            pos = end < 0 ? text.Length : end;
            c = At(pos);
        }

        if (c == '\0')
        {
            lineStart = pos;
            return;
        }

        if (c != '\n')
        {
            throw Decline;
        }

        lineStart = ++pos;
        line++;
    }

    /// <summary>After a node that ends its line: moves to the next content line, which must not be indented past the node's parent.</summary>
    private void EndOfNode(int parentIndent)
    {
        FinishLine();
        NextContentLine();
        if (next > parentIndent)
        {
            // A continuation line of a multi-line scalar, or an error.
            throw Decline;
        }
    }

    /// <summary>A node starting at <see cref="pos"/>, inside a block whose indentation is <paramref name="parentIndent"/>; a block list or mapping may start here when <paramref name="block"/>.</summary>
    private YamlElement Node(int parentIndent, bool block)
    {
        var c = text[pos];
        var nodeLine = line;
        var nodeColumn = Column;
        switch (c)
        {
            case '-' when BlankAt(pos + 1):
                return block ? Sequence(pos - lineStart) : throw Decline;
            case '[' or '{':
                YamlElement flow = c == '[' ? FlowSequence() : FlowMapping();
                EndOfNode(parentIndent);
                return flow;
            case '|' or '>':
                return parentIndent < 0 ? throw Decline : BlockScalar(parentIndent);
        }

        var (value, style) = Scalar(mayBeKey: block);
        var afterScalar = pos;

        while (At(pos) == ' ')
        {
            pos++;
        }

        if (At(pos) == ':' && BlankAt(pos + 1))
        {
            if (!block || pos - (nodeColumn - 1 + lineStart) > MaxKeyLength)
            {
                throw Decline;
            }

            return Mapping(nodeColumn - 1, value, nodeLine, nodeColumn);
        }

        pos = afterScalar;
        EndOfNode(parentIndent);
        return new YamlValue(value, style, nodeLine + lineOffset, nodeColumn);
    }

    /// <summary>A block mapping whose first key has been read; <see cref="pos"/> is at its ':'.</summary>
    private YamlMap Mapping(int indent, string key, int mapLine, int mapColumn)
    {
        var entries = Open(entryLists);
        var keyLine = mapLine;
        var keyColumn = mapColumn;
        while (true)
        {
            pos++;
            var value = MappingValue(indent);
            entries.Add(new YamlEntry(key, value) { KeyLine = keyLine + lineOffset, KeyColumn = keyColumn });
            if (next < indent)
            {
                break;
            }

            if (next > indent)
            {
                throw Decline;
            }

            pos = lineStart + indent;
            keyLine = line;
            keyColumn = indent + 1;
            if (text[pos] is '[' or '{' or '|' or '>' || (text[pos] == '-' && BlankAt(pos + 1)))
            {
                throw Decline;
            }

            var (k, _) = Scalar(mayBeKey: true);
            var keyEnd = pos;
            while (At(pos) == ' ')
            {
                pos++;
            }

            if (At(pos) != ':' || !BlankAt(pos + 1) || keyEnd - lineStart - indent > MaxKeyLength)
            {
                throw Decline;
            }

            key = k;
        }

        depth--;
        YamlEntry[] done = [.. entries];
        if (YamlMap.DuplicateKey(done) is not null)
        {
            throw Decline;
        }

        return new YamlMap(done, mapLine + lineOffset, mapColumn);
    }

    /// <summary>The value of a block mapping's key; <see cref="pos"/> is just past the ':'.</summary>
    private YamlElement MappingValue(int indent)
    {
        var emptyLine = line;
        var emptyColumn = Column;
        while (At(pos) == ' ')
        {
            pos++;
        }

        var c = At(pos);
        if (c is '\n' or '\0' or '#')
        {
            FinishLine();
            NextContentLine();
            if (next > indent)
            {
                pos = lineStart + next;
                return Node(indent, block: true);
            }

            if (next == indent && text[lineStart + indent] == '-' && BlankAt(lineStart + indent + 1))
            {
                // A list at its key's indentation.
                pos = lineStart + indent;
                return Sequence(indent);
            }

            return new YamlValue("", ScalarStyle.Plain, emptyLine + lineOffset, emptyColumn);
        }

        return Node(indent, block: false);
    }

    /// <summary>A block list; <see cref="pos"/> is at its first '-'.</summary>
    private YamlSeq Sequence(int indent)
    {
        var items = Open(itemLists);
        var seqLine = line;
        var seqColumn = indent + 1;
        while (true)
        {
            pos++;
            var emptyLine = line;
            var emptyColumn = Column;
            while (At(pos) == ' ')
            {
                pos++;
            }

            if (At(pos) is '\n' or '\0' or '#')
            {
                FinishLine();
                NextContentLine();
                if (next > indent)
                {
                    pos = lineStart + next;
                    items.Add(Node(indent, block: true));
                }
                else
                {
                    items.Add(new YamlValue("", ScalarStyle.Plain, emptyLine + lineOffset, emptyColumn));
                }
            }
            else
            {
                items.Add(Node(indent, block: true));
            }

            if (next < indent)
            {
                break;
            }

            if (next > indent)
            {
                throw Decline;
            }

            pos = lineStart + indent;
            if (!(text[pos] == '-' && BlankAt(pos + 1)))
            {
                break;
            }
        }

        depth--;
        return new YamlSeq([.. items], seqLine + lineOffset, seqColumn);
    }

    /// <summary>A list or mapping opened one level deeper: the reused list for its children, cleared.</summary>
    private List<T> Open<T>(List<List<T>> lists)
    {
        // Declined well before YamlTreeReader's limit, which then reports the error as it does.
        if (depth >= NestingLimit.MaxDepth - 2)
        {
            throw Decline;
        }

        while (lists.Count <= depth)
        {
            lists.Add([]);
        }

        var list = lists[depth++];
        list.Clear();
        return list;
    }

    /// <summary>A one-line plain or quoted scalar at <see cref="pos"/>, in block context, that is a key where <paramref name="mayBeKey"/> and a ':' follows; <see cref="pos"/> ends just past it (before trailing spaces).</summary>
    private (string Value, ScalarStyle Style) Scalar(bool mayBeKey)
    {
        var c = text[pos];
        switch (c)
        {
            case '"':
                return (DoubleQuoted(), ScalarStyle.DoubleQuoted);
            case '\'':
                return (SingleQuoted(), ScalarStyle.SingleQuoted);
            case '-' when !BlankAt(pos + 1):
                break;
            case '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`':
                throw Decline;
        }

        var start = pos;
        var end = pos;
        while (true)
        {
            var stop = text.AsSpan(pos).IndexOfAny(PlainStops);
            if (stop < 0)
            {
                pos = end = text.Length;
                break;
            }

            pos += stop;
            c = text[pos];
            if (c == '\n')
            {
                end = pos;
                break;
            }

            if (c == ':')
            {
                if (BlankAt(pos + 1))
                {
                    end = pos;
                    break;
                }

                pos++;
                continue;
            }

            // A space: the scalar ends before a comment, and trailing spaces are not part of it.
            end = pos;
            while (At(pos) == ' ')
            {
                pos++;
            }

            if (At(pos) is '#' or '\n' or '\0' || (At(pos) == ':' && BlankAt(pos + 1)))
            {
                break;
            }

            if (mayBeKey && At(pos) == '*')
            {
                // YamlDotNet does not read "a *b: c" as a key (values such as "0 * * * *" it reads as written).
                throw Decline;
            }
        }

        pos = end;
        return (Text(start, end), ScalarStyle.Plain);
    }

    /// <summary>The text between two indices, shared with earlier equal short texts.</summary>
    private string Text(int start, int end)
    {
        var span = text.AsSpan(start, end - start);
        if (span.Length > MaxCachedString)
        {
            return span.ToString();
        }

        if (stringLookup.TryGetValue(span, out var known))
        {
            return known;
        }

        var made = span.ToString();
        if (strings.Count < MaxCachedStrings)
        {
            strings.Add(made, made);
        }

        return made;
    }

    private string SingleQuoted()
    {
        var start = ++pos;
        StringBuilder? built = null;
        while (true)
        {
            var quote = text.IndexOf('\'', pos);
            var newline = text.IndexOf('\n', pos, quote < 0 ? text.Length - pos : quote - pos);
            if (quote < 0 || newline >= 0)
            {
                throw Decline;
            }

            if (At(quote + 1) == '\'')
            {
                built ??= new StringBuilder();
                built.Append(text, pos, quote + 1 - pos);
                pos = quote + 2;
                continue;
            }

            var value = built is null ? Text(start, quote) : built.Append(text, pos, quote - pos).ToString();
            pos = quote + 1;
            return value;
        }
    }

    private string DoubleQuoted()
    {
        var start = ++pos;
        StringBuilder? built = null;
        while (true)
        {
            var stop = text.AsSpan(pos).IndexOfAny('"', '\\', '\n');
            if (stop < 0 || text[pos + stop] == '\n')
            {
                throw Decline;
            }

            if (text[pos + stop] == '"')
            {
                var value = built is null ? Text(start, pos + stop) : built.Append(text, pos, stop).ToString();
                pos += stop + 1;
                return value;
            }

            built ??= new StringBuilder();
            built.Append(text, pos, stop);
            pos += stop + 1;
            var escape = At(pos++);
            switch (escape)
            {
                case '0': built.Append('\0'); break;
                case 'a': built.Append('\a'); break;
                case 'b': built.Append('\b'); break;
                case 't': built.Append('\t'); break;
                case 'n': built.Append('\n'); break;
                case 'v': built.Append('\v'); break;
                case 'f': built.Append('\f'); break;
                case 'r': built.Append('\r'); break;
                case 'e': built.Append('\x1B'); break;
                case ' ': built.Append(' '); break;
                case '"': built.Append('"'); break;
                case '/': built.Append('/'); break;
                case '\\': built.Append('\\'); break;
                case 'x': built.Append(Hex(2)); break;
                case 'u': built.Append(Hex(4)); break;
                default: throw Decline;
            }
        }
    }

    private char Hex(int digits)
    {
        if (pos + digits > text.Length || !int.TryParse(text.AsSpan(pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) || code is >= 0xD800 and <= 0xDFFF)
        {
            throw Decline;
        }

        pos += digits;
        return (char)code;
    }

    /// <summary>A one-line flow list of scalars at its '['.</summary>
    private YamlSeq FlowSequence()
    {
        var items = Open(itemLists);
        var seqLine = line;
        var seqColumn = Column;
        pos++;
        SkipSpaces();
        if (At(pos) != ']')
        {
            while (true)
            {
                items.Add(FlowScalar(inMapping: false));
                SkipSpaces();
                var c = At(pos++);
                if (c == ']')
                {
                    break;
                }

                if (c != ',')
                {
                    throw Decline;
                }

                SkipSpaces();
            }
        }
        else
        {
            pos++;
        }

        depth--;
        return new YamlSeq([.. items], seqLine + lineOffset, seqColumn);
    }

    /// <summary>A one-line flow mapping of scalars at its '{'.</summary>
    private YamlMap FlowMapping()
    {
        var entries = Open(entryLists);
        var mapLine = line;
        var mapColumn = Column;
        pos++;
        SkipSpaces();
        if (At(pos) != '}')
        {
            while (true)
            {
                var keyColumn = Column;
                if (FlowScalar(inMapping: true) is not { } key)
                {
                    throw Decline;
                }

                SkipSpaces();
                if (At(pos) != ':' || At(pos + 1) != ' ')
                {
                    throw Decline;
                }

                pos++;
                SkipSpaces();
                entries.Add(new YamlEntry(key.Value, FlowScalar(inMapping: true)) { KeyLine = mapLine + lineOffset, KeyColumn = keyColumn });
                SkipSpaces();
                var c = At(pos++);
                if (c == '}')
                {
                    break;
                }

                if (c != ',')
                {
                    throw Decline;
                }

                SkipSpaces();
            }
        }
        else
        {
            pos++;
        }

        depth--;
        YamlEntry[] done = [.. entries];
        return YamlMap.DuplicateKey(done) is null ? new YamlMap(done, mapLine + lineOffset, mapColumn) : throw Decline;
    }

    /// <summary>A scalar inside a one-line flow collection: quoted, or plain of letters, digits and a few safe marks.</summary>
    private YamlValue FlowScalar(bool inMapping)
    {
        var scalarLine = line + lineOffset;
        var column = Column;
        var c = At(pos);
        if (c == '"')
        {
            return new YamlValue(DoubleQuoted(), ScalarStyle.DoubleQuoted, scalarLine, column);
        }

        if (c == '\'')
        {
            return new YamlValue(SingleQuoted(), ScalarStyle.SingleQuoted, scalarLine, column);
        }

        var start = pos;
        var end = pos;
        while (true)
        {
            c = At(pos);
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '=' or '+' or '~' or '$' or '(' or ')' or '^' || (c == '-' && pos > start && char.IsAsciiLetterOrDigit(text[pos - 1])))
            {
                end = ++pos;
            }
            else if (c == ' ' && pos > start)
            {
                pos++;
            }
            else
            {
                break;
            }
        }

        // Anything else (':' in a list, '#', nesting, an empty entry, the end of the line) is left to YamlDotNet.
        if (end == start || !(c is ',' || (inMapping ? c is '}' or ':' : c is ']')))
        {
            throw Decline;
        }

        pos = end;
        return new YamlValue(Text(start, end), ScalarStyle.Plain, scalarLine, column);
    }

    private void SkipSpaces()
    {
        while (At(pos) == ' ')
        {
            pos++;
        }
    }

    /// <summary>A literal (<c>|</c>, <c>|-</c>) or folded (<c>&gt;</c>, <c>&gt;-</c>) scalar at its indicator, the value of a node indented <paramref name="parentIndent"/>.</summary>
    private YamlValue BlockScalar(int parentIndent)
    {
        var scalarLine = line + lineOffset;
        var column = Column;
        var literal = text[pos++] == '|';
        var strip = At(pos) == '-';
        if (strip)
        {
            pos++;
        }

        if (!BlankAt(pos))
        {
            // Keep (+) and indentation indicators.
            throw Decline;
        }

        FinishLine();
        var indent = 0;
        while (At(lineStart + indent) == ' ')
        {
            indent++;
        }

        if (indent <= parentIndent || At(lineStart + indent) is '\n' or '\0')
        {
            // Empty, or starting with blank lines: the indentation rules for those are not re-derived here.
            throw Decline;
        }

        var value = new StringBuilder();
        var blanks = 0;
        var first = true;
        while (lineStart < text.Length)
        {
            var spaces = 0;
            while (At(lineStart + spaces) == ' ')
            {
                spaces++;
            }

            var c = At(lineStart + spaces);
            if (c is '\n' or '\0')
            {
                if (spaces > indent)
                {
                    throw Decline;
                }

                blanks++;
            }
            else if (spaces < indent)
            {
                break;
            }
            else
            {
                if (!literal && spaces > indent)
                {
                    // Folding around more-indented lines keeps their breaks; not re-derived here.
                    throw Decline;
                }

                if (!first)
                {
                    if (literal)
                    {
                        value.Append('\n', blanks + 1);
                    }
                    else if (blanks == 0)
                    {
                        value.Append(' ');
                    }
                    else
                    {
                        value.Append('\n', blanks);
                    }
                }

                var end = text.IndexOf('\n', lineStart + indent);
                if (!literal && text[(end < 0 ? text.Length : end) - 1] == ' ')
                {
                    // Trailing spaces where lines are folded: not re-derived here.
                    throw Decline;
                }

                value.Append(text, lineStart + indent, (end < 0 ? text.Length : end) - lineStart - indent);
                blanks = 0;
                first = false;
            }

            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0)
            {
                // A last line without a line break: whether clipping adds one is not re-derived here.
                throw Decline;
            }

            lineStart = lineEnd + 1;
            line++;
        }

        if (!strip)
        {
            value.Append('\n');
        }

        pos = lineStart;
        NextContentLine();
        if (next > parentIndent)
        {
            throw Decline;
        }

        return new YamlValue(value.ToString(), literal ? ScalarStyle.Literal : ScalarStyle.Folded, scalarLine, column);
    }

    /// <summary>Thrown, once, to give up on a text; <see cref="TryRead"/> catches it.</summary>
    private sealed class Declined : Exception
    {
    }
}
