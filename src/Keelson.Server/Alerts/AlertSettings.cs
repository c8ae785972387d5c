namespace Keelson.Server;

/// <summary>The <c>Keelson:Alerts</c> section: how often the evaluator looks for due tenants, its lease, and the notifier.</summary>
public sealed class AlertSettings
{
    /// <summary>Whether this replica evaluates rules at all (the API works either way).</summary>
    public bool Evaluate { get; set; } = true;

    /// <summary>How often the loop looks for tenants whose interval has passed and for notifications that are due.</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a replica's claim on a tenant's evaluation lasts unless renewed; a dead replica's tenants move after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a receiver's answer to one notification.</summary>
    public TimeSpan NotifyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The <c>externalURL</c> of webhook payloads: where people reach this Keelson.</summary>
    public string ExternalUrl { get; set; } = "http://localhost:8001";
}
