namespace Keelson.Operations.Monitoring;

/// <summary>What the writer did with a push: queued, refused because the queue is full, or refused by the series limit.</summary>
public abstract record PushOutcome
{
    private PushOutcome()
    {
    }

    /// <summary>All samples are queued and will be written.</summary>
    public sealed record Accepted(int Samples) : PushOutcome;

    /// <summary>The write queue holds <paramref name="Capacity"/> samples already; nothing was queued.</summary>
    public sealed record QueueFull(int Capacity) : PushOutcome;

    /// <summary>The push would give the tenant more than <paramref name="Limit"/> series; nothing was queued.</summary>
    public sealed record SeriesLimitExceeded(string TenantId, int Limit, int Existing, IReadOnlyList<string> NewSeries) : PushOutcome;
}
