using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Keelson.Spec.Parsing;

/// <summary>
/// The one nesting limit of every YAML and JSON reader in Keelson (stacks, load files, cluster profiles, manifests,
/// validation config, API bodies). Deep nesting is never meaningful in these documents, and readers and checks that
/// recurse would overflow the stack (30,000 nested '[' aborted the process) or slow down past any use.
/// </summary>
public static class NestingLimit
{
    /// <summary>Deepest nesting of lists and mappings accepted; a CRD's OpenAPI schema, the deepest real manifest, stays well below.</summary>
    public const int MaxDepth = 128;

    /// <summary>The message for text nested deeper than <see cref="MaxDepth"/>.</summary>
    public static string Message { get; } = string.Create(CultureInfo.InvariantCulture, $"lists and mappings are nested more than {MaxDepth} levels deep here; Keelson reads at most {MaxDepth} levels");

    /// <summary>The exception a reader throws for nesting beyond the limit, located at the list or mapping that goes too deep.</summary>
    public static YamlException TooDeep(Mark at) => new(at, at, Message);

    /// <summary>
    /// Loads one YAML stream with YamlDotNet's representation model, after an event-by-event pass (no recursion)
    /// that rejects nesting beyond <see cref="MaxDepth"/>; the model itself recurses per level.
    /// </summary>
    /// <exception cref="YamlException">Not valid YAML, or nested too deep.</exception>
    public static YamlStream LoadStream(string text)
    {
        ThrowIfTooDeep(text);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed flow collections (a flow list continued at a lower
            // indentation): bad input, reported like any syntax error.
            var at = parser.Current?.End ?? Mark.Empty;
            throw new YamlException(at, at, "the text after this point is not valid YAML (a flow list or mapping continued at a lower indentation?)");
        }

        return stream;
    }

    /// <summary>Most nodes aliases may add to one document ("billion laughs": aliases of aliases make a small text stand for a huge tree).</summary>
    public const int MaxAliasExpansion = 1_000_000;

    /// <summary>
    /// Throws at the first list or mapping nested beyond <see cref="MaxDepth"/>, or at the alias that makes a document
    /// stand for more than <see cref="MaxAliasExpansion"/> nodes; syntax errors are left to the real reader.
    /// </summary>
    public static void ThrowIfTooDeep(string text)
    {
        var parser = new Parser(new StringReader(text));

        // Per open collection, the nodes below it so far; per anchor, the nodes it stands for.
        var open = new Stack<(long Weight, AnchorName Anchor)>();
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        long expanded = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart:
                        anchors.Clear();
                        expanded = 0;
                        break;
                    case SequenceStart or MappingStart:
                        if (open.Count >= MaxDepth)
                        {
                            throw TooDeep(parser.Current.Start);
                        }

                        open.Push((0, ((NodeEvent)parser.Current).Anchor));
                        break;
                    case SequenceEnd or MappingEnd when open.Count > 0:
                        var (below, anchor) = open.Pop();
                        Close(below + 1, anchor);
                        break;
                    case Scalar scalar:
                        Close(1, scalar.Anchor);
                        break;
                    case AnchorAlias alias:
                        var weight = anchors.GetValueOrDefault(alias.Value.Value, 1);
                        if ((expanded += weight) > MaxAliasExpansion)
                        {
                            throw new YamlException(alias.Start, alias.End, string.Create(CultureInfo.InvariantCulture, $"aliases expand this document to more than {MaxAliasExpansion:N0} nodes; Keelson reads at most that many"));
                        }

                        Close(weight, AnchorName.Empty);
                        break;
                }
            }
        }
        catch (YamlException e) when (!e.Message.StartsWith("aliases expand", StringComparison.Ordinal) && e.Message != Message)
        {
            // A syntax error: the loader that follows reports it with its own wording.
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed flow collections; the loader reports them too.
        }

        void Close(long weight, AnchorName anchor)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = weight;
            }

            if (open.Count > 0)
            {
                var (below, own) = open.Pop();
                open.Push((below + weight, own));
            }
        }
    }
}
