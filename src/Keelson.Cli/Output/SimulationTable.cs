using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keelson.Sandbox.Simulation;
using Spectre.Console;

namespace Keelson.Cli.Output;

/// <summary>The human view of a simulation: replicas and nodes hour by hour, SLA minutes lost, pending time, cost.</summary>
internal static class SimulationTable
{
    public static void Write(SimulationReport report, IAnsiConsole console)
    {
        var hours = (int)Math.Ceiling(report.Duration.TotalHours);
        var columns = Enumerable.Range(0, hours).Select(h => report.Start.AddHours(h + 1)).ToList();
        TimelinePoint At(DateTimeOffset when) => report.Timeline.LastOrDefault(p => p.At <= when) ?? report.Timeline[0];

        console.MarkupLine(Invariant($"[bold]{Markup.Escape(report.Load)}[/]: {report.Duration.TotalHours:0.#} h from {report.Start:yyyy-MM-dd HH:mm}Z in {report.Step.TotalSeconds:0} s steps"));
        var replicas = new Table().Border(TableBorder.Rounded).Title("Ready replicas at the end of each hour").AddColumn("Component");
        columns.ForEach(c => replicas.AddColumn(new TableColumn(Invariant($"{(c - report.Start).TotalHours:0}")).RightAligned()));
        replicas.AddColumn("min–max").AddColumn("SLA min lost");
        foreach (var component in report.Components)
        {
            replicas.AddRow([Markup.Escape(component.Name), .. columns.Select(c => Invariant($"{At(c).Components[component.Name].Ready}")),
                Invariant($"{component.MinReplicas}–{component.MaxReplicas}"), component.SlaMinutesLost > 0 ? Invariant($"[red]{component.SlaMinutesLost:0}[/]") : "0"]);
        }

        console.Write(replicas);

        var nodes = new Table().Border(TableBorder.Rounded).Title("Nodes per pool at the end of each hour").AddColumn("Pool");
        columns.ForEach(c => nodes.AddColumn(new TableColumn(Invariant($"{(c - report.Start).TotalHours:0}")).RightAligned()));
        nodes.AddColumn("min–max").AddColumn("node-hours").AddColumn("$");
        foreach (var pool in report.Pools)
        {
            nodes.AddRow([Markup.Escape(pool.Name), .. columns.Select(c => Invariant($"{At(c).NodesPerPool[pool.Name]}")),
                Invariant($"{pool.MinNodes}–{pool.MaxNodes}"), Invariant($"{pool.NodeHours:0.#}"), Invariant($"{pool.CostUsd:#,0.00}")]);
        }

        console.Write(nodes);
        console.MarkupLine(Invariant($"SLA minutes lost: [bold]{report.Components.Sum(c => c.SlaMinutesLost):0}[/] (component-minutes with demand above ready capacity or no ready pod)"));
        console.MarkupLine(Invariant($"Pending pod-minutes: [bold]{report.PendingPodMinutes:0}[/]; cost of the period on demand: [bold]${report.CostUsd:#,0.00}[/]"));
        foreach (var line in report.Events)
        {
            console.WriteLine("  " + line);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>JSON options for simulation reports: camelCase, durations as strings.</summary>
internal static class SimulationJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
