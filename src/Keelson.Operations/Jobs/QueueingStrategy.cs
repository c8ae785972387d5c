namespace Keelson.Operations.Jobs;

/// <summary>How a queue orders its pending jobs when the head does not fit (Kueue's <c>queueingStrategy</c>).</summary>
public enum QueueingStrategy
{
    /// <summary>A job that does not fit steps aside; younger jobs that fit are admitted meanwhile.</summary>
    BestEffortFifo,

    /// <summary>A head that does not fit blocks every job behind it.</summary>
    StrictFifo,
}
