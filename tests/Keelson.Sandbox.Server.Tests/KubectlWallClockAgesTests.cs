using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Profiles;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// Ages kubectl computes from its own clock (<c>describe</c>'s events, <c>kubectl events</c>) read correctly on the
/// sandboxes a user reaches: opened as <c>keelson up</c>, <c>sandbox serve</c> and <c>keelson serve</c>'s demo
/// clusters open them (<see cref="SandboxState.OpenAtWallClockAsync"/>), new at wall-clock time or saved and caught up
/// to it, served at speed 1; and on a clock that runs ahead of the wall (speed 10, an <c>Advance</c> of an hour),
/// whose times the facade serves mapped to the wall clock, so <c>get</c>, <c>describe</c>, <c>events</c> and the
/// Python client all read the same ages, none <c>&lt;invalid&gt;</c>.
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

        // --for matches the involved object's API version too; describe names the controller that reported it.
        Assert.Contains("ScalingReplicaSet", await served.Kubectl.OkAsync("events", "--for", "deployment/api"), StringComparison.Ordinal);
        Assert.Matches(new Regex(@"Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s"), await served.Kubectl.OkAsync("describe", "deployment", "api"));
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

    [Fact]
    public async Task At_speed_ten_get_describe_and_events_read_ages_from_served_times_that_are_never_in_the_future()
    {
        var engine = await SandboxState.OpenAtWallClockAsync(StatePath, ClusterProfiles.Get("aws-general"), TimeProvider.System, fresh: true, CancellationToken.None);
        await using var served = await ServeAsync(engine!, speed: 10);
        await served.Kubectl.OkAsync("create", "deployment", "fast", "--image=nginx:1.27");
        var pod = await PodOfAsync(served.Kubectl, "fast");
        await AssertRecentEventAsync(served.Kubectl, "pod/" + pod, "Scheduled");

        // Three wall seconds are half a sandbox minute: unmapped, every event would be that far in kubectl's future.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var created = await CreatedAsync(served.Kubectl, pod);
        var wallAge = DateTimeOffset.UtcNow - created;
        Assert.InRange(wallAge, TimeSpan.Zero, TimeSpan.FromSeconds(30));

        var getAge = Duration(Regex.Match(await served.Kubectl.OkAsync("get", "pod", pod, "--no-headers"), @"(\S+)\s*$").Groups[1].Value);
        Assert.InRange(getAge, wallAge - TimeSpan.FromSeconds(2), wallAge + TimeSpan.FromSeconds(2));
        AssertAges(await served.Kubectl.OkAsync("describe", "pod", pod), EventAge, wallAge);
        AssertAges(await served.Kubectl.OkAsync("events"), LastSeenOf(pod), wallAge);
        Assert.Equal(created, await CreatedAsync(served.Kubectl, pod));
    }

    [Fact]
    public async Task After_an_advance_of_an_hour_times_served_before_stay_put_and_new_ones_read_as_seconds_old()
    {
        var engine = await SandboxState.OpenAtWallClockAsync(StatePath, ClusterProfiles.Get("aws-general"), TimeProvider.System, fresh: true, CancellationToken.None);
        await using var served = await ServeAsync(engine!, speed: 1);
        await served.Kubectl.OkAsync("create", "deployment", "early", "--image=nginx:1.27");
        var pod = await PodOfAsync(served.Kubectl, "early");
        var created = await CreatedAsync(served.Kubectl, pod);

        served.Server.Advance(TimeSpan.FromHours(1));
        await served.Kubectl.OkAsync("create", "deployment", "late", "--image=nginx:1.27");
        var late = await PodOfAsync(served.Kubectl, "late");
        await AssertRecentEventAsync(served.Kubectl, "pod/" + late, "Scheduled");

        Assert.Equal(created, await CreatedAsync(served.Kubectl, pod));
        var lateCreated = await CreatedAsync(served.Kubectl, late);
        Assert.InRange(lateCreated, created, DateTimeOffset.UtcNow);
        var wallAge = DateTimeOffset.UtcNow - created;
        AssertAges(await served.Kubectl.OkAsync("get", "pods", "--no-headers"), PodAge, wallAge);

        // The early pod's events are an hour old in the sandbox, past the events' TTL, and gone; the late pod's are read.
        AssertAges(await served.Kubectl.OkAsync("describe", "pod", late), EventAge, wallAge);
        AssertAges(await served.Kubectl.OkAsync("events"), LastSeenOf(late), wallAge);

        // The watch serves the same instant, and so does a GET seconds later.
        var watched = await served.Kubectl.OkAsync("get", "--raw", "/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1");
        var frame = watched.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["object"]!).Single(o => (string?)o["metadata"]!["name"] == pod);
        Assert.Equal(created, DateTimeOffset.Parse((string)frame["metadata"]!["creationTimestamp"]!, CultureInfo.InvariantCulture));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(created, await CreatedAsync(served.Kubectl, pod));
    }

    [Fact]
    public async Task The_python_client_reads_a_creation_time_that_is_not_in_its_future_at_speed_ten()
    {
        var engine = await SandboxState.OpenAtWallClockAsync(StatePath, ClusterProfiles.Get("aws-general"), TimeProvider.System, fresh: true, CancellationToken.None);
        await using var served = await ServeAsync(engine!, speed: 10);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var result = await PythonClient.RunAsync(Path.Combine(directory, "kubeconfig"), "ages", "py-ages");

        Assert.Equal((string?)result["created"], (string?)result["read"]);
        Assert.InRange((double)result["secondsOld"]!, 0, 10);
    }

    [Fact]
    public async Task A_wall_clock_time_a_client_writes_is_stored_as_the_sandbox_time_it_stands_for_and_read_back_as_written()
    {
        var engine = await SandboxState.OpenAtWallClockAsync(StatePath, ClusterProfiles.Get("aws-general"), TimeProvider.System, fresh: true, CancellationToken.None);
        await using var served = await ServeAsync(engine!, speed: 0);
        served.Server.Advance(TimeSpan.FromHours(1));
        var renewed = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(directory, "lease.yaml");
        await File.WriteAllTextAsync(path, $"""
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata:
              name: leader
            spec:
              holderIdentity: a
              renewTime: "{renewed}"
            """);

        await served.Kubectl.OkAsync("create", "-f", path);

        Assert.Equal(renewed, await served.Kubectl.OkAsync("get", "lease", "leader", "-o", "jsonpath={.spec.renewTime}"));
        // The stopped clock's now is served as the advance's wall time, so a moment after that is a moment after its now, not an hour before.
        var (stored, now) = served.Server.Inspect(c => (c.Engine.Store.Get<k8s.Models.V1Lease>("default", "leader")!.Spec.RenewTime!.Value, c.Engine.Clock.UtcDateTime));
        Assert.InRange(stored, now, now.AddSeconds(10));
    }

    private static readonly Regex EventAge = new(@"^\s+(?:Normal|Warning)\s+\S+\s+(\S+)", RegexOptions.Multiline);
    private static readonly Regex PodAge = new(@"(\S+)$", RegexOptions.Multiline);

    // kubectl events' LAST SEEN of one pod's events (--for also selects on involvedObject.apiVersion, which the
    // sandbox's events do not set).
    private static Regex LastSeenOf(string pod) => new($@"^(\S+)\s+(?:Normal|Warning)\s+\S+\s+Pod/{Regex.Escape(pod)}\s", RegexOptions.Multiline);

    // Every age the pattern finds is a duration (not <invalid>) no older than the oldest object read, give or take 2 s.
    private static void AssertAges(string output, Regex pattern, TimeSpan oldest)
    {
        var ages = pattern.Matches(output).Select(m => m.Groups[1].Value).ToList();
        Assert.True(ages.Count > 0, output);
        Assert.All(ages, age => Assert.InRange(Duration(age), TimeSpan.Zero, oldest + TimeSpan.FromSeconds(2)));
    }

    // kubectl's compact durations: 45s, 5m30s, 3h12m, 4d6h; anything else (<invalid>) fails the test.
    private static TimeSpan Duration(string text)
    {
        var match = Regex.Match(text, @"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$");
        Assert.True(match.Success && text.Length > 0, $"'{text}' is not an age");
        int Part(int i) => match.Groups[i].Success ? int.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part(1), Part(2), Part(3), Part(4));
    }

    private static async Task<string> PodOfAsync(Kubectl kubectl, string deployment)
    {
        var name = "";
        for (var attempt = 0; attempt < 50 && name.Length == 0; attempt++)
        {
            await Task.Delay(100);
            name = (await kubectl.OkAsync("get", "pods", "-l", "app=" + deployment, "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        }

        Assert.NotEmpty(name);
        return name;
    }

    private static async Task<DateTimeOffset> CreatedAsync(Kubectl kubectl, string pod)
    {
        var created = DateTimeOffset.Parse(await kubectl.OkAsync("get", "pod", pod, "-o", "jsonpath={.metadata.creationTimestamp}"), CultureInfo.InvariantCulture);
        Assert.True(created <= DateTimeOffset.UtcNow, $"created at {created:O}, after the wall clock's now");
        return created;
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

    private async Task<Served> ServeAsync(SandboxEngine engine, double speed = 1)
    {
        var server = await SandboxApiServer.StartAsync(new SandboxCluster(engine), new SandboxApiOptions { Speed = speed }, CancellationToken.None);
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await SandboxKubeconfig.WriteAsync(kubeconfig, server.Url, CancellationToken.None);
        return new Served(server, new Kubectl(kubeconfig, Path.Combine(directory, "cache")));
    }

    private sealed record Served(SandboxApiServer Server, Kubectl Kubectl) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
