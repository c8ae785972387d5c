using k8s.Models;
using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Tests.Scheduling;

public class TaintTolerationFilterTests
{
    private readonly Keelson.Sandbox.Scheduling.Scheduler scheduler = Build.Only(new TaintTolerationFilter());

    [Theory]
    [InlineData("nvidia.com/gpu", "present", "NoSchedule", true)]
    [InlineData("nvidia.com/gpu", null, null, true)]
    [InlineData("nvidia.com/gpu", "absent", null, false)]
    [InlineData("nvidia.com/gpu", "present", "NoExecute", false)]
    [InlineData("other", null, null, false)]
    public void Toleration_matches_key_value_and_effect(string key, string? value, string? effect, bool fits)
    {
        var snapshot = Build.Snapshot(Build.Node("gpu", taints: [Build.GpuTaint]));
        var pod = Build.Pod("p", spec: s => s.Tolerations = [Build.Tolerate(key, value, effect)]);

        Assert.Equal(fits, scheduler.Fits(pod, snapshot.Nodes.Single(), snapshot));
    }

    [Fact]
    public void Untolerated_taint_is_named_in_the_reason_and_prefer_no_schedule_is_not_enforced()
    {
        var snapshot = Build.Snapshot(
            Build.Node("gpu", taints: [Build.GpuTaint]),
            Build.Node("soft", taints: [new V1Taint { Key = "spot", Value = "true", Effect = "PreferNoSchedule" }]));

        Assert.Equal("soft", scheduler.Schedule(Build.Pod("p"), snapshot).NodeName);
        snapshot.RemoveNode("soft");
        Assert.Equal("0/1 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: present}.", scheduler.Schedule(Build.Pod("p"), snapshot).Message);
    }

    [Fact]
    public void Exists_with_an_empty_key_tolerates_every_taint()
    {
        var snapshot = Build.Snapshot(Build.Node("n", taints: [Build.GpuTaint, new V1Taint { Key = "dedicated", Value = "db", Effect = "NoExecute" }]));
        var pod = Build.Pod("p", spec: s => s.Tolerations = [new V1Toleration { OperatorProperty = "Exists" }]);

        Assert.Equal("n", scheduler.Schedule(pod, snapshot).NodeName);
    }
}
