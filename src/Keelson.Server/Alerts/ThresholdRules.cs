using System.Collections.Immutable;
using System.Globalization;
using Keelson.Operations;
using Keelson.Operations.Alerts;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Keelson.Operations.Thresholds;

namespace Keelson.Server.Alerts;

/// <summary>
/// Turns a default threshold setting into alert rules of the alert engine, so thresholds actually alert: per tenant in
/// scope and per metric, a <c>warning</c> and a <c>critical</c> rule (<c>threshold-cpu-warning</c>, …) comparing the
/// seed's pushed series or the sandbox's, held for <see cref="HoldFor"/>. The rules carry the label
/// <c>managed_by=keelson-thresholds</c>: only those are replaced or removed; a tenant's own rule of the same name is left
/// alone and reported as a conflict.
/// </summary>
public static class ThresholdRules
{
    /// <summary>The label that marks a rule as written from thresholds.</summary>
    public const string ManagedLabel = "managed_by";

    /// <summary>Its value.</summary>
    public const string ManagedValue = "keelson-thresholds";

    /// <summary>How long a threshold must be crossed before the alert fires (Prometheus's <c>for</c>), so one spike does not alert.</summary>
    public static readonly TimeSpan HoldFor = TimeSpan.FromMinutes(1);

    private static readonly string[] Levels = ["warning", "critical"];

    /// <summary>What applying did: the tenants governed, rules now in force (written, or already up to date), and names left alone because the tenant has its own rule of that name.</summary>
    public sealed record Outcome(IReadOnlyList<string> Tenants, int RulesWritten, int RulesRemoved, IReadOnlyList<string> Conflicts);

    /// <summary>
    /// Writes <paramref name="setting"/>'s rules for each of <paramref name="tenants"/> it governs: its own tenant, or —
    /// for a database-wide setting — every tenant without a default of its own.
    /// </summary>
    public static async Task<Outcome> ApplyAsync(OperationsStores stores, ThresholdSetting setting, IReadOnlyList<TenantRecord> tenants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(tenants);
        var governed = new List<string>();
        var written = 0;
        var removed = 0;
        var conflicts = new List<string>();
        foreach (var tenant in tenants)
        {
            if (setting.TenantId is { } own ? own != tenant.TenantId : await stores.Thresholds.DefaultAsync(tenant.TenantId, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            governed.Add(tenant.TenantId);
            var desired = RulesOf(setting, tenant.TenantId).ToDictionary(r => r.Name, StringComparer.Ordinal);
            var existing = (await stores.AlertRules.ListAsync(tenant.TenantId, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Name, StringComparer.Ordinal);
            foreach (var rule in desired.Values)
            {
                if (existing.TryGetValue(rule.Name, out var current))
                {
                    if (!IsManaged(current))
                    {
                        conflicts.Add($"{tenant.TenantId}/{rule.Name}");
                        continue;
                    }

                    if (!SameDefinition(current, rule))
                    {
                        await ReplaceAsync(stores, rule, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    try
                    {
                        await stores.AlertRules.CreateAsync(rule, cancellationToken).ConfigureAwait(false);
                    }
                    catch (DuplicateAlertRuleException)
                    {
                        // Created by a concurrent apply: ours to replace.
                        await ReplaceAsync(stores, rule, cancellationToken).ConfigureAwait(false);
                    }
                }

                written++;
            }

            foreach (var stale in existing.Values.Where(r => IsManaged(r) && !desired.ContainsKey(r.Name)))
            {
                removed += await stores.AlertRules.DeleteAsync(tenant.TenantId, stale.Name, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }
        }

        return new Outcome(governed, written, removed, conflicts);
    }

    /// <summary>The rules <paramref name="setting"/> makes for <paramref name="tenantId"/>, by metric then level.</summary>
    public static IEnumerable<AlertRuleRecord> RulesOf(ThresholdSetting setting, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(setting);
        foreach (var (key, level) in setting.Thresholds)
        {
            if (!ThresholdCatalog.Metrics.TryGetValue(key, out var metric))
            {
                continue;
            }

            foreach (var severity in Levels)
            {
                var threshold = severity == "warning" ? level.Warning : level.Critical;
                var condition = string.Join(" or ", metric.Series.Select(s => $"{s.Series} >= {Number(threshold / s.Divisor)}"));
                yield return new AlertRuleRecord
                {
                    TenantId = tenantId,
                    Name = $"threshold-{key}-{severity}",
                    Condition = condition,
                    For = HoldFor,
                    Severity = severity,
                    Labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                    [
                        KeyValuePair.Create(ManagedLabel, ManagedValue),
                        KeyValuePair.Create("threshold_setting", setting.SettingId),
                        KeyValuePair.Create("metric", key),
                    ]),
                    Annotations = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                    [
                        KeyValuePair.Create("summary", $"{key} of {tenantId} at {{{{ $value }}}} is at or above the {severity} threshold {Number(threshold)} {metric.Unit}"),
                        KeyValuePair.Create("threshold", Number(threshold)),
                    ]),
                };
            }
        }
    }

    // An unchanged rule is left alone, so applying again (and the periodic sync) writes nothing and keeps the version.
    private static bool SameDefinition(AlertRuleRecord current, AlertRuleRecord rule) =>
        current.Condition == rule.Condition && current.For == rule.For && current.Severity == rule.Severity && current.Enabled == rule.Enabled
        && current.Expr == rule.Expr && current.Labels.SequenceEqual(rule.Labels) && current.Annotations.SequenceEqual(rule.Annotations);

    /// <summary>Whether a rule was written from thresholds.</summary>
    public static bool IsManaged(AlertRuleRecord rule) => rule?.Labels.TryGetValue(ManagedLabel, out var value) == true && value == ManagedValue;

    private static async Task ReplaceAsync(OperationsStores stores, AlertRuleRecord rule, CancellationToken cancellationToken)
    {
        try
        {
            await stores.AlertRules.ReplaceAsync(rule, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyException)
        {
            // Another apply changed it between read and write; that apply's rule stands.
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
