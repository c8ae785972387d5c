namespace Keelson.Operations.Notifications;

/// <summary>
/// What mutes an alert at one moment: the active silences, and inhibition — Alertmanager's
/// <c>inhibit_rules: [{source_matchers: [severity="critical"], target_matchers: [severity="warning"], equal: [tenant]}]</c>,
/// so a firing critical alert of a tenant mutes that tenant's warnings.
/// </summary>
public sealed class AlertMuting
{
    private readonly IReadOnlyList<Silence> silences;
    private readonly HashSet<string> criticalTenants;

    /// <summary>Mutes with <paramref name="silences"/> and the firing <paramref name="activeAlerts"/> as inhibition sources, at <paramref name="now"/>.</summary>
    public AlertMuting(IReadOnlyList<Silence> silences, IEnumerable<NotifiableAlert> activeAlerts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(silences);
        ArgumentNullException.ThrowIfNull(activeAlerts);
        Now = now;
        this.silences = [.. silences.Where(s => s.StateAt(now) == SilenceState.Active)];

        // Alertmanager: a source must be firing and itself not silenced to inhibit.
        criticalTenants = [.. activeAlerts
            .Where(a => !a.Resolved && Severity(a) == "critical" && !IsSilenced(a))
            .Select(TenantOf)];
    }

    /// <summary>Nothing muted.</summary>
    public static AlertMuting None { get; } = new([], [], DateTimeOffset.MinValue);

    /// <summary>The moment the muting was evaluated for.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Whether an active silence matches the alert.</summary>
    public bool IsSilenced(NotifiableAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return silences.Any(s => s.Mutes(alert.Labels, Now));
    }

    /// <summary>Whether a firing critical alert of the same tenant inhibits this (warning) alert.</summary>
    public bool IsInhibited(NotifiableAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Severity(alert) == "warning" && criticalTenants.Contains(TenantOf(alert));
    }

    /// <summary>Silenced or inhibited: not notified.</summary>
    public bool IsMuted(NotifiableAlert alert) => IsSilenced(alert) || IsInhibited(alert);

    // `equal: [tenant]` compares the tenant label; a missing label is the empty string on both sides, as in Alertmanager.
    private static string TenantOf(NotifiableAlert alert) => alert.Labels.TryGetValue("tenant", out var t) ? t : "";

    private static string? Severity(NotifiableAlert alert) => alert.Labels.TryGetValue("severity", out var s) ? s : null;
}
