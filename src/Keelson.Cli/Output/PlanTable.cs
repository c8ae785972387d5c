using System.Globalization;
using Keelson.Planning;
using Spectre.Console;

namespace Keelson.Cli.Output;

/// <summary>The human view of a plan: components, pools, cost.</summary>
internal static class PlanTable
{
    public static void Write(Plan plan, IAnsiConsole console)
    {
        var spec = plan.Spec;
        console.MarkupLine(Invariant($"[bold]{Markup.Escape(spec.Metadata.DisplayName)}[/] ({Markup.Escape(spec.Metadata.Tenant)}, {spec.Metadata.Environment.ToString().ToLowerInvariant()}) — preset [bold]{plan.Preset}[/] — cluster {Markup.Escape(spec.Cluster.Name)}, prices as of {Markup.Escape(spec.Cluster.PricesAsOf ?? "unstated")}"));
        console.MarkupLine(Invariant($"SLA {spec.Sla.AvailabilityPercent}% availability, {spec.Sla.ResponseTime.TotalMilliseconds:0} ms response time"));
        console.WriteLine();

        var components = new Table().Border(TableBorder.Rounded).Title("Components");
        foreach (var header in new[] { "Component", "Kind", "Workload", "Replicas min/peak/max", "CPU req/limit", "Memory req/limit", "GPU", "Storage", "Pool", "Device", "$/month", "How" })
        {
            components.AddColumn(new TableColumn(header));
        }

        foreach (var c in plan.Components)
        {
            var first = true;
            foreach (var w in c.Workloads)
            {
                components.AddRow(
                    first ? Markup.Escape(c.Name) : "",
                    first ? c.Component.Kind : "",
                    Markup.Escape(w.Name),
                    Invariant($"{w.MinReplicas}/{w.Replicas}/{w.MaxReplicas}"),
                    Invariant($"{w.Pod.CpuRequest}/{w.Pod.CpuLimit}"),
                    Invariant($"{w.Pod.MemoryRequest}/{w.Pod.MemoryLimit}"),
                    Invariant($"{w.Pod.Gpus}"),
                    w.StoragePerReplica.Bytes == 0 ? "-" : w.SharedStorage ? Invariant($"{w.StoragePerReplica} shared") : Invariant($"{w.StoragePerReplica} × {w.Replicas}"),
                    first ? Markup.Escape(c.Pool) : "",
                    first ? c.Device : "",
                    first ? Usd(c.MonthlyUsd) : "",
                    first ? Markup.Escape(c.Rationale) : "");
                first = false;
            }
        }

        components.AddRow(
            "[bold]total[/]", "", "", "",
            Invariant($"{Sum(plan, c => c.Cpu.Cores):0.##} cores"),
            Invariant($"{Sum(plan, c => c.Memory.GiB):0.#} GiB"),
            Invariant($"{plan.Components.Sum(c => c.Gpus)}"),
            Invariant($"{Sum(plan, c => c.Storage.GiB):0.#} GiB"),
            "", "", Usd(plan.Components.Sum(c => c.MonthlyUsd)), "requests at peak");
        console.Write(components);

        var pools = new Table().Border(TableBorder.Rounded).Title("Node pools");
        foreach (var header in new[] { "Pool", "Role", "Instance", "Nodes peak/off-peak", "Lower bound", "CPU used", "Memory used", "$/month", "Why these nodes" })
        {
            pools.AddColumn(new TableColumn(header));
        }

        foreach (var p in plan.Pools)
        {
            pools.AddRow(
                Markup.Escape(p.Pool.Name),
                p.Pool.Role.ToString().ToLowerInvariant(),
                Markup.Escape(Invariant($"{p.Pool.Instance.Name} ({p.Pool.Instance.VCpu} vCPU, {p.Pool.Instance.Memory}{(p.Pool.Instance.Gpus > 0 ? $", {p.Pool.Instance.Gpus}×{p.Pool.Instance.Gpu}" : "")})")),
                Invariant($"{p.Nodes}/{p.OffPeakNodes}"),
                Invariant($"{p.LowerBound} ({p.Reason.LowerBoundBy})"),
                Invariant($"{p.CpuUtilisation * 100:0}%"),
                Invariant($"{p.MemoryUtilisation * 100:0}%"),
                Usd(p.MonthlyUsd),
                Markup.Escape(p.Reason.Summary));
        }

        console.Write(pools);

        var cost = plan.Cost;
        var options = spec.Cost;
        var money = new Table().Border(TableBorder.Rounded).Title("Monthly cost (730 h)");
        money.AddColumn("Line");
        money.AddColumn(new TableColumn("USD").RightAligned());
        money.AddRow("On demand, all nodes at peak" + (cost.ControlPlaneUsd > 0 ? Invariant($" (incl. control plane {Usd(cost.ControlPlaneUsd)})") : ""), Usd(cost.OnDemandUsd));
        money.AddRow(Invariant($"Spot for {options.SpotShare * 100:0}% of node-hours, alone"), Saving(cost.SpotSavingUsd));
        money.AddRow(Invariant($"Reserved for {options.ReservedShare * 100:0}% of always-on nodes, alone"), Saving(cost.ReservedSavingUsd));
        money.AddRow(Invariant($"Scale-down {options.ScaleDown.HoursPerWeek:0} h/week at minimum replicas, alone"), Saving(cost.ScaleDownSavingUsd));
        var saved = cost.OnDemandUsd == 0 ? 0 : 1 - (cost.OptimisedUsd / cost.OnDemandUsd);
        money.AddRow("[bold]All together[/]", Invariant($"[bold]{Usd(cost.OptimisedUsd)}[/] ({saved * 100:0}% less)"));
        console.Write(money);
    }

    private static double Sum(Plan plan, Func<ComponentPlan, double> f) => plan.Components.Sum(f);

    private static string Usd(double usd) => usd.ToString("$#,##0.00", CultureInfo.InvariantCulture);

    private static string Saving(double usd) => usd == 0 ? "-" : "-" + Usd(usd);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
