using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Keelson.Cli.Output;

/// <summary>The human view of a monitoring query: one row per series with its summary and a one-line chart of its points.</summary>
internal static class MetricsTable
{
    private const string Bars = "▁▂▃▄▅▆▇█";

    /// <summary>Widest chart; longer series are bucketed by mean so the line keeps its shape.</summary>
    public const int ChartWidth = 40;

    public static void Write(JsonObject answer, IAnsiConsole console)
    {
        var series = answer["series"]?.AsArray() ?? [];
        var step = answer["step_seconds"]?.GetValue<double?>() is { } s ? Invariant($"{s:0.###} s steps ({answer["aggregation"]?.GetValue<string>()})") : "raw samples";
        console.MarkupLine(Invariant($"[bold]{Markup.Escape(answer["tenant_id"]?.GetValue<string>() ?? "")}[/] from {Time(answer["start"])} to {Time(answer["end"])}, {step}, source {Markup.Escape(answer["source"]?.GetValue<string>() ?? "")}"));
        if (series.Count == 0)
        {
            console.WriteLine("No samples in this window.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("METRIC").AddColumn("SOURCE").AddColumn(new TableColumn("POINTS").RightAligned());
        foreach (var name in new[] { "MIN", "AVG", "P95", "MAX", "LAST" })
        {
            table.AddColumn(new TableColumn(name).RightAligned());
        }

        table.AddColumn("CHART");
        foreach (var item in series)
        {
            var points = item!["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()).ToList();
            var summary = item["summary"]!;
            table.AddRow(
                Markup.Escape(item["metric_name"]!.GetValue<string>()),
                Markup.Escape(item["source"]?.GetValue<string>() ?? ""),
                Invariant($"{points.Count}"),
                Number(summary["min"]), Number(summary["avg"]), Number(summary["p95"]), Number(summary["max"]), Number(summary["last"]),
                Chart(points));
        }

        console.Write(table);
    }

    /// <summary>A sparkline of <paramref name="values"/>, at most <see cref="ChartWidth"/> characters, scaled between their min and max.</summary>
    public static string Chart(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return "";
        }

        var buckets = values.Count <= ChartWidth
            ? values
            : [.. Enumerable.Range(0, ChartWidth).Select(i => values.Skip(i * values.Count / ChartWidth).Take(((i + 1) * values.Count / ChartWidth) - (i * values.Count / ChartWidth)).Average())];
        var (min, max) = (buckets.Min(), buckets.Max());
        var text = new StringBuilder(buckets.Count);
        foreach (var v in buckets)
        {
            text.Append(max > min ? Bars[(int)Math.Round((v - min) / (max - min) * (Bars.Length - 1))] : Bars[Bars.Length / 2]);
        }

        return text.ToString();
    }

    private static string Number(JsonNode? node) => node?.GetValue<double?>() is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-";

    private static string Time(JsonNode? node) => node?.GetValue<DateTimeOffset>() is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "?";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
