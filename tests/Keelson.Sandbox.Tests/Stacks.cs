using Keelson.Delivery;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Sandbox.Tests;

/// <summary>Example stacks planned and rendered, and sandboxes to deliver them to.</summary>
internal static class Stacks
{
    public static Manifest Render(string example, string? cluster = null)
    {
        var text = File.ReadAllText(Repo.File("examples", example));
        var profile = cluster is null ? null : Spec.Profiles.ClusterProfiles.Find(cluster);
        var spec = StackParser.Parse(text, example, profile);
        Assert.True(spec.Succeeded, string.Join("\n", spec.Diagnostics));
        var plan = Planner.Default.Plan(spec.Value!);
        Assert.True(plan.Succeeded, string.Join("\n", plan.Problems));
        return ManifestRenderer.Default.Render(plan.Plan!);
    }

    public static (SandboxCluster Cluster, DeployResult Result, List<DeployEvent> Events) Deliver(Manifest manifest, SandboxOptions? options = null)
    {
        var engine = new SandboxEngine(manifest.Plan.Spec.Cluster, options, PlannedLoad.From(manifest.Objects.Select(o => o.Resource)));
        var cluster = new SandboxCluster(engine);
        var events = new List<DeployEvent>();
        var result = new Deployer(cluster).DeployAsync(manifest.Namespace, [.. manifest.Objects.Select(o => o.Resource)], new Collect(events), CancellationToken.None).GetAwaiter().GetResult();
        return (cluster, result, events);
    }

    /// <summary>Collects progress synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    public sealed class Collect(List<DeployEvent> events) : IProgress<DeployEvent>
    {
        public void Report(DeployEvent value) => events.Add(value);
    }
}
