namespace Keelson.Sandbox.Engine;

/// <summary>A failure injected into the sandbox.</summary>
public abstract record Fault;

/// <summary>Containers of pods whose name starts with <paramref name="PodPrefix"/> exit after <paramref name="RunsFor"/> and are restarted with back-off.</summary>
public sealed record CrashLoop(string PodPrefix, TimeSpan RunsFor) : Fault;

/// <summary>Containers of pods whose name starts with <paramref name="PodPrefix"/> are OOM-killed after <paramref name="RunsFor"/>.</summary>
public sealed record OutOfMemory(string PodPrefix, TimeSpan RunsFor) : Fault;

/// <summary>Node <paramref name="NodeName"/> stops responding at <paramref name="At"/> (sandbox time) and is gone for good.</summary>
public sealed record NodeLoss(string NodeName, DateTimeOffset At) : Fault;

/// <summary>Pods whose name starts with <paramref name="PodPrefix"/> exit with an error (Job pods fail instead of succeeding).</summary>
public sealed record PodFailure(string PodPrefix) : Fault;
