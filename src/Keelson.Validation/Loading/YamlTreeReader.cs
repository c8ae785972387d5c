using System.Globalization;
using Keelson.Spec.Parsing;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Keelson.Validation.Loading;

/// <summary>
/// Builds <see cref="YamlElement"/> trees straight from YamlDotNet's parser events. YamlDotNet's own representation
/// model (<c>YamlStream</c>) cost three times the parse itself on large inputs; this keeps only what checks read.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Most nodes aliases may add to one document; real manifests use a handful of aliases, if any.</summary>
    public const int MaxAliasExpansion = 1_000_000;

    /// <summary>The root node of every document in <paramref name="text"/>; throws <see cref="YamlException"/> where the text is not valid YAML.</summary>
    /// <remarks>
    /// Aliases resolve to the anchored node itself, as in YamlDotNet's model; anchors are per document. Nesting beyond
    /// <see cref="NestingLimit.MaxDepth"/> is an error at the list or mapping that goes too deep. A key given twice in a
    /// mapping is an error, unless <paramref name="duplicates"/> is given: then the mapping keeps the last value (as
    /// a JSON decoder would), the entry is kept on <see cref="YamlMap.DuplicateEntries"/>, and it is counted there.
    /// Nodes' lines are <paramref name="lineOffset"/> more than the line in <paramref name="text"/> (a piece of a
    /// longer text); the lines of errors are not.
    /// </remarks>
    public static List<YamlElement> Read(string text, List<YamlEntry>? duplicates = null, int lineOffset = 0)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<YamlElement>();
        var open = new List<Frame>();
        var depth = 0;
        var anchors = new Dictionary<string, YamlElement>(StringComparer.Ordinal);

        // Nodes each anchored node stands for once expanded, and what aliases added in this document: aliases of
        // aliases ("billion laughs") make a small text stand for a tree no check could walk.
        var weights = new Dictionary<YamlElement, long>(ReferenceEqualityComparer.Instance);
        long expanded = 0;

        // A list or mapping used as a key is reported after the parse, so a syntax error further on (an unrendered
        // Helm template's "{{ }}" is both) is reported as YamlDotNet reports it.
        YamlException? complexKey = null;
        while (Next())
        {
            switch (parser.Current)
            {
                case DocumentStart:
                    anchors.Clear();
                    weights.Clear();
                    expanded = 0;
                    break;
                case Scalar { Anchor.IsEmpty: true } s when depth > 0 && open[depth - 1] is { IsMap: true, Key: null } frame:
                    // A key is kept inline in its entry; no node is made for it.
                    frame.SetKey(s.Value, (int)s.Start.Line + lineOffset, (int)s.Start.Column);
                    break;
                case Scalar s:
                    Attach(Anchor(new YamlValue(s.Value, s.Style, (int)s.Start.Line + lineOffset, (int)s.Start.Column), s.Anchor, 1), s.Start, 1);
                    break;
                case AnchorAlias alias:
                    var target = anchors.TryGetValue(alias.Value.Value, out var anchored) ? anchored : throw Unresolved(alias);
                    var weight = weights[target];
                    if ((expanded += weight) > MaxAliasExpansion)
                    {
                        throw new YamlException(alias.Start, alias.End, string.Create(CultureInfo.InvariantCulture, $"aliases expand this document to more than {MaxAliasExpansion:N0} nodes; Keelson reads at most that many"));
                    }

                    Attach(target, alias.Start, weight);
                    break;
                case SequenceStart or MappingStart:
                    if (depth == open.Count)
                    {
                        open.Add(new Frame());
                    }

                    if (depth >= NestingLimit.MaxDepth)
                    {
                        throw NestingLimit.TooDeep(parser.Current.Start);
                    }

                    open[depth++].Open((NodeEvent)parser.Current);
                    break;
                case SequenceEnd:
                    var items = open[--depth];
                    Attach(Anchor(new YamlSeq([.. items.Items], (int)items.Start.Line + lineOffset, (int)items.Start.Column), items.AnchorName, items.Weight + 1), items.Start, items.Weight + 1);
                    break;
                case MappingEnd:
                    var map = open[--depth];
                    YamlEntry[] entries = [.. map.Entries];
                    YamlEntry[] repeated = [];
                    if (YamlMap.DuplicateKey(entries) is { } duplicate)
                    {
                        var key = entries[duplicate];
                        if (duplicates is null)
                        {
                            throw new YamlException(At(key), At(key), $"Duplicate key {key.Key}");
                        }

                        (entries, repeated) = YamlMap.KeepLast(entries);
                        duplicates.AddRange(repeated);
                    }

                    Attach(Anchor(new YamlMap(entries, (int)map.Start.Line + lineOffset, (int)map.Start.Column) { DuplicateEntries = repeated }, map.AnchorName, map.Weight + 1), map.Start, map.Weight + 1);
                    break;
            }
        }

        return complexKey is null ? documents : throw complexKey;

        // YamlDotNet's scanner throws InvalidOperationException on some malformed flow collections (a flow list
        // continued at a lower indentation); that is bad input, not a bug, so it is reported like any syntax error.
        bool Next()
        {
            try
            {
                return parser.MoveNext();
            }
            catch (InvalidOperationException)
            {
                var at = parser.Current?.End ?? Mark.Empty;
                throw new YamlException(at, at, "the text after this point is not valid YAML (a flow list or mapping continued at a lower indentation?)");
            }
        }

        YamlException Unresolved(AnchorAlias alias) =>
            new(alias.Start, alias.End, open.Take(depth).Any(f => f.AnchorName == alias.Value)
                ? $"The alias '*{alias.Value.Value}' refers to the node that contains it"
                : $"The anchor '{alias.Value.Value}' does not exists");

        YamlElement Anchor(YamlElement node, AnchorName anchor, long weight)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = node;
                weights[node] = weight;
            }

            return node;
        }

        void Attach(YamlElement node, Mark start, long weight)
        {
            if (depth == 0)
            {
                documents.Add(node);
                return;
            }

            var frame = open[depth - 1];
            frame.Weight += weight;
            if (!frame.IsMap)
            {
                frame.Items.Add(node);
            }
            else if (frame.Key is { } key)
            {
                frame.Entries.Add(new YamlEntry(key, node) { KeyLine = frame.KeyLine, KeyColumn = frame.KeyColumn });
                frame.Key = null;
            }
            else
            {
                // Kubernetes objects are JSON, whose keys are strings.
                frame.SetKey((node as YamlValue)?.Value ?? "", node.Line, node.Column);
                complexKey ??= node is YamlValue ? null : new YamlException(start, start, "a mapping key must be a plain value, not a list or mapping");
            }
        }
    }

    private static Mark At(YamlEntry entry) => new(0, entry.KeyLine, entry.KeyColumn);

    /// <summary>A list or mapping being read; reused per depth so reading allocates only the finished nodes.</summary>
    private sealed class Frame
    {
        public List<YamlElement> Items { get; } = [];

        public List<YamlEntry> Entries { get; } = [];

        public bool IsMap { get; private set; }

        /// <summary>The key read, until its value is.</summary>
        public string? Key { get; set; }

        public int KeyLine { get; private set; }

        public int KeyColumn { get; private set; }

        public void SetKey(string key, int line, int column)
        {
            Key = key;
            KeyLine = line;
            KeyColumn = column;
        }

        public AnchorName AnchorName { get; private set; }

        /// <summary>Nodes below this one, aliases counted as the nodes they stand for.</summary>
        public long Weight { get; set; }

        public Mark Start { get; private set; }

        public void Open(NodeEvent start)
        {
            IsMap = start is MappingStart;
            AnchorName = start.Anchor;
            Start = start.Start;
            Key = null;
            Weight = 0;
            Items.Clear();
            Entries.Clear();
        }
    }
}
