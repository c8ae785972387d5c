namespace Keelson.Sandbox.Server;

/// <summary>How the facade listens and how fast its cluster's clock runs.</summary>
public sealed record SandboxApiOptions
{
    /// <summary>The loopback port; 0 picks a free one (read <see cref="SandboxApiServer.Url"/> after starting).</summary>
    public int Port { get; init; }

    /// <summary>Virtual seconds per wall-clock second; 0 stops the clock so only <see cref="SandboxApiServer.Advance"/> moves it.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>How often the clock catches up with wall time.</summary>
    public TimeSpan ClockInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long the watch history keeps a change, in the cluster's time (etcd compacts every 5 minutes by default):
    /// a watch or continue token from before the oldest change kept is 410, and an idle sandbox holds no old objects.
    /// </summary>
    public TimeSpan WatchHistoryWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The wall clock served times are mapped to (kubectl measures ages from the real one).</summary>
    public TimeProvider WallClock { get; init; } = TimeProvider.System;
}
