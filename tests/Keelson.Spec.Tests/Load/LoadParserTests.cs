using Keelson.Spec.Load;
using Keelson.Spec.Parsing;

namespace Keelson.Spec.Tests.Load;

public class LoadParserTests
{
    private static readonly string[] Components = ["callbot", "advisor", "stt"];

    [Fact]
    public void Parses_the_curve_sorted_and_the_overrides()
    {
        var result = LoadParser.Parse("""
            kind: Load
            name: weekday
            curve:
              "10:00": 1.0
              "00:00": 0.1
              "21:00": 0.4
            components:
              callbot: {scale: 1.5}
              advisor:
                curve: {"09:00": 1, "18:00": 0}
            """, "load.yaml", Components);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var load = result.Value!;
        Assert.Equal("weekday", load.Name);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromHours(10), TimeSpan.FromHours(21)], load.Curve.Select(p => p.At));
        Assert.Equal(1.5, load.Share("callbot", TimeSpan.FromHours(10)), 6);
        Assert.Equal(1.0, load.Share("advisor", TimeSpan.FromHours(9)), 6);
        Assert.Equal(1.0, load.Share("stt", TimeSpan.FromHours(10)), 6);
    }

    [Theory]
    [InlineData(7.0, 0.2)] // between 06:00 (0.05) and 08:00 (0.35): halfway
    [InlineData(10.75, 1.0)] // on the plateau 10:00–11:30
    [InlineData(23.0, 0.15 + ((0.05 - 0.15) * 2 / 3))] // 21:00 (0.15) wraps to 00:00 (0.05) at 24:00
    [InlineData(3.0, 0.05)]
    public void Interpolates_linearly_and_wraps_at_midnight(double hours, double expected)
    {
        IReadOnlyList<LoadPoint> curve =
        [
            new(TimeSpan.Zero, 0.05), new(TimeSpan.FromHours(6), 0.05), new(TimeSpan.FromHours(8), 0.35),
            new(TimeSpan.FromHours(10), 1.0), new(TimeSpan.FromHours(11.5), 1.0), new(TimeSpan.FromHours(21), 0.15),
        ];
        Assert.Equal(expected, LoadSpec.Interpolate(curve, TimeSpan.FromHours(hours)), 6);
    }

    [Fact]
    public void A_curve_starting_after_midnight_wraps_from_its_last_point()
    {
        IReadOnlyList<LoadPoint> curve = [new(TimeSpan.FromHours(6), 0.2), new(TimeSpan.FromHours(18), 0.8)];
        // 18:00 (0.8) → 06:00 next day (0.2) over 12 h; 03:00 is 9 h in.
        Assert.Equal(0.8 + ((0.2 - 0.8) * 9 / 12), LoadSpec.Interpolate(curve, TimeSpan.FromHours(3)), 6);
    }

    [Theory]
    [InlineData("curve: {\"25:00\": 1}", DiagnosticCodes.InvalidValue, 1, "curve.25:00", "HH:MM")]
    [InlineData("curve: {\"09:00\": 11}", DiagnosticCodes.OutOfRange, 1, "curve.09:00", "10")]
    [InlineData("name: x", DiagnosticCodes.MissingField, 1, "curve", "curve")]
    [InlineData("curve: {\"09:00\": 1}\ncomponents:\n  chatbot: {scale: 2}", DiagnosticCodes.UnknownReference, 3, "components.chatbot", "advisor, callbot, stt")]
    [InlineData("curve: {\"09:00\": 1}\nsteps: 3", DiagnosticCodes.UnknownField, 2, "steps", "steps")]
    public void Bad_input_is_located_with_code_path_and_what_is_allowed(string text, string code, int line, string path, string mentions)
    {
        var result = LoadParser.Parse(text, "load.yaml", Components);

        Assert.False(result.Succeeded);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((code, "load.yaml", line, path), (d.Code, d.File, d.Line, d.Path));
        Assert.Contains(mentions, d.Message, StringComparison.Ordinal);
    }
}
