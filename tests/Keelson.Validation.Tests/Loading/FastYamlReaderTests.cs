using System.Globalization;
using System.Text;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Output;
using Keelson.Spec.Parsing;
using Keelson.Testing;
using Keelson.Validation.Loading;
using YamlDotNet.Core;

namespace Keelson.Validation.Tests.Loading;

/// <summary>
/// <see cref="FastYamlReader"/> against <see cref="YamlTreeReader"/> (YamlDotNet): wherever the fast reader accepts a
/// text, the trees must be identical — kinds, values, styles, every node's and key's line and column.
/// </summary>
public sealed class FastYamlReaderTests
{
    /// <summary>Reads with both; fails on any difference where the fast reader accepts. True when it accepted.</summary>
    internal static bool AgreesWithYamlDotNet(string text, int lineOffset = 0)
    {
        var fast = FastYamlReader.TryRead(text, lineOffset);
        if (fast is null)
        {
            return false;
        }

        List<YamlElement> slow;
        var duplicates = new List<YamlEntry>();
        try
        {
            slow = YamlTreeReader.Read(text, duplicates, lineOffset);
        }
        catch (YamlException e)
        {
            Assert.Fail($"the fast reader accepted text YamlDotNet rejects ({e.Start.Line}: {e.Message}):\n{text}");
            throw;
        }

        Assert.True(duplicates.Count == 0, $"the fast reader accepted a key given twice:\n{text}");
        Assert.True(fast.Count == slow.Count, $"{fast.Count} documents, YamlDotNet {slow.Count}:\n{text}");
        for (var i = 0; i < fast.Count; i++)
        {
            if (Difference(fast[i], slow[i], $"document {i}") is { } difference)
            {
                Assert.Fail($"{difference}\n--- text:\n{text}");
            }
        }

        return true;
    }

    /// <summary>The first difference between two trees, positions and styles included, or null.</summary>
    internal static string? Difference(YamlElement fast, YamlElement slow, string path)
    {
        if (fast.GetType() != slow.GetType() || fast.Line != slow.Line || fast.Column != slow.Column)
        {
            return $"{path}: fast {fast.GetType().Name} at {fast.Line}:{fast.Column}, YamlDotNet {slow.GetType().Name} at {slow.Line}:{slow.Column}";
        }

        switch (fast, slow)
        {
            case (YamlValue x, YamlValue y):
                return x.Value == y.Value && x.Style == y.Style ? null : $"{path}: fast {x.Style} '{x.Value}', YamlDotNet {y.Style} '{y.Value}'";
            case (YamlSeq x, YamlSeq y):
                if (x.Count != y.Count)
                {
                    return $"{path}: fast {x.Count} items, YamlDotNet {y.Count}";
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (Difference(x[i], y[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case (YamlMap x, YamlMap y):
                if (x.Count != y.Count || x.DuplicateEntries.Count != y.DuplicateEntries.Count)
                {
                    return $"{path}: fast {x.Count} keys, YamlDotNet {y.Count}";
                }

                for (var i = 0; i < x.Count; i++)
                {
                    var (a, b) = (x.Entries[i], y.Entries[i]);
                    if (a.Key != b.Key || a.KeyLine != b.KeyLine || a.KeyColumn != b.KeyColumn)
                    {
                        return $"{path}: fast key '{a.Key}' at {a.KeyLine}:{a.KeyColumn}, YamlDotNet '{b.Key}' at {b.KeyLine}:{b.KeyColumn}";
                    }

                    if (Difference(a.Value, b.Value, $"{path}.{a.Key}") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            default:
                return $"{path}: unexpected node {fast.GetType().Name}";
        }
    }

    [Theory]
    [InlineData("a: 1\nb: two words  # comment\n")]
    [InlineData("# head\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    app: web\n")]
    [InlineData("a:\n  b:\n    c: d\ne: f")]
    [InlineData("list:\n- a\n- b\nnext: 1\n")]
    [InlineData("list:\n  - a\n  -   b\n")]
    [InlineData("containers:\n- name: web\n  image: nginx:1.2\n  ports:\n  - containerPort: 80\n    protocol: TCP\n- name: side\n")]
    [InlineData("- - a\n  - b\n- c\n")]
    [InlineData("a: \"x \\\"y\\\" \\n \\t \\\\ \\x41 \\u00e9 \\/\"\nb: 'it''s'\n'c d': \"e\"\n")]
    [InlineData("empty:\nalso: \nlast:")]
    [InlineData("items:\n-\n- # comment\n- x\n")]
    [InlineData("a: []\nb: {}\nc: [x, 'y', \"z\"]\nd: {k: v, 'q': \"w\"}\ne: [ 1 , 2 ]\n")]
    [InlineData("script: |\n  echo a\n\n  echo b\n    indented\n\nafter: 1\n")]
    [InlineData("script: |-\n  one\n  two\nfolded: >\n  a\n  b\n\n  c\nstrip: >-\n  x\n  y\n")]
    [InlineData("url: http://x/y#frag\ncolon: a:b\ntime: 12:30\nneg: -1\ndash: -x\n")]
    [InlineData("key : spaced\n\"quoted key\"  : v\n")]
    [InlineData("a: 1\n---\nb: 2\n---\n- x\n")]
    [InlineData("just a scalar\n")]
    [InlineData("a #b: c\n")]
    [InlineData("schedule: 0 * * * *\n")]
    [InlineData("literal: |\n  keeps  \n  # not a comment\n  ---\nnext: x # comment: y\n")]
    [InlineData("- |\n x\n- a: |-\n    y\n  b: 1\n")]
    [InlineData("\"quoted\"")]
    [InlineData("  indented: root\n  second: 2\n")]
    [InlineData("")]
    [InlineData("# only a comment\n\n")]
    public void Reads_the_manifest_subset_as_YamlDotNet_does(string text)
    {
        Assert.True(AgreesWithYamlDotNet(text), "declined");
        Assert.True(AgreesWithYamlDotNet(text, lineOffset: 41), "declined with an offset");
    }

    [Theory]
    [InlineData("a: &x 1\nb: *x\n")]
    [InlineData("a: !!str 1\n")]
    [InlineData("%YAML 1.2\n---\na: 1\n")]
    [InlineData("? a\n: b\n")]
    [InlineData("[a]: b\n")]
    [InlineData("a:\tb\n")]
    [InlineData("a: b\r\n")]
    [InlineData("a: caf\u00e9\n")]
    [InlineData("a: one\n  two\n")]
    [InlineData("a: \"one\n  two\"\n")]
    [InlineData("a: [x,\n  y]\n")]
    [InlineData("a: [[x]]\n")]
    [InlineData("a: [x, ]\n")]
    [InlineData("---\n---\na: 1\n")]
    [InlineData("a: 1\n---\n")]
    [InlineData("a: 1\n...\n")]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("a: 1\n b: 2\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: |+\n  x\n")]
    [InlineData("a: |2\n   x\n")]
    [InlineData("a: >\n  x\n    y\n")]
    [InlineData("a: |\n  x")]
    [InlineData("a: \"\\N\"\n")]
    [InlineData("a: 1\n- b\n")]
    [InlineData("- a\nb: 1\n")]
    [InlineData("{\n  \"a\": 1\n}\n")]
    [InlineData("a: @b\n")]
    [InlineData("a: >\n  x \n  y\n")]
    [InlineData("a: [x -]\n")]
    [InlineData("a: {b: }\n")]
    [InlineData("a: {b:c}\n")]
    [InlineData("a: \"x\\\n  y\"\n")]
    [InlineData("a: - b\n")]
    [InlineData("a: b:\n")]
    [InlineData("--- a: b\n")]
    [InlineData("a *b: v\n")]
    [InlineData("a: 'unterminated\n")]
    public void Declines_what_it_does_not_read_exactly(string text)
    {
        Assert.Null(FastYamlReader.TryRead(text));
    }

    [Fact]
    public void Declines_nesting_near_the_limit_so_YamlDotNet_reports_it()
    {
        var deep = new StringBuilder();
        for (var i = 0; i < NestingLimit.MaxDepth + 5; i++)
        {
            deep.Append(' ', i * 2).Append(CultureInfo.InvariantCulture, $"k{i}:\n");
        }

        Assert.Null(FastYamlReader.TryRead(deep.ToString()));
        Assert.Throws<YamlException>(() => SplitYamlReader.Read(deep.ToString(), []));
    }

    [Fact]
    public void Every_yaml_and_json_file_of_the_repository_reads_the_same_where_accepted()
    {
        var skip = new[] { "bin", "obj", "node_modules", ".git", ".keelson" };
        var files = Directory.EnumerateFiles(Repo.Root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".json")
            .Where(f => !Path.GetRelativePath(Repo.Root, f).Split(Path.DirectorySeparatorChar).Any(skip.Contains))
            .ToList();
        Assert.True(files.Count > 80, $"{files.Count} files");

        var accepted = files.Count(f => AgreesWithYamlDotNet(File.ReadAllText(f)));

        // The validation corpus is mostly YAML of the kinds real manifests use: most of it must be read here.
        var corpus = files.Where(f => f.Contains("corpus", StringComparison.Ordinal) && f.EndsWith(".yaml", StringComparison.Ordinal)).ToList();
        Assert.True(corpus.Count(f => FastYamlReader.TryRead(File.ReadAllText(f)) is not null) * 2 > corpus.Count, $"{accepted} of {files.Count} accepted");
    }

    [Fact]
    public void Rendered_manifests_are_read_by_the_fast_reader()
    {
        foreach (var path in Repo.Examples)
        {
            var spec = StackParser.Parse(File.ReadAllText(path), path).Value!;
            var yaml = ManifestYaml.Documents(ManifestRenderer.Default.Render(Planner.Default.Plan(spec).Plan!).Objects.Select(o => o.Resource));
            Assert.True(AgreesWithYamlDotNet(yaml), $"declined the rendering of {path}");

            // As SplitYamlReader reads a piece: from a document marker, with its line offset.
            var marker = yaml.IndexOf("\n---\n", yaml.Length / 2, StringComparison.Ordinal);
            if (marker > 0)
            {
                var offset = yaml.AsSpan(0, marker + 1).Count('\n');
                Assert.True(AgreesWithYamlDotNet(yaml[(marker + 1)..], offset));
            }
        }
    }

    [Fact]
    public void A_long_rendered_stream_read_in_pieces_matches_one_YamlDotNet_read()
    {
        var rendered = Repo.Examples.Select(path =>
        {
            var spec = StackParser.Parse(File.ReadAllText(path), path).Value!;
            return ManifestYaml.Documents(ManifestRenderer.Default.Render(Planner.Default.Plan(spec).Plan!).Objects.Select(o => o.Resource));
        }).ToList();
        var text = new StringBuilder();
        while (text.Length < SplitYamlReader.MinLength * 2)
        {
            foreach (var yaml in rendered)
            {
                text.Append("---\n# Source: rendered\n").Append(yaml);
            }
        }

        var whole = YamlTreeReader.Read(text.ToString(), []);
        var split = SplitYamlReader.Read(text.ToString(), []);

        Assert.True(SplitYamlReader.Cut(text.ToString(), 8).Count > 2);
        Assert.True(FastYamlReader.TryRead(text.ToString()) is not null);
        Assert.Equal(whole.Count, split.Count);
        for (var i = 0; i < whole.Count; i++)
        {
            Assert.Null(Difference(split[i], whole[i], $"document {i}"));
        }
    }

    [Fact]
    public void Generated_and_mutated_texts_read_the_same_or_are_declined()
    {
        var random = new Random(20261207);
        var accepted = 0;
        var mutatedAccepted = 0;
        for (var i = 0; i < 400; i++)
        {
            var text = YamlTextGenerator.Document(random);
            if (AgreesWithYamlDotNet(text))
            {
                accepted++;
            }

            for (var m = 0; m < 4; m++)
            {
                if (AgreesWithYamlDotNet(YamlTextGenerator.Mutate(text, random)))
                {
                    mutatedAccepted++;
                }
            }
        }

        // The generator writes mostly the subset, so the comparisons above are mostly real ones.
        Assert.True(accepted > 200, $"{accepted} of 400 generated texts accepted");
        Assert.True(mutatedAccepted > 100, $"{mutatedAccepted} of 1,600 mutated texts accepted");
    }
}
