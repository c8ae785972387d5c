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

    [Fact]
    public async Task Admitted_GPU_jobs_grow_the_pool_to_its_maximum_and_it_shrinks_to_zero_after_the_queue_drains()
    {
        // A 3-node T4 pool under a 6-GPU quota: admission lets 6 jobs in, the autoscaler adds nodes for them up to the
        // pool's maximum and no further (the other admitted pods wait for a node), and removes them all afterwards.
        var aws = ClusterProfiles.Get("aws-gpu");
        var profile = aws with { Pools = [.. aws.Pools.Select(p => p.Name == "gpu-t4" ? p with { MaxNodes = 3 } : p)] };
        var cluster = new SandboxCluster(new SandboxEngine(profile));
        var quota = new ClusterQueueSpec("night", [new FlavorQuota("gpu-t4", GpuType.T4, new Quantities(18_000, 72L << 30, 6))]);
        var jobs = Backtests(9).Select(j => j with { Annotations = new Dictionary<string, string> { ["sandbox.keelson.dev/run-duration"] = "20m" } }).ToList();

        Assert.DoesNotContain(cluster.Engine.Store.List<k8s.Models.V1Node>(), n => n.Metadata.Labels?["keelson.dev/pool"] == "gpu-t4");

        var report = await JobQueueSimulation.RunAsync(cluster, profile, "gpu-t4", "quant", jobs, quota, TimeSpan.FromMinutes(1), TimeSpan.FromHours(6), default);

        // The autoscaler asks for all three nodes in its first pass (they exist, not yet ready, by the first sample) and
        // keeps exactly three until the queue drains; nine 20-minute jobs on three GPUs take three waves: the first
        // starts once the nodes are up (~80 s), the last ends just after the hour, sampled each minute: 62 minutes.
        Assert.Equal(3, report.PeakNodes);
        var counts = report.Samples.Select(s => s.Nodes).Where((n, i) => i == 0 || n != report.Samples[i - 1].Nodes).ToList();
        Assert.Equal([3, 0], counts);
        Assert.Equal(TimeSpan.FromMinutes(62), report.Makespan);

        // Ten minutes unneeded (the autoscaler's scale-down delay) after the last job ended, every T4 node is gone.
        Assert.Equal(TimeSpan.FromMinutes(72), report.Samples.First(s => s.Nodes == 0).At);
        Assert.Equal(0, report.NodesAtEnd);
    }
}
