using System.Text.RegularExpressions;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Profiles;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// Ages kubectl computes from its own clock (<c>describe</c>'s events, <c>kubectl events</c>) read correctly on the
/// sandboxes a user reaches: opened as <c>keelson up</c>, <c>sandbox serve</c> and <c>keelson serve</c>'s demo
/// clusters open them (<see cref="SandboxState.OpenAtWallClockAsync"/>), new at wall-clock time or saved and caught up
/// to it, served at speed 1.
/// </summary>
public sealed class KubectlWallClockAgesTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("keelson-ages-").FullName;

    private string StatePath => Path.Combine(directory, "aws-general.json");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_new_sandbox_starts_at_wall_clock_time_and_describe_shows_event_ages_in_seconds()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var engine = await SandboxState.OpenAtWallClockAsync(StatePath, ClusterProfiles.Get("aws-general"), TimeProvider.System, fresh: false, CancellationToken.None);

        Assert.NotNull(engine);
        Assert.InRange(engine.Clock.GetUtcNow(), before, DateTimeOffset.UtcNow);
        Assert.Equal(0, engine.Clock.GetUtcNow().Ticks % TimeSpan.TicksPerSecond);
        await using var served = await ServeAsync(engine);

        await served.Kubectl.OkAsync("create", "deployment", "web", "--image=nginx:1.27");
        await AssertRecentEventAsync(served.Kubectl, "deploy/web", "ScalingReplicaSet");
    }

    [Fact]
    public async Task A_sandbox_saved_at_the_old_fixed_start_catches_up_and_new_events_read_as_seconds_old()
    {
        var old = new SandboxEngine(ClusterProfiles.Get("aws-general"));
        Assert.Equal(VirtualClock.DefaultStart, old.Clock.GetUtcNow());
        old.Advance(TimeSpan.FromMinutes(1));
        await SandboxState.SaveAsync(old, StatePath, CancellationToken.None);

        var engine = await SandboxState.OpenAtWallClockAsync(StatePath, null, TimeProvider.System, fresh: false, CancellationToken.None);

        Assert.NotNull(engine);
        Assert.InRange(engine.Clock.GetUtcNow(), DateTimeOffset.UtcNow.AddSeconds(-2), DateTimeOffset.UtcNow);
        // The saved nodes are kept (made at the old start, their true age), not replaced by new ones.
        Assert.Equal(old.Store.List<k8s.Models.V1Node>().Select(n => n.Metadata.Name), engine.Store.List<k8s.Models.V1Node>().Select(n => n.Metadata.Name));
        await using var served = await ServeAsync(engine);

        await served.Kubectl.OkAsync("create", "deployment", "api", "--image=nginx:1.27", "--replicas=2");
        await AssertRecentEventAsync(served.Kubectl, "deploy/api", "ScalingReplicaSet");
        var events = await served.Kubectl.OkAsync("events");
        Assert.Matches(new Regex(@"^\d{1,2}s\s+Normal\s+ScalingReplicaSet\s+deployment/api\s", RegexOptions.Multiline | RegexOptions.IgnoreCase), events);
    }

    [Fact]
    public async Task Fresh_ignores_the_saved_sandbox_and_neither_profile_nor_state_gives_none()
    {
        var old = new SandboxEngine(ClusterProfiles.Get("aws-general"));
        await SandboxState.SaveAsync(old, StatePath, CancellationToken.None);

        var fresh = await SandboxState.OpenAtWallClockAsync(StatePath, ClusterProfiles.Get("aws-general"), TimeProvider.System, fresh: true, CancellationToken.None);
        var none = await SandboxState.OpenAtWallClockAsync(Path.Combine(directory, "missing.json"), null, TimeProvider.System, fresh: false, CancellationToken.None);

        Assert.NotNull(fresh);
        Assert.InRange(fresh.Clock.GetUtcNow(), DateTimeOffset.UtcNow.AddSeconds(-2), DateTimeOffset.UtcNow);
        Assert.Null(none);
    }

    // describe computes the age of each event from kubectl's clock: a few seconds, not the months since 2026-01-05.
    private static async Task AssertRecentEventAsync(Kubectl kubectl, string target, string reason)
    {
        var pattern = new Regex($@"^\s+Normal\s+{reason}\s+(\S+)\s+", RegexOptions.Multiline);
        var describe = "";
        for (var attempt = 0; attempt < 50 && !pattern.IsMatch(describe); attempt++)
        {
            await Task.Delay(100);
            describe = await kubectl.OkAsync("describe", target);
        }

        var age = pattern.Match(describe);
        Assert.True(age.Success, describe);
        Assert.Matches(@"^\d{1,2}s$", age.Groups[1].Value);
    }

    private async Task<Served> ServeAsync(SandboxEngine engine)
    {
        var server = await SandboxApiServer.StartAsync(new SandboxCluster(engine), new SandboxApiOptions { Speed = 1 }, CancellationToken.None);
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await SandboxKubeconfig.WriteAsync(kubeconfig, server.Url, CancellationToken.None);
        return new Served(server, new Kubectl(kubeconfig, Path.Combine(directory, "cache")));
    }

    private sealed record Served(SandboxApiServer Server, Kubectl Kubectl) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
