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
}
