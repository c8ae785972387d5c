using k8s.Models;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Tests.Kubelet;

public class SimulatedKubeletTests
{
    [Fact]
    public void A_pod_pulls_once_per_node_starts_and_turns_ready_after_its_probe_delay()
    {
        // 8 s pull + 1 s start, then the readiness probe's 5 s initial delay.
        var cluster = Small.Cluster();
        var web = Small.Deployment("web", 1);
        web.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "general-000" };
        cluster.Apply(web);
        cluster.Engine.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal("Pending", Single(cluster).Status.Phase);
        cluster.Engine.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("Running", Single(cluster).Status.Phase);
        Assert.False(Pods.IsReady(Single(cluster)));
        cluster.Engine.Advance(TimeSpan.FromSeconds(5));
        Assert.True(Pods.IsReady(Single(cluster)));

        // A second pod of the same image on the same node skips the pull: running after 1 s.
        web.Spec.Replicas = 2;
        cluster.Apply(web);
        cluster.Engine.Advance(TimeSpan.FromSeconds(2));
        Assert.All(Small.Pods(cluster, "web"), p => Assert.Equal("Running", p.Status.Phase));
    }

    [Fact]
    public void Crash_loops_restart_with_doubling_back_off_and_never_turn_ready()
    {
        var cluster = Small.Cluster();
        cluster.Engine.Context.Faults.Add(new CrashLoop("web-", TimeSpan.FromSeconds(2)));
        cluster.Apply(Small.Deployment("web", 1));

        // Runs at 9 s, exits at 11 s (restart 1, back-off 10 s), runs at 22 s, exits at 24 s (restart 2, 20 s), runs at 45 s ...
        cluster.Engine.Advance(TimeSpan.FromSeconds(12));
        var status = Single(cluster).Status.ContainerStatuses.Single();
        Assert.Equal(1, status.RestartCount);
        Assert.Equal("CrashLoopBackOff", status.State.Waiting.Reason);
        cluster.Engine.Advance(TimeSpan.FromSeconds(13));
        Assert.Equal(2, Single(cluster).Status.ContainerStatuses.Single().RestartCount);
        cluster.Engine.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(2, Single(cluster).Status.ContainerStatuses.Single().RestartCount);
        cluster.Engine.Advance(TimeSpan.FromMinutes(5));
        Assert.False(Pods.IsReady(Single(cluster)));
        Assert.Equal("Error", Single(cluster).Status.ContainerStatuses.Single().LastState.Terminated.Reason);
    }

    [Fact]
    public void Oom_kills_are_reported_with_exit_code_137()
    {
        var cluster = Small.Cluster();
        cluster.Engine.Context.Faults.Add(new OutOfMemory("web-", TimeSpan.FromSeconds(30)));
        cluster.Apply(Small.Deployment("web", 1));
        cluster.Engine.Advance(TimeSpan.FromSeconds(20));
        Assert.True(Pods.IsReady(Single(cluster)));

        cluster.Engine.Advance(TimeSpan.FromSeconds(25));
        var terminated = Single(cluster).Status.ContainerStatuses.Single().LastState.Terminated;
        Assert.Equal(("OOMKilled", 137), (terminated.Reason, terminated.ExitCode));
        Assert.False(Pods.IsReady(Single(cluster)));
    }

    private static V1Pod Single(SandboxCluster cluster) => Assert.Single(Small.Pods(cluster, "web"));
}
