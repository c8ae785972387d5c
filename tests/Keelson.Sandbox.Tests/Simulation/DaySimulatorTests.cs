using Keelson.Rendering;
using Keelson.Sandbox.Simulation;
using Keelson.Spec.Load;
using Keelson.Testing;

namespace Keelson.Sandbox.Tests.Simulation;

public class DaySimulatorTests
{
    private static readonly Manifest CallCenter = Stacks.Render("ai-call-center.yaml");

    private static LoadSpec Load(Manifest manifest) =>
        LoadParser.Parse(File.ReadAllText(Repo.File("examples", "loads", "call-center-day.yaml")), "call-center-day.yaml", [.. manifest.Plan.Components.Select(c => c.Name)]).Value!;

    [Fact]
    public async Task A_call_center_day_scales_up_for_the_morning_peak_and_back_down_at_night()
    {
        var report = await new DaySimulator().RunAsync(CallCenter, Load(CallCenter), TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), [], CancellationToken.None);

        Assert.Equal(24 * 60, report.Timeline.Count);
        var night = report.Timeline.Single(p => p.At == report.Start.AddHours(3));
        var peak = report.Timeline.Single(p => p.At == report.Start.AddHours(10.75));
        var late = report.Timeline.Single(p => p.At == report.Start.AddHours(23.5));

        // tts is sized for 22 replicas at the peak, its HPA floor is 3: the curve's 0.05 at night holds the floor.
        Assert.Equal(3, night.Components["tts"].Ready);
        Assert.InRange(peak.Components["tts"].Replicas, 20, 24);
        Assert.Equal(3, late.Components["tts"].Replicas);
        Assert.True(peak.NodesPerPool["gpu-t4"] > night.NodesPerPool["gpu-t4"] + 10);
        Assert.Equal(night.NodesPerPool["gpu-t4"], late.NodesPerPool["gpu-t4"]);

        // The database and cache do not autoscale.
        Assert.All(report.Timeline, p => Assert.Equal(1, p.Components["tenant-db"].Replicas));

        // Cost is node-hours times the hourly price, pool by pool, plus a day of the control plane.
        var profile = CallCenter.Plan.Spec.Cluster;
        var expected = report.Pools.Sum(p => p.NodeHours * profile.Pools.Single(x => x.Name == p.Name).Instance.Prices.OnDemandUsd) + (profile.ControlPlaneMonthlyUsd * 24 / 730);
        Assert.Equal(expected, report.CostUsd, 6);
        Assert.Equal(report.Timeline.Sum(p => p.NodesPerPool["gpu-t4"]) / 60.0, report.Pools.Single(p => p.Name == "gpu-t4").NodeHours, 6);
    }

    [Fact]
    public async Task Losing_a_node_is_reported_and_its_pods_come_back()
    {
        var load = new LoadSpec("flat", [new LoadPoint(TimeSpan.Zero, 0.5)], new Dictionary<string, ComponentLoad>());
        var report = await new DaySimulator().RunAsync(CallCenter, load, TimeSpan.FromHours(2), TimeSpan.FromMinutes(1), [new PlannedNodeLoss("general-000", TimeSpan.FromMinutes(30))], CancellationToken.None);

        Assert.Contains("00:30 node general-000 fails (injected)", report.Events);
        Assert.Contains(report.Events, e => e.EndsWith("node general-000 removed", StringComparison.Ordinal));
        var end = report.Timeline[^1];
        Assert.All(end.Components, c => Assert.Equal(c.Value.Replicas, c.Value.Ready));
    }

    [Fact]
    public async Task An_unknown_node_to_fail_is_refused_with_the_nodes_there_are()
    {
        var load = new LoadSpec("flat", [new LoadPoint(TimeSpan.Zero, 0.5)], new Dictionary<string, ComponentLoad>());
        var error = await Assert.ThrowsAsync<ArgumentException>(() => new DaySimulator().RunAsync(CallCenter, load, TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), [new PlannedNodeLoss("nope-1", TimeSpan.FromHours(1))], CancellationToken.None));
        Assert.Contains("no node 'nope-1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("general-000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_input_simulates_to_the_same_timeline()
    {
        var load = Load(CallCenter);
        var a = await new DaySimulator().RunAsync(CallCenter, load, TimeSpan.FromHours(12), TimeSpan.FromMinutes(1), [], CancellationToken.None);
        var b = await new DaySimulator().RunAsync(CallCenter, load, TimeSpan.FromHours(12), TimeSpan.FromMinutes(1), [], CancellationToken.None);

        Assert.Equal(a.Events, b.Events);
        Assert.Equal(a.Timeline.Select(p => string.Join(',', p.Components.Select(c => $"{c.Key}={c.Value.Replicas}/{c.Value.Ready}"))), b.Timeline.Select(p => string.Join(',', p.Components.Select(c => $"{c.Key}={c.Value.Replicas}/{c.Value.Ready}"))));
    }
}
