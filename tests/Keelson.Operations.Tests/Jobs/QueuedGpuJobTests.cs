using k8s.Models;
using Keelson.Delivery;
using Keelson.Operations.Jobs;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Objects;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Parsing;

namespace Keelson.Operations.Tests.Jobs;

/// <summary>
/// Stack jobs that ask for GPUs (<c>device: T4</c>, <c>gpus</c>): rendered suspended with an <c>nvidia.com/gpu</c>
/// request and their GPU type, charged against the queue's GPU quota of that type, admitted onto the matching GPU pool
/// and given a node by the sandbox's cluster autoscaler.
/// </summary>
public sealed class QueuedGpuJobTests
{
    // Two T4s and one V100 of quota; the GPU pools of aws-gpu start at zero nodes.
    private const string Stack = """
        metadata: {tenant: quant}
        cluster: {profile: aws-gpu}
        queues:
          - name: research
            flavors:
              - {pool: general, nominal: {cpu: 8, memory: 32Gi}}
              - {pool: gpu-t4, nominal: {cpu: 8, memory: 32Gi, gpu: 2}}
              - {pool: gpu-v100, nominal: {cpu: 8, memory: 32Gi, gpu: 1}}
        components:
          - {name: bt-a, kind: job, image: registry.example.com/quant/backtest:1.4, queue: research, device: T4, resources: {requests: {cpu: "2", memory: 4Gi}, limits: {cpu: "2", memory: 4Gi}}}
          - {name: bt-b, kind: job, image: registry.example.com/quant/backtest:1.4, queue: research, device: T4, priority: 5, resources: {requests: {cpu: "2", memory: 4Gi}, limits: {cpu: "2", memory: 4Gi}}}
          - {name: bt-c, kind: job, image: registry.example.com/quant/backtest:1.4, queue: research, device: T4, resources: {requests: {cpu: "2", memory: 4Gi}, limits: {cpu: "2", memory: 4Gi}}}
          - {name: bt-v, kind: job, image: registry.example.com/quant/backtest:1.4, queue: research, device: V100, gpus: 1, resources: {requests: {cpu: "2", memory: 4Gi}, limits: {cpu: "2", memory: 4Gi}}}
          - {name: prep, kind: job, image: registry.example.com/quant/prep:1.0, queue: research, resources: {requests: {cpu: "2", memory: 4Gi}, limits: {cpu: "2", memory: 4Gi}}}
        """;

    private static (SandboxCluster Cluster, QueuedJobAdmitter Admitter) Deliver()
    {
        var spec = StackParser.Parse(Stack, "stack.yaml");
        Assert.True(spec.Succeeded, string.Join("\n", spec.Diagnostics));
        var manifest = ManifestRenderer.Default.Render(Planner.Default.Plan(spec.Value!).Plan!);
        var start = new DateTimeOffset(2026, 3, 2, 22, 0, 0, TimeSpan.Zero);
        var cluster = new SandboxCluster(new SandboxEngine(spec.Value!.Cluster, new SandboxOptions { JobRun = TimeSpan.FromMinutes(10) }, start: start));
        new Deployer(cluster).ApplyAsync([.. manifest.Objects.Select(o => o.Resource)], null, CancellationToken.None).GetAwaiter().GetResult();
        return (cluster, new QueuedJobAdmitter(spec.Value!, cluster));
    }

    private static Dictionary<string, V1Job> Jobs(SandboxCluster cluster) => cluster.Engine.Store.List<V1Job>("quant").ToDictionary(j => j.Metadata.Name);

    private static int Nodes(SandboxCluster cluster, string pool) =>
        cluster.Engine.Store.List<V1Node>().Count(n => n.Metadata.Labels?.TryGetValue(JobManifest.PoolLabel, out var p) == true && p == pool);

    [Fact]
    public void A_queued_GPU_job_is_rendered_suspended_with_a_GPU_request_and_its_type()
    {
        var spec = StackParser.Parse(Stack, "stack.yaml");
        var manifest = ManifestRenderer.Default.Render(Planner.Default.Plan(spec.Value!).Plan!);
        var jobs = manifest.Objects.Select(o => o.Resource).OfType<V1Job>().ToDictionary(j => j.Metadata.Name);

        var bt = jobs["bt-a"];
        Assert.True(bt.Spec.Suspend);
        Assert.Equal("T4", bt.Metadata.Annotations[QueuedJobs.GpuTypeAnnotation]);
        var resources = Assert.Single(bt.Spec.Template.Spec.Containers).Resources;
        Assert.Equal("1", resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("1", resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Null(bt.Spec.Template.Spec.Affinity);
        Assert.Null(bt.Spec.Template.Spec.Tolerations);

        // A CPU job carries neither.
        Assert.False(jobs["prep"].Metadata.Annotations.ContainsKey(QueuedJobs.GpuTypeAnnotation));
        Assert.False(jobs["prep"].Spec.Template.Spec.Containers[0].Resources.Requests.ContainsKey("nvidia.com/gpu"));
        var workload = QueuedJobAdmitter.Workload(bt);
        Assert.Equal((1L, Keelson.Spec.Model.GpuType.T4), (workload.Request.Gpus, workload.Gpu));
    }

    [Fact]
    public async Task GPU_jobs_are_charged_by_type_admitted_onto_their_pool_and_the_autoscaler_adds_the_nodes()
    {
        var (cluster, admitter) = Deliver();
        Assert.Equal((0, 0), (Nodes(cluster, "gpu-t4"), Nodes(cluster, "gpu-v100")));

        // One pass: priority first (bt-b), then creation order, which is name order for Jobs created together. bt-c
        // would be the third T4 on a 2-T4 quota and steps aside (BestEffortFIFO); the V100 and CPU jobs go on.
        var first = await admitter.PassAsync(CancellationToken.None);
        Assert.Equal([("bt-b", "gpu-t4"), ("bt-a", "gpu-t4"), ("bt-v", "gpu-v100"), ("prep", "general")], first.Admitted);
        const string Why = "general: has no GPUs, the job asks for T4; gpu-t4: quota exceeded (gpu 3 > 2); gpu-v100: offers V100 GPUs, the job asks for T4";
        Assert.Equal(("bt-c", Why), (Assert.Single(first.Pending).Key, Assert.Single(first.Pending).Value));
        Assert.Equal(Why, Jobs(cluster)["bt-c"].Metadata.Annotations[QueuedJobAdmitter.WaitingAnnotation]);

        // The admitted GPU Jobs are pinned to their pool and tolerate its taint.
        var admitted = Jobs(cluster)["bt-a"];
        Assert.False(admitted.Spec.Suspend);
        var term = Assert.Single(admitted.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        Assert.Equal(("keelson.dev/pool", "gpu-t4"), (term.MatchExpressions[0].Key, term.MatchExpressions[0].Values[0]));
        Assert.Equal(("nvidia.com/gpu", "present", "NoSchedule"), (admitted.Spec.Template.Spec.Tolerations[0].Key, admitted.Spec.Template.Spec.Tolerations[0].Value, admitted.Spec.Template.Spec.Tolerations[0].Effect));

        // The cluster autoscaler adds one T4 node per admitted T4 pod (one GPU each) and a V100 node; the waiting
        // job gets none.
        await cluster.WaitAsync(TimeSpan.FromMinutes(3), CancellationToken.None);
        Assert.Equal((2, 1), (Nodes(cluster, "gpu-t4"), Nodes(cluster, "gpu-v100")));
        var pods = cluster.Engine.Store.List<V1Pod>("quant").Where(p => p.Spec.NodeName is not null).ToList();
        var nodePool = cluster.Engine.Store.List<V1Node>().ToDictionary(n => n.Metadata.Name, n => n.Metadata.Labels[JobManifest.PoolLabel]);
        Assert.Equal(
            ["bt-a gpu-t4", "bt-b gpu-t4", "bt-v gpu-v100", "prep general"],
            pods.Select(p => $"{p.Metadata.Labels["job-name"]} {nodePool[p.Spec.NodeName]}").Order(StringComparer.Ordinal).ToList());

        // bt-c is admitted once a T4 is free, and runs on one of the nodes already there.
        var later = new List<string>();
        for (var i = 0; i < 60 && JobManifest.Outcome(Jobs(cluster)["bt-c"]) is null; i++)
        {
            later.AddRange((await admitter.PassAsync(CancellationToken.None)).Admitted.Select(a => $"{a.Job} {a.Flavor}"));
            Assert.True(Nodes(cluster, "gpu-t4") <= 2, $"{Nodes(cluster, "gpu-t4")} T4 nodes");
            await cluster.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }

        Assert.Equal(["bt-c gpu-t4"], later);
        Assert.All(Jobs(cluster).Values, j => Assert.True(JobManifest.Outcome(j)?.Succeeded, j.Metadata.Name));
        Assert.True(Jobs(cluster)["bt-c"].Status.StartTime >= new[] { Jobs(cluster)["bt-a"].Status.CompletionTime, Jobs(cluster)["bt-b"].Status.CompletionTime }.Min());
    }
}
