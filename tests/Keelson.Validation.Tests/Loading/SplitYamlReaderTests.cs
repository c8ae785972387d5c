using System.Globalization;
using System.Text;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Tests.Loading;

public sealed class SplitYamlReaderTests
{
    /// <summary>A long stream of objects with comments, block scalars, anchors and a key given twice, over <see cref="SplitYamlReader.MinLength"/>.</summary>
    private static string LongStream(int objects)
    {
        var text = new StringBuilder("# leading comment\n");
        for (var i = 0; i < objects; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"---\n# Source: chart/templates/cm-{i}.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  labels: &l {{app: a{i}}}\n");
            text.Append(CultureInfo.InvariantCulture, $"data:\n  script: |\n    echo {i}\n    ---\n  again: *l\n  twice: a\n  twice: b\n");
        }

        return text.ToString();
    }

    [Fact]
    public void A_long_stream_read_in_pieces_gives_the_roots_lines_and_duplicates_of_one_read()
    {
        var text = LongStream(3000);
        Assert.True(text.Length > SplitYamlReader.MinLength);
        Assert.True(SplitYamlReader.Cut(text, 8).Count > 2);

        var wholeDuplicates = new List<YamlEntry>();
        var whole = YamlTreeReader.Read(text, wholeDuplicates);
        var splitDuplicates = new List<YamlEntry>();
        var split = SplitYamlReader.Read(text, splitDuplicates);

        Assert.Equal(whole.Count, split.Count);
        Assert.All(whole.Zip(split), pair =>
        {
            Assert.True(YamlElement.SameContent(pair.First, pair.Second));
            Assert.Equal(pair.First.Line, pair.Second.Line);
            Assert.Equal(pair.First.At("data.script")?.Line, pair.Second.At("data.script")?.Line);
        });
        Assert.Equal(wholeDuplicates.Select(d => (d.Key, d.KeyLine, d.KeyColumn)), splitDuplicates.Select(d => (d.Key, d.KeyLine, d.KeyColumn)));
    }

    [Fact]
    public void Pieces_start_at_document_markers_with_their_line()
    {
        var text = LongStream(3000);
        var pieces = SplitYamlReader.Cut(text, 8);

        Assert.Equal((0, 1), pieces[0]);
        Assert.All(pieces.Skip(1), p =>
        {
            Assert.StartsWith("---\n", text[p.Start..], StringComparison.Ordinal);
            Assert.Equal(text[..p.Start].Count(c => c == '\n') + 1, p.Line);
        });
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\u2028")]
    public void Texts_with_other_line_breaks_are_not_cut(string lineBreak)
    {
        Assert.Empty(SplitYamlReader.Cut(LongStream(3000).Replace("\n", lineBreak, StringComparison.Ordinal), 8));
    }

    [Fact]
    public void Texts_with_directives_are_not_cut()
    {
        Assert.Empty(SplitYamlReader.Cut("%YAML 1.1\n" + LongStream(3000), 8));
    }

    [Fact]
    public void An_error_in_a_long_stream_is_reported_as_a_one_piece_read_reports_it()
    {
        var text = LongStream(3000) + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: [broken\n" + LongStream(100);
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();

        ManifestLoader.Parse(text, "in.yaml", documents, problems);

        var one = Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => YamlTreeReader.Read(text, []));
        var problem = Assert.Single(problems);
        Assert.Equal((int)one.Start.Line, problem.Line);
        Assert.Contains(one.Message, problem.Message, StringComparison.Ordinal);
        Assert.Empty(documents);
    }
}
