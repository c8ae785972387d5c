namespace Keelson.Delivery.Readiness;

/// <summary>Where an object stands after an apply.</summary>
public enum ReadinessState
{
    /// <summary>Still converging.</summary>
    InProgress,

    /// <summary>Converged: rolled out, complete, bound or serving.</summary>
    Ready,

    /// <summary>Will not converge without a change (deadline exceeded, job failed).</summary>
    Failed,
}

/// <summary>An object's readiness with a one-line reason, as <c>kubectl rollout status</c> would print it.</summary>
public sealed record Readiness(ReadinessState State, string Message)
{
    /// <summary>Ready, with a message.</summary>
    public static Readiness Ready(string message) => new(ReadinessState.Ready, message);

    /// <summary>In progress, with what is still missing.</summary>
    public static Readiness Waiting(string message) => new(ReadinessState.InProgress, message);

    /// <summary>Failed, with why.</summary>
    public static Readiness Failed(string message) => new(ReadinessState.Failed, message);
}
