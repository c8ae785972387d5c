using System.Globalization;
using System.Text;
using Keelson.Operations.Jobs;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Model;
using Keelson.Spec.Profiles;

namespace Keelson.Bench;

/// <summary>
/// Seed 001's night on the sandbox: 500 GPU backtests of varying length (20–140 minutes, deterministic) submitted at
/// once to the aws-gpu profile's T4 pool (0–40 nodes), as plain FIFO (every Job created at once) and through queues
/// with a 40-GPU and a 20-GPU quota. Prints makespan, GPU-hours, node-hours, cost and the node count per hour.
/// </summary>
public static class NightSimulation
{
    /// <summary>Runs the three nights and returns the Markdown for docs/performance.md.</summary>
    public static async Task<string> RunAsync()
    {
        var jobs = Enumerable.Range(0, 500).Select(i => new JobSpec
        {
            Name = $"backtest-{i:D3}", Queue = "night", Image = "registry.example.com/quant/backtest:1.4",
            MilliCpu = 3000, MemoryBytes = 12L << 30, Gpus = 1, Gpu = GpuType.T4,
            Annotations = new Dictionary<string, string> { ["sandbox.keelson.dev/run-duration"] = $"{20 + (i * 37 % 121)}m" },
        }).ToList();
        var runs = new List<(string Name, QueueSimulationReport Report, TimeSpan Wall)>();
        foreach (var (name, gpus) in new (string, int?)[] { ("plain FIFO, no quota", null), ("queue, 40-GPU quota", 40), ("queue, 20-GPU quota", 20) })
        {
            var profile = ClusterProfiles.Get("aws-gpu");
            var cluster = new SandboxCluster(new SandboxEngine(profile));
            var queue = gpus is { } g ? new ClusterQueueSpec("night", [new FlavorQuota("gpu-t4", GpuType.T4, new Quantities(g * 4000L, g * (16L << 30), g))]) : null;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var report = await JobQueueSimulation.RunAsync(cluster, profile, "gpu-t4", "quant", jobs, queue, TimeSpan.FromMinutes(1), TimeSpan.FromHours(48), default);
            runs.Add((name, report, watch.Elapsed));
            System.Console.Error.WriteLine($"{name}: {watch.Elapsed.TotalSeconds:F0} s wall");
        }

        var text = new StringBuilder();
        text.AppendLine("| run | makespan | GPU-hours (jobs) | node-hours | cost (on-demand) | peak nodes | simulated in |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (name, r, wall) in runs)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {r.Makespan.TotalHours:F2} h | {r.GpuHours:F1} | {r.NodeHours:F1} | ${r.CostUsd:F2} | {r.PeakNodes} | {wall.TotalSeconds:F0} s |");
        }

        text.AppendLine();
        var hours = (int)Math.Ceiling(runs.Max(r => r.Report.Samples[^1].At.TotalHours));
        text.AppendLine("| T4 nodes at hour | " + string.Join(" | ", Enumerable.Range(0, hours + 1)) + " |");
        text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", hours + 1)));
        foreach (var (name, r, _) in runs)
        {
            var perHour = Enumerable.Range(0, hours + 1).Select(h => r.Samples.LastOrDefault(s => s.At <= TimeSpan.FromHours(h))?.Nodes ?? 0);
            text.AppendLine($"| {name} | " + string.Join(" | ", perHour) + " |");
        }

        return text.ToString();
    }
}
