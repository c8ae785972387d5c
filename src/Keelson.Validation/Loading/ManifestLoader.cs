using System.Text.RegularExpressions;
using YamlDotNet.Core;

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

    /// <summary>Id of the finding for an input named on the command line (a file, a directory, standard input) that holds no object.</summary>
    public const string EmptyId = "input-empty";

    [GeneratedRegex(@"^#\s*Source:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex SourceComment();

    /// <summary>Reads every path; a directory contributes its manifest files in name order.</summary>
    public static async Task<LoadResult> LoadAsync(IEnumerable<string> paths, TextReader? stdin, CancellationToken cancellationToken)
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        foreach (var path in paths)
        {
            var before = (documents.Count, problems.Count);
            if (path == "-")
            {
                var text = stdin is null ? "" : await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                Parse(text, "-", documents, problems);
                ReportEmpty("-", "standard input holds no Kubernetes object", "Check the command that feeds it: a failed 'helm template' or 'kustomize build' prints nothing.");
                continue;
            }

            if (!Directory.Exists(path) && !File.Exists(path))
            {
                problems.Add(new Finding(UnreadableId, Severity.Error, null, path, 1, "", "no such file or directory", "Check the path."));
                continue;
            }

            var files = Directory.Exists(path)
                ? [.. Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)]
                : new[] { path };
            await ReadFilesAsync(files, documents, problems, cancellationToken).ConfigureAwait(false);
            ReportEmpty(path, Directory.Exists(path) ? "the directory holds no Kubernetes object in a .yaml, .yml or .json file" : "the file holds no Kubernetes object",
                "Give a file with at least one object, or leave the path out.");

            // Validating nothing must not pass: an empty input is almost always a broken pipeline or a wrong path.
            void ReportEmpty(string input, string message, string hint)
            {
                if ((documents.Count, problems.Count) == before)
                {
                    problems.Add(new Finding(EmptyId, Severity.Error, null, input, 1, "", message, hint));
                }
            }
        }

        return new LoadResult(documents, problems);
    }

    /// <summary>
    /// Reads and parses files, on every core when there are several, and appends what each gave in the order of
    /// <paramref name="files"/>, so the result is the same as one file after another.
    /// </summary>
    private static async Task ReadFilesAsync(string[] files, List<ManifestDocument> documents, List<Finding> problems, CancellationToken cancellationToken)
    {
        if (files.Length == 1)
        {
            await ReadFileAsync(files[0], documents, problems, cancellationToken).ConfigureAwait(false);
            return;
        }

        var results = new (List<ManifestDocument> Documents, List<Finding> Problems)[files.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Length), cancellationToken, async (i, token) =>
        {
            var result = (Documents: new List<ManifestDocument>(), Problems: new List<Finding>());
            await ReadFileAsync(files[i], result.Documents, result.Problems, token).ConfigureAwait(false);
            results[i] = result;
        }).ConfigureAwait(false);
        foreach (var (fileDocuments, fileProblems) in results)
        {
            documents.AddRange(fileDocuments);
            problems.AddRange(fileProblems);
        }
    }

    private static async Task ReadFileAsync(string file, List<ManifestDocument> documents, List<Finding> problems, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new Finding(UnreadableId, Severity.Error, null, file, 1, "", $"cannot read the file: {e.Message}", "Check the path and its permissions."));
            return;
        }

        Parse(text, file, documents, problems);
    }

    /// <summary>Parses one text; the documents and problems are appended.</summary>
    public static void Parse(string text, string file, List<ManifestDocument> documents, List<Finding> problems)
    {
        List<YamlElement> roots;
        var duplicates = new List<YamlEntry>();
        try
        {
            roots = SplitYamlReader.Read(text, duplicates);
        }
        catch (YamlException e)
        {
            problems.Add(new Finding(UnreadableId, Severity.Error, null, file, (int)e.Start.Line, "", $"not valid YAML or JSON: {e.InnerException?.Message ?? e.Message}", "Fix the syntax at this line."));
            return;
        }

        var lines = new TextLines(text);
        var first = documents.Count;
        foreach (var root in roots)
        {
            switch (root)
            {
                case YamlMap map:
                    Add(map, file, lines, documents);
                    break;
                case YamlValue { Value: "" or "~" or "null" }:
                    break;
                default:
                    problems.Add(new Finding(UnreadableId, Severity.Error, null, file, root.Line, "", "a document must be a mapping (a Kubernetes object)", "Remove the stray document or wrap it in an object."));
                    break;
            }
        }

        // Keys given twice are findings on the object that holds them, so the rest of the file is still checked.
        if (duplicates.Count > 0)
        {
            for (var i = first; i < documents.Count; i++)
            {
                var found = new List<(string, YamlEntry)>();
                CollectDuplicates(documents[i].Node, "", found, 0);
                documents[i] = documents[i] with { DuplicateKeys = found };
            }
        }
    }

    private static void CollectDuplicates(YamlElement node, string path, List<(string, YamlEntry)> found, int depth)
    {
        // Aliases can make a node its own descendant's sibling many times over; the nesting limit bounds the walk.
        if (depth > Spec.Parsing.NestingLimit.MaxDepth)
        {
            return;
        }

        switch (node)
        {
            case YamlMap map:
                found.AddRange(map.DuplicateEntries.Select(e => (path, e)));
                foreach (var entry in map.Entries)
                {
                    CollectDuplicates(entry.Value, path.Length == 0 ? entry.Key : path + "." + entry.Key, found, depth + 1);
                }

                break;
            case YamlSeq seq:
                for (var i = 0; i < seq.Count; i++)
                {
                    CollectDuplicates(seq[i], string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}[{i}]"), found, depth + 1);
                }

                break;
        }
    }

    private static void Add(YamlMap map, string file, TextLines lines, List<ManifestDocument> documents)
    {
        if (map.Scalar("kind") is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && map.Get("items") is YamlSeq sequence)
        {
            foreach (var item in sequence.OfType<YamlMap>())
            {
                Add(item, file, lines, documents);
            }

            return;
        }

        documents.Add(new ManifestDocument(file, map.Line, map, SourceAbove(lines, map.Line)));
    }

    /// <summary>The nearest <c># Source:</c> comment above a document's first line, within its preamble.</summary>
    private static string? SourceAbove(TextLines lines, int line)
    {
        for (var i = line - 1; i >= 1 && lines.Seek(i); i--)
        {
            var text = lines.Current.Trim();
            if (text.StartsWith("---", StringComparison.Ordinal) || (text.Length > 0 && text[0] != '#'))
            {
                return null;
            }

            // Only comment lines become strings; most documents have none above them.
            if (text.Length > 0 && SourceComment().Match(text.ToString()) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }
        }

        return null;
    }

    /// <summary>
    /// The lines of a text as <c>Split('\n')</c> would give them, read through a cursor: documents are visited in
    /// order, so moving from one to the next is cheap, and no string or table is made per line.
    /// </summary>
    private sealed class TextLines(string text)
    {
        private int line = 1;
        private int start;

        /// <summary>The line the cursor is on.</summary>
        public ReadOnlySpan<char> Current
        {
            get
            {
                var end = text.IndexOf('\n', start);
                return text.AsSpan(start, (end < 0 ? text.Length : end) - start);
            }
        }

        /// <summary>Moves to a line, from 1; false when the text has fewer lines.</summary>
        public bool Seek(int target)
        {
            while (line < target)
            {
                var next = text.IndexOf('\n', start);
                if (next < 0)
                {
                    return false;
                }

                start = next + 1;
                line++;
            }

            while (line > target)
            {
                start = start < 2 ? 0 : text.LastIndexOf('\n', start - 2) + 1;
                line--;
            }

            return true;
        }
    }
}
