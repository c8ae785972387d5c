namespace Keelson.Server;

/// <summary>The <c>Keelson:Alerts</c> section: how often the evaluator looks for due tenants, and its lease (notifications are set in <c>Keelson:Notifications</c>).</summary>
public sealed class AlertSettings
{
    /// <summary>Whether this replica evaluates rules at all (the API works either way).</summary>
    public bool Evaluate { get; set; } = true;

    /// <summary>How often the loop looks for tenants whose interval has passed.</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a replica's claim on a tenant's evaluation lasts unless renewed; a dead replica's tenants move after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the default threshold settings' alert rules are brought to tenants created since (zero: only on save and apply).</summary>
    public TimeSpan ThresholdSyncInterval { get; set; } = TimeSpan.FromSeconds(30);
}
