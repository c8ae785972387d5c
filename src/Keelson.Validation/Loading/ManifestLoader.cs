using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keelson.Validation.Loading;

/// <summary>What was read, and what could not be.</summary>
public sealed record LoadResult(IReadOnlyList<ManifestDocument> Documents, IReadOnlyList<Finding> Problems);

/// <summary>
/// Reads manifests from files, directories (recursively: <c>.yaml</c>, <c>.yml</c>, <c>.json</c>) and text:
/// multi-document YAML, JSON, and <c>List</c> kinds expanded into their items.
/// </summary>
public static partial class ManifestLoader
{
    /// <summary>Id of findings about input that cannot be read or parsed.</summary>
    public const string UnreadableId = "input-unreadable";

    [GeneratedRegex(@"^#\s*Source:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex SourceComment();

    /// <summary>Reads every path; a directory contributes its manifest files in name order.</summary>
    public static async Task<LoadResult> LoadAsync(IEnumerable<string> paths, TextReader? stdin, CancellationToken cancellationToken)
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                var text = stdin is null ? "" : await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                Parse(text, "-", documents, problems);
                continue;
            }

            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                : (IEnumerable<string>)[path];
            foreach (var file in files)
            {
                string text;
                try
                {
                    text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problems.Add(new Finding(UnreadableId, Severity.Error, null, file, 1, "", $"cannot read the file: {e.Message}", "Check the path and its permissions."));
                    continue;
                }

                Parse(text, file, documents, problems);
            }
        }

        return new LoadResult(documents, problems);
    }

    /// <summary>Parses one text; the documents and problems are appended.</summary>
    public static void Parse(string text, string file, List<ManifestDocument> documents, List<Finding> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            problems.Add(new Finding(UnreadableId, Severity.Error, null, file, (int)e.Start.Line, "", $"not valid YAML or JSON: {e.InnerException?.Message ?? e.Message}", "Fix the syntax at this line."));
            return;
        }

        var lines = text.Split('\n');
        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlMappingNode map:
                    Add(map, file, lines, documents);
                    break;
                case YamlScalarNode { Value: null or "" or "~" or "null" }:
                    break;
                default:
                    problems.Add(new Finding(UnreadableId, Severity.Error, null, file, (int)document.RootNode.Start.Line, "", "a document must be a mapping (a Kubernetes object)", "Remove the stray document or wrap it in an object."));
                    break;
            }
        }
    }

    private static void Add(YamlMappingNode map, string file, string[] lines, List<ManifestDocument> documents)
    {
        var kind = ManifestDocument.Scalar(map, "kind");
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && map.Children.TryGetValue(new YamlScalarNode("items"), out var items) && items is YamlSequenceNode sequence)
        {
            foreach (var item in sequence.Children.OfType<YamlMappingNode>())
            {
                Add(item, file, lines, documents);
            }

            return;
        }

        var line = (int)map.Start.Line;
        documents.Add(new ManifestDocument(file, line, map, SourceAbove(lines, line)));
    }

    /// <summary>The nearest <c># Source:</c> comment above a document's first line, within its preamble.</summary>
    private static string? SourceAbove(string[] lines, int line)
    {
        for (var i = Math.Min(line - 2, lines.Length - 1); i >= 0; i--)
        {
            var text = lines[i].Trim();
            if (text.StartsWith("---", StringComparison.Ordinal) || (text.Length > 0 && !text.StartsWith('#')))
            {
                return null;
            }

            if (SourceComment().Match(text) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }
        }

        return null;
    }
}
