using System.Globalization;
using System.Text.Json;
using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Metrics;
using Spectre.Console;

namespace Keelson.Cli.Output;

/// <summary>One pod's usage as <c>kubectl top pods</c> shows it: CPU in millicores, memory in bytes.</summary>
internal sealed record TopPod(string Name, string Node, long CpuMillicores, long MemoryBytes);

/// <summary>One node's usage and its share of the node's allocatable, as <c>kubectl top nodes</c> shows it.</summary>
internal sealed record TopNode(string Name, long CpuMillicores, int CpuPercent, long MemoryBytes, int MemoryPercent);

/// <summary>What <c>keelson top</c> reports: a stack's pods and the nodes they run on, at one sandbox instant.</summary>
internal sealed record TopReport(string Namespace, DateTimeOffset Timestamp, IReadOnlyList<TopPod> Pods, IReadOnlyList<TopNode> Nodes)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>
    /// Reads the usage model the way kubectl reads metrics-server: each container rounded to whole nanocores and Ki
    /// (the <c>metrics.k8s.io</c> quantities), summed per pod, CPU rounded up to millicores.
    /// </summary>
    public static TopReport Read(SandboxContext context, string ns, string sortBy)
    {
        var usage = UsageModel.Pods(context);
        var pods = usage.Where(u => u.Namespace == ns)
            .Select(u => new TopPod(u.Name, u.Node, Millicores(u.Containers.Sum(c => Nanocores(c.CpuMillis))), u.Containers.Sum(c => c.MemoryBytes / 1024 * 1024)))
            .ToList();
        var used = pods.Select(p => p.Node).ToHashSet(StringComparer.Ordinal);
        var allocatable = context.Store.List<V1Node>().ToDictionary(n => n.Metadata.Name, n => n.Status?.Allocatable, StringComparer.Ordinal);
        var nodes = UsageModel.Nodes(context, usage).Where(n => used.Contains(n.Name)).Select(n =>
        {
            var cpu = Millicores(Nanocores(n.CpuMillis));
            var memory = n.MemoryBytes / 1024 * 1024;
            var of = allocatable.GetValueOrDefault(n.Name);
            return new TopNode(n.Name, cpu, Percent(cpu, Quantity(of, "cpu", milli: true)), memory, Percent(memory, Quantity(of, "memory", milli: false)));
        }).ToList();
        return new TopReport(ns, new DateTimeOffset(context.Now, TimeSpan.Zero), Sort(pods, sortBy, p => p.CpuMillicores, p => p.MemoryBytes, p => p.Name), Sort(nodes, sortBy, n => n.CpuMillicores, n => n.MemoryBytes, n => n.Name));
    }

    /// <summary>Two tables in kubectl's columns.</summary>
    public void WriteTable(IAnsiConsole console)
    {
        console.MarkupLine(Invariant($"[bold]{Markup.Escape(Namespace)}[/] at {Timestamp:yyyy-MM-dd HH:mm:ss}Z (sandbox clock)"));
        var pods = new Table().Border(TableBorder.Rounded).Title("Pods").AddColumn("NAME").AddColumn(new TableColumn("CPU(cores)").RightAligned()).AddColumn(new TableColumn("MEMORY(bytes)").RightAligned()).AddColumn("NODE");
        foreach (var p in Pods)
        {
            pods.AddRow(Markup.Escape(p.Name), Invariant($"{p.CpuMillicores}m"), Invariant($"{p.MemoryBytes / (1024 * 1024)}Mi"), Markup.Escape(p.Node));
        }

        console.Write(pods);
        var nodes = new Table().Border(TableBorder.Rounded).Title("Nodes running them").AddColumn("NAME").AddColumn(new TableColumn("CPU(cores)").RightAligned())
            .AddColumn(new TableColumn("CPU(%)").RightAligned()).AddColumn(new TableColumn("MEMORY(bytes)").RightAligned()).AddColumn(new TableColumn("MEMORY(%)").RightAligned());
        foreach (var n in Nodes)
        {
            nodes.AddRow(Markup.Escape(n.Name), Invariant($"{n.CpuMillicores}m"), Invariant($"{n.CpuPercent}%"), Invariant($"{n.MemoryBytes / (1024 * 1024)}Mi"), Invariant($"{n.MemoryPercent}%"));
        }

        console.Write(nodes);
    }

    /// <summary>The report as JSON (snake_case, exact units).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private static List<T> Sort<T>(List<T> items, string sortBy, Func<T, long> cpu, Func<T, long> memory, Func<T, string> name) => sortBy switch
    {
        // Heaviest first, as kubectl top --sort-by does; the name breaks ties so the order is stable.
        "cpu" => [.. items.OrderByDescending(cpu).ThenBy(name, StringComparer.Ordinal)],
        "memory" => [.. items.OrderByDescending(memory).ThenBy(name, StringComparer.Ordinal)],
        _ => [.. items.OrderBy(name, StringComparer.Ordinal)],
    };

    private static long Nanocores(double millis) => (long)Math.Round(millis * 1_000_000);

    // kubectl shows Quantity.MilliValue(), which rounds up.
    private static long Millicores(long nanocores) => (nanocores + 999_999) / 1_000_000;

    private static long Quantity(IDictionary<string, ResourceQuantity>? resources, string name, bool milli) =>
        resources is not null && resources.TryGetValue(name, out var q) ? (long)(q.ToDecimal() * (milli ? 1000 : 1)) : 0;

    private static int Percent(long used, long of) => of <= 0 ? 0 : (int)(used * 100 / of);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
