using Keelson.Validation.Loading;
using YamlDotNet.Core;

namespace Keelson.Validation.Tests.Loading;

public sealed class YamlTreeReaderTests
{
    private static YamlMap Root(string text) => (YamlMap)YamlTreeReader.Read(text).Single();

    private static string Problem(string text) => Assert.ThrowsAny<YamlException>(() => YamlTreeReader.Read(text)) is var e ? $"{e.Start.Line}: {e.Message}" : "";

    [Fact]
    public void Nodes_keep_line_column_and_scalar_style()
    {
        var root = Root("a: 1\nb:\n  c: \"2\"\n  d: [x, 'y']\n");

        var c = (YamlValue)root.At("b.c")!;
        var d = (YamlSeq)root.At("b.d")!;
        Assert.Equal((3, 6, "2", false), (c.Line, c.Column, c.Value, c.IsPlain));
        Assert.Equal((4, 6, 2), (d.Line, d.Column, d.Count));
        Assert.True(((YamlValue)root.Get("a")!).IsPlain);
        Assert.Equal(ScalarStyle.SingleQuoted, ((YamlValue)d[1]).Style);
        Assert.Equal(["a", "b"], root.Entries.Select(e => e.Key));
    }

    [Fact]
    public void Large_mappings_find_keys_like_small_ones()
    {
        var keys = Enumerable.Range(0, 20).Select(i => $"k{i}").ToList();
        var root = Root(string.Join("\n", keys.Select(k => $"{k}: v-{k}")));

        Assert.All(keys, k => Assert.Equal($"v-{k}", root.Scalar(k)));
        Assert.Null(root.Get("k20"));
    }

    [Fact]
    public void An_alias_is_the_anchored_node_itself()
    {
        var root = Root("a: &probe {path: /h}\nb: *probe\n");

        Assert.Same(root.Get("a"), root.Get("b"));
        Assert.Equal(1, root.Get("b")!.Line);
    }

    [Fact]
    public void A_merge_key_stays_a_key_as_kubectl_reads_it()
    {
        var root = Root("base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n");

        var use = (YamlMap)root.Get("use")!;
        Assert.Equal(["<<", "y"], use.Entries.Select(e => e.Key));
        Assert.Same(root.Get("base"), use.Get("<<"));
    }

    [Theory]
    [InlineData("a: 1\nb: 2\na: 3\n", "3: Duplicate key a")]
    [InlineData("a: 1\nb: *nowhere\n", "2: The anchor 'nowhere' does not exists")]
    [InlineData("a: &x {b: *x}\n", "1: The alias '*x' refers to the node that contains it")]
    [InlineData("? [a, b]\n: c\n", "1: a mapping key must be a plain value, not a list or mapping")]
    [InlineData("? [a]\n: c\nd: [unclosed\n", "4: While parsing a flow sequence, did not find expected ',' or ']'.")]
    public void Input_a_manifest_cannot_be_is_a_located_yaml_error(string text, string expected) =>
        Assert.Equal(expected, Problem(text));

    [Fact]
    public void Anchors_do_not_reach_into_the_next_document()
    {
        Assert.Equal("4: The anchor 'a' does not exists", Problem("x: &a 1\n---\ny:\n  z: *a\n"));
    }

    [Fact]
    public void Same_content_ignores_quoting_but_not_order()
    {
        var root = Root("a: {x: 1, y: [z]}\nb: {x: \"1\", y: [z]}\nc: {y: [z], x: 1}\n");

        Assert.True(YamlElement.SameContent(root.Get("a"), root.Get("b")));
        Assert.False(YamlElement.SameContent(root.Get("a"), root.Get("c")));
    }
}
