using Keelson.Operations.Jobs;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Model;
using Keelson.Spec.Profiles;

namespace Keelson.Operations.Tests.Jobs;

/// <summary>A small night on the sandbox: GPU backtests through a queue and as plain FIFO, on a T4 pool that starts at zero nodes.</summary>
public sealed class JobQueueSimulationTests
{
    private static List<JobSpec> Backtests(int count) => [.. Enumerable.Range(0, count).Select(i => new JobSpec
    {
        Name = $"backtest-{i:D3}", Queue = "night", Image = "registry.example.com/quant/backtest:1.4",
        MilliCpu = 3000, MemoryBytes = 12L << 30, Gpus = 1, Gpu = GpuType.T4,
        Annotations = new Dictionary<string, string> { ["sandbox.keelson.dev/run-duration"] = $"{10 + (i * 7 % 30)}m" },
    })];

    private static async Task<QueueSimulationReport> RunAsync(ClusterQueueSpec? queue, int count)
    {
        var profile = ClusterProfiles.Get("aws-gpu");
        var cluster = new SandboxCluster(new SandboxEngine(profile));
        return await JobQueueSimulation.RunAsync(cluster, profile, "gpu-t4", "quant", Backtests(count), queue, TimeSpan.FromMinutes(1), TimeSpan.FromHours(12), default);
    }

    [Fact]
    public async Task A_GPU_quota_caps_the_nodes_the_autoscaler_adds_and_every_job_still_runs()
    {
        var quota = new ClusterQueueSpec("night", [new FlavorQuota("gpu-t4", GpuType.T4, new Quantities(12_000, 48L << 30, 4))]);

        var queued = await RunAsync(quota, 24);
        var fifo = await RunAsync(null, 24);

        // Through the queue at most 4 GPUs are in use, so the autoscaler never needs more than 4 T4 nodes; plain FIFO
        // makes every pod pending at once and the pool grows further.
        Assert.InRange(queued.PeakNodes, 1, 4);
        Assert.True(fifo.PeakNodes > queued.PeakNodes, $"fifo peak {fifo.PeakNodes}, queued peak {queued.PeakNodes}");
        Assert.True(fifo.Makespan < queued.Makespan);

        // The same work either way: 24 jobs of 10–39 minutes on one GPU each.
        var work = Enumerable.Range(0, 24).Sum(i => 10 + (i * 7 % 30)) / 60.0;
        Assert.InRange(queued.GpuHours, work, work + 24 * 2 / 60.0);
        Assert.InRange(fifo.GpuHours, work, work + 24 * 2 / 60.0);

        // After the queue drains the autoscaler removes the GPU nodes again (the pool's minimum is zero).
        Assert.Equal(0, queued.NodesAtEnd);
        Assert.Equal(0, fifo.NodesAtEnd);
    }
}
