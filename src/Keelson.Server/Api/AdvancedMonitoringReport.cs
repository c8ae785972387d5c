using Keelson.Operations;
using Keelson.Operations.Alerts;
using Keelson.Operations.Monitoring;
using Keelson.Operations.Notifications;
using Keelson.Operations.Tenants;
using Keelson.Operations.Thresholds;
using Keelson.Server.Alerts;

namespace Keelson.Server.Api;

/// <summary>
/// The bodies of the ECP-AI advanced-monitoring routes (<c>realtime</c>, <c>tenants</c>, <c>sla</c>, <c>alerts</c>) for one
/// instant, computed from the tenants' measured samples, the threshold setting in force and the alert engine's history.
/// Samples are read once per tenant and window, so the WebSocket's four bodies cost one read each.
/// </summary>
public sealed class AdvancedMonitoringReport(OperationsStores stores, IMetricSampleSource source, IReadOnlyList<TenantRecord> tenants, DateTimeOffset now)
{
    /// <summary>Points of the realtime chart, newest first.</summary>
    public const int RealtimePoints = 12;

    /// <summary>The spacing of the realtime points.</summary>
    public static readonly TimeSpan RealtimeStep = TimeSpan.FromMinutes(5);

    /// <summary>How old a sample may be and still be a tenant's current figure.</summary>
    public static readonly TimeSpan CurrentWindow = TimeSpan.FromMinutes(10);

    /// <summary>The original's SLA targets for response time (ms), error rate (%) and throughput (requests/s); availability's comes from the threshold setting.</summary>
    public const double ResponseTimeTarget = 100, ErrorRateTarget = 0.5, ThroughputTarget = 1000;

    /// <summary>The availability target without a preset's SLA level (the original's).</summary>
    public const double AvailabilityTarget = 99.5;

    // The embedded sandbox samples when a read reaches the present, stamping the samples with the moment it does.
    private static readonly TimeSpan ReadSlack = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, (TimeSpan Window, IReadOnlyList<MetricSample> Samples)> cache = new(StringComparer.Ordinal);

    /// <summary>The instant the report describes.</summary>
    public DateTimeOffset Now => now;

    /// <summary><c>GET …/realtime</c>: per tenant, a point per 5 minutes of the last hour that has samples, newest first.</summary>
    public async Task<RealtimeBody> RealtimeAsync(CancellationToken cancellationToken)
    {
        var points = new List<RealtimePoint>();
        foreach (var tenant in tenants)
        {
            var samples = await SamplesAsync(tenant.TenantId, RealtimeStep * RealtimePoints, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < RealtimePoints; i++)
            {
                var end = now - (RealtimeStep * i);

                // The newest bucket also takes what the sandbox sampled while this read ran (stamped a moment after now).
                var inBucket = samples.Where(s => s.Timestamp > end - RealtimeStep && (i == 0 || s.Timestamp <= end)).ToList();
                if (inBucket.Count == 0)
                {
                    continue;
                }

                var f = MonitoringFigures.Average(inBucket);
                points.Add(new RealtimePoint(end, tenant.TenantId, tenant.Name, R(f, MonitoringFigures.Cpu), R(f, MonitoringFigures.Memory), R(f, MonitoringFigures.Gpu),
                    R(f, MonitoringFigures.Network), R(f, MonitoringFigures.Disk), R(f, MonitoringFigures.ResponseTime), R(f, MonitoringFigures.Throughput), R(f, MonitoringFigures.ErrorRate)));
            }
        }

        return new RealtimeBody(true, [.. points.OrderByDescending(p => p.Timestamp).ThenBy(p => p.TenantId, StringComparer.Ordinal)], now,
            points.Select(p => p.TenantId).Distinct(StringComparer.Ordinal).Count(), points.Count);
    }

    /// <summary><c>GET …/tenants</c>: every tenant with its newest figures of the last 10 minutes and the health they give against the thresholds in force.</summary>
    public async Task<TenantsBody> TenantsAsync(CancellationToken cancellationToken)
    {
        var rows = new List<TenantRow>();
        var unmeasured = new List<string>();
        foreach (var tenant in tenants)
        {
            var samples = (await SamplesAsync(tenant.TenantId, CurrentWindow, cancellationToken).ConfigureAwait(false)).Where(s => s.Timestamp >= now - CurrentWindow);
            var f = MonitoringFigures.Newest(samples);
            var setting = await SettingAsync(tenant.TenantId, cancellationToken).ConfigureAwait(false);
            var availability = MonitoringFigures.AvailabilityOf(f);
            if (availability is not { } measured)
            {
                // The UI formats every row's availability with toFixed(2), so a row without one would break the whole
                // comparison; such tenants are named apart instead of given an invented figure.
                unmeasured.Add(tenant.TenantId);
                continue;
            }

            var summary = TenantResponse.From(tenant);
            rows.Add(new TenantRow(tenant.TenantId, tenant.Name, tenant.Preset, summary.Status, summary.ServicesCount, tenant.CreatedAt,
                R(f, MonitoringFigures.Cpu), R(f, MonitoringFigures.Memory), R(f, MonitoringFigures.Gpu), R(f, MonitoringFigures.Network), R(f, MonitoringFigures.Disk),
                Math.Round(measured, 2), R(f, MonitoringFigures.ResponseTime), R(f, MonitoringFigures.Throughput), R(f, MonitoringFigures.ErrorRate),
                f[MonitoringFigures.ErrorCount] is { } errors ? (long)Math.Round(errors) : null,
                f[MonitoringFigures.Connections] is { } connections ? (long)Math.Round(connections) : null,
                Health(f, setting?.Thresholds ?? ThresholdCatalog.Defaults),
                measured >= (setting?.SlaLevel ?? AvailabilityTarget) ? "meeting" : "warning"));
        }

        return new TenantsBody(true, rows, rows.Count, unmeasured, now);
    }

    /// <summary><c>GET …/sla</c>: an hourly point for each of the last 24 hours that has samples, oldest first, and the newest hour against the targets.</summary>
    public async Task<SlaBody> SlaAsync(CancellationToken cancellationToken)
    {
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var perTenant = new List<IReadOnlyList<MetricSample>>();
        foreach (var tenant in tenants)
        {
            perTenant.Add(await SamplesAsync(tenant.TenantId, now - hour.AddHours(-23), cancellationToken).ConfigureAwait(false));
        }

        var points = new List<SlaPoint>();
        for (var h = 23; h >= 0; h--)
        {
            var start = hour.AddHours(-h);
            var figures = perTenant.Select(samples => MonitoringFigures.Average(samples.Where(s => s.Timestamp >= start && s.Timestamp < start.AddHours(1))))
                .ToList();
            var availability = Mean(figures.Select(MonitoringFigures.AvailabilityOf));
            var responseTime = Mean(figures.Select(f => f[MonitoringFigures.ResponseTime]));
            var errorRate = Mean(figures.Select(f => f[MonitoringFigures.ErrorRate]));
            var throughput = Sum(figures.Select(f => f[MonitoringFigures.Throughput]));
            var users = Sum(figures.Select(f => f[MonitoringFigures.Connections]));
            if (availability is null && responseTime is null && errorRate is null && throughput is null && users is null)
            {
                continue;
            }

            points.Add(new SlaPoint(start, start.ToString("HH:00", System.Globalization.CultureInfo.InvariantCulture), MonitoringFigures.Round(availability),
                MonitoringFigures.Round(responseTime), MonitoringFigures.Round(errorRate), MonitoringFigures.Round(throughput), users is { } u ? (long)Math.Round(u) : null));
        }

        var target = (await SettingAsync(null, cancellationToken).ConfigureAwait(false))?.SlaLevel ?? AvailabilityTarget;
        var newest = points.Count > 0 ? points[^1] : null;
        var summary = new SlaSummary(
            Target(newest?.Availability, target, higherIsBetter: true),
            Target(newest?.ResponseTime, ResponseTimeTarget, higherIsBetter: false),
            Target(newest?.ErrorRate, ErrorRateTarget, higherIsBetter: false),
            Target(newest?.Throughput, ThroughputTarget, higherIsBetter: true));
        return new SlaBody(true, points, summary, now);
    }

    /// <summary><c>GET …/alerts</c>: the alerts raised in the last 24 hours (newest 100) and counts.</summary>
    public async Task<AlertsBody> AlertsAsync(IReadOnlyList<Silence> silences, CancellationToken cancellationToken)
    {
        var names = tenants.ToDictionary(t => t.TenantId, t => t.Name, StringComparer.Ordinal);
        var since = now.AddDays(-1);
        var items = new List<AlertRow>();
        long total = 0, unresolved = 0, critical = 0;
        var builder = new AlertsCompatEndpoints.AlertItemBuilder(stores, silences, now);
        foreach (var tenant in tenants)
        {
            var (page, count) = await stores.AlertOccurrences.PageAsync(new AlertOccurrenceFilter(tenant.TenantId, Since: since), 0, 100, cancellationToken).ConfigureAwait(false);
            total += count;
            unresolved += (await stores.AlertOccurrences.PageAsync(new AlertOccurrenceFilter(tenant.TenantId, Firing: true, Since: since), 0, 1, cancellationToken).ConfigureAwait(false)).Total;
            critical += (await stores.AlertOccurrences.PageAsync(new AlertOccurrenceFilter(tenant.TenantId, Severity: "critical", Since: since), 0, 1, cancellationToken).ConfigureAwait(false)).Total;
            foreach (var occurrence in page)
            {
                var item = await builder.BuildAsync(occurrence, cancellationToken).ConfigureAwait(false);
                items.Add(new AlertRow(item.Id, TypeOf(item.Severity), SeverityOf(item.Severity), item.Message, item.TenantId, names.GetValueOrDefault(item.TenantId),
                    item.Timestamp, item.Resolved, item.Acknowledged));
            }
        }

        return new AlertsBody(true, [.. items.OrderByDescending(a => a.Timestamp).ThenByDescending(a => a.Id).Take(100)], new AlertSummary(total, unresolved, critical, total), now);
    }

    // The original's two vocabularies: type info|warning|error|critical, severity low|medium|high.
    private static string TypeOf(string severity) => severity switch { "critical" => "critical", "warning" => "warning", "error" => "error", _ => "info" };

    private static string SeverityOf(string severity) => severity switch { "critical" or "error" => "high", "warning" => "medium", _ => "low" };

    private static string? Health(IReadOnlyDictionary<string, double?> figures, System.Collections.Immutable.ImmutableSortedDictionary<string, ThresholdLevel> levels)
    {
        var measured = false;
        var worst = "healthy";
        foreach (var (key, figure) in new[] { ("cpu", MonitoringFigures.Cpu), ("memory", MonitoringFigures.Memory), ("gpu", MonitoringFigures.Gpu), ("response_time", MonitoringFigures.ResponseTime), ("error_rate", MonitoringFigures.ErrorRate) })
        {
            if (figures[figure] is not { } value)
            {
                continue;
            }

            measured = true;
            if (levels.TryGetValue(key, out var level))
            {
                if (value >= level.Critical)
                {
                    return "critical";
                }

                if (value >= level.Warning)
                {
                    worst = "warning";
                }
            }
        }

        return measured ? worst : null;
    }

    private static SlaFigure Target(double? current, double target, bool higherIsBetter) =>
        new(current, target, current is { } c ? (higherIsBetter ? c >= target : c <= target) ? "good" : "warning" : null);

    private static double? Mean(IEnumerable<double?> values) => values.Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(double.NaN).Average() is var m && double.IsNaN(m) ? null : m;

    private static double? Sum(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return present.Count == 0 ? null : present.Sum();
    }

    private static double? R(IReadOnlyDictionary<string, double?> figures, string name) => MonitoringFigures.Round(figures[name]);

    private async Task<ThresholdSetting?> SettingAsync(string? tenantId, CancellationToken cancellationToken) =>
        (tenantId is null ? null : await stores.Thresholds.DefaultAsync(tenantId, cancellationToken).ConfigureAwait(false))
        ?? await stores.Thresholds.DefaultAsync(null, cancellationToken).ConfigureAwait(false);

    private async Task<IReadOnlyList<MetricSample>> SamplesAsync(string tenantId, TimeSpan window, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(tenantId, out var cached) && cached.Window >= window)
        {
            return cached.Samples;
        }

        var samples = await MonitoringFigures.ReadAsync(source, tenantId, now - window, now + ReadSlack, cancellationToken).ConfigureAwait(false);
        cache[tenantId] = (window, samples);
        return samples;
    }
}

/// <summary>One realtime point of one tenant.</summary>
public sealed record RealtimePoint(DateTimeOffset Timestamp, string TenantId, string TenantName, double? CpuUsage, double? MemoryUsage, double? GpuUsage,
    double? NetworkIo, double? DiskUsage, double? ResponseTime, double? RequestsPerSecond, double? ErrorRate);

/// <summary>The realtime body.</summary>
public sealed record RealtimeBody(bool Success, IReadOnlyList<RealtimePoint> Metrics, DateTimeOffset Timestamp, int TotalTenants, int DataPoints);

/// <summary>One tenant of the comparison.</summary>
public sealed record TenantRow(string TenantId, string Name, string Preset, string Status, int ServicesCount, DateTimeOffset CreatedAt,
    double? CpuUsage, double? MemoryUsage, double? GpuUsage, double? NetworkUsage, double? DiskUsage, double Availability, double? ResponseTime,
    double? Throughput, double? ErrorRate, long? ErrorCount, long? ActiveConnections, string? HealthStatus, string SlaStatus);

/// <summary>The tenants body: the measured tenants' rows, and the ids of the visible tenants with no availability measured yet.</summary>
public sealed record TenantsBody(bool Success, IReadOnlyList<TenantRow> Tenants, int TotalCount, IReadOnlyList<string> Unmeasured, DateTimeOffset Timestamp);

/// <summary>One hour of the SLA chart.</summary>
public sealed record SlaPoint(DateTimeOffset Timestamp, string Hour, double? Availability, double? ResponseTime, double? ErrorRate, double? Throughput, long? ConcurrentUsers);

/// <summary>A figure against its target.</summary>
public sealed record SlaFigure(double? Current, double Target, string? Status);

/// <summary>The newest hour against the targets.</summary>
public sealed record SlaSummary(SlaFigure Availability, SlaFigure ResponseTime, SlaFigure ErrorRate, SlaFigure Throughput);

/// <summary>The SLA body.</summary>
public sealed record SlaBody(bool Success, IReadOnlyList<SlaPoint> Metrics, SlaSummary Summary, DateTimeOffset Timestamp);

/// <summary>One alert in the advanced-monitoring shape.</summary>
public sealed record AlertRow(long Id, string Type, string Severity, string Message, string TenantId, string? TenantName, DateTimeOffset Timestamp, bool Resolved, bool Acknowledged);

/// <summary>Alert counts of the last 24 hours.</summary>
public sealed record AlertSummary(long Total, long Unresolved, long Critical, [property: System.Text.Json.Serialization.JsonPropertyName("last_24h")] long Last24h);

/// <summary>The alerts body.</summary>
public sealed record AlertsBody(bool Success, IReadOnlyList<AlertRow> Alerts, AlertSummary Summary, DateTimeOffset Timestamp);
