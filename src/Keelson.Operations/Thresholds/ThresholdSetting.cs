using System.Collections.Immutable;

namespace Keelson.Operations.Thresholds;

/// <summary>One metric's two alert levels: values at or above <paramref name="Warning"/> warn, at or above <paramref name="Critical"/> are critical.</summary>
public sealed record ThresholdLevel(double Warning, double Critical);

/// <summary>
/// A stored monitoring threshold setting (the ECP-AI UI's <c>ThresholdSetting</c>): levels per metric
/// (<c>cpu</c>, <c>memory</c>, <c>gpu</c> in percent, <c>response_time</c> in milliseconds, <c>error_rate</c> in percent)
/// and the notification switches. <see cref="TenantId"/> null is the database-wide setting.
/// </summary>
public sealed record ThresholdSetting
{
    /// <summary>The row number (the original's integer <c>id</c>); assigned when stored.</summary>
    public long Id { get; init; }

    /// <summary>The public id, e.g. <c>threshold_1a2b3c4d</c>.</summary>
    public required string SettingId { get; init; }

    /// <summary>The tenant the setting belongs to; null for every tenant without its own.</summary>
    public string? TenantId { get; init; }

    /// <summary>The display name.</summary>
    public required string Name { get; init; }

    /// <summary>Free text.</summary>
    public string? Description { get; init; }

    /// <summary>The original's grouping, <c>monitoring</c> by default.</summary>
    public string Category { get; init; } = "monitoring";

    /// <summary>The levels by metric key.</summary>
    public required ImmutableSortedDictionary<string, ThresholdLevel> Thresholds { get; init; }

    /// <summary>Whether alerts of this setting notify at all.</summary>
    public bool NotificationsEnabled { get; init; } = true;

    /// <summary>The original's e-mail switch (stored; Keelson's receivers are the alert rules' actions).</summary>
    public bool EmailEnabled { get; init; }

    /// <summary>The original's SMS switch (stored only).</summary>
    public bool SmsEnabled { get; init; }

    /// <summary>The original's Slack switch (stored only).</summary>
    public bool SlackEnabled { get; init; }

    /// <summary>The preset the setting was applied from, if any.</summary>
    public string? PresetName { get; init; }

    /// <summary>The preset's availability target in percent, if any.</summary>
    public double? SlaLevel { get; init; }

    /// <summary>False once deleted (soft delete, as the original).</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>The setting in force for its scope; at most one active default per scope.</summary>
    public bool IsDefault { get; init; }

    /// <summary>When it was stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
