using k8s.Models;
using Keelson.Operations.Monitoring;
using Keelson.Rendering.Objects;
using Keelson.Sandbox.Metrics;

namespace Keelson.Server.Monitoring;

/// <summary>
/// Demo mode's samples with no agent at all: each deployed tenant's namespace in the embedded sandbox, reduced by
/// <see cref="NamespaceUsage"/> (CPU, memory, GPU, requests, latency, errors, pods) and stamped with the server's
/// clock. <see cref="RecordAsync"/> takes a sample of every tenant (the sampling loop calls it each interval, a
/// query calls it when its window reaches now), and the samples are kept in memory for the history window, so a
/// query over the last hours reads what the sandbox showed then. A tenant is a namespace labelled
/// <c>keelson.dev/tenant</c>, as rendered stacks are. The same readings per workload (a component of the tenant's
/// stack) are kept for <paramref name="componentHistory"/>, shorter by default because a tenant has many.
/// </summary>
public sealed class SandboxSampleSource(DeploymentClusters clusters, TimeProvider time, TimeSpan history, TimeSpan componentHistory) : IComponentSampleSource
{
    // A query within this long of the last sample reuses it, so a burst of queries adds no points.
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    private readonly Lock sync = new();
    private readonly Dictionary<string, List<MetricSample>> samples = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ComponentRow>> components = new(StringComparer.Ordinal);
    private DateTimeOffset last = DateTimeOffset.MinValue;

    /// <inheritdoc />
    public string Name => "sandbox";

    /// <summary>Raised with each tenant's per-component samples of an instant as they are recorded (for <c>/ws/monitoring/{tenant_id}/components</c>).</summary>
    public event Action<ComponentInstant>? ComponentsRecorded;

    /// <summary>Samples every tenant of every embedded sandbox now, keeps them, and returns them (empty when there is nothing deployed).</summary>
    public async Task<IReadOnlyList<MetricSample>> RecordAsync(CancellationToken cancellationToken)
    {
        var readings = await clusters.InspectSandboxesAsync(cluster =>
        {
            var context = cluster.Engine.Context;
            var tenants = context.Store.List<V1Namespace>()
                .Where(n => n.Metadata.Labels?.ContainsKey(Labels.Tenant) == true)
                .ToDictionary(n => n.Metadata.Name, n => n.Metadata.Labels[Labels.Tenant], StringComparer.Ordinal);
            return NamespaceUsage.ReadWithWorkloads(context).Where(n => tenants.ContainsKey(n.Key)).Select(n => (Tenant: tenants[n.Key], Readings: n.Value)).ToList();
        }, cancellationToken).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var batch = readings.SelectMany(r => r)
            .SelectMany(r => r.Readings.Namespace.Select(reading => MetricSample.Of(r.Tenant, reading.Name, reading.Value, now)))
            .ToList();
        lock (sync)
        {
            last = now;
            foreach (var sample in batch)
            {
                if (!samples.TryGetValue(sample.TenantId, out var list))
                {
                    samples[sample.TenantId] = list = [];
                }

                list.Add(sample);
            }

            foreach (var (tenant, usage) in readings.SelectMany(r => r))
            {
                if (!components.TryGetValue(tenant, out var rows))
                {
                    components[tenant] = rows = [];
                }

                rows.AddRange(usage.Workloads.Select(w => new ComponentRow(now, w.Key, w.Value)));
            }

            foreach (var list in samples.Values)
            {
                list.RemoveAll(s => s.Timestamp < now - history);
            }

            foreach (var rows in components.Values)
            {
                rows.RemoveAll(r => r.At < now - componentHistory);
            }
        }

        if (ComponentsRecorded is { } recorded)
        {
            foreach (var (tenant, usage) in readings.SelectMany(r => r))
            {
                recorded(new ComponentInstant(tenant, now, [.. usage.Workloads.OrderBy(w => w.Key, StringComparer.Ordinal)
                    .Select(w => new ComponentSamples(w.Key, [.. w.Value.Select(reading => MetricSample.Of(tenant, reading.Name, reading.Value, now)).OrderBy(m => m.MetricName, StringComparer.Ordinal)]))]));
            }
        }

        return batch;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MetricSample>> ReadAsync(MetricSelector selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        await RefreshAsync(selector.End, cancellationToken).ConfigureAwait(false);
        lock (sync)
        {
            return samples.TryGetValue(selector.TenantId, out var list)
                ? [.. list.Where(s => s.Timestamp >= selector.Start && s.Timestamp <= selector.End && Wanted(s, selector.Metrics))
                    .OrderBy(s => s.MetricName, StringComparer.Ordinal).ThenBy(s => s.Timestamp)]
                : [];
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ComponentSamples>> ReadComponentsAsync(MetricSelector selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        await RefreshAsync(selector.End, cancellationToken).ConfigureAwait(false);
        lock (sync)
        {
            return components.TryGetValue(selector.TenantId, out var rows)
                ? [.. rows.Where(r => r.At >= selector.Start && r.At <= selector.End)
                    .SelectMany(r => r.Readings.Select(reading => (r.Component, Sample: MetricSample.Of(selector.TenantId, reading.Name, reading.Value, r.At))))
                    .Where(c => Wanted(c.Sample, selector.Metrics))
                    .GroupBy(c => c.Component, StringComparer.Ordinal)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new ComponentSamples(g.Key, [.. g.Select(c => c.Sample).OrderBy(s => s.MetricName, StringComparer.Ordinal).ThenBy(s => s.Timestamp)]))]
                : [];
        }
    }

    // A window reaching now takes a sample first, unless one was taken a moment ago.
    private async Task RefreshAsync(DateTimeOffset end, CancellationToken cancellationToken)
    {
        bool stale;
        lock (sync)
        {
            stale = time.GetUtcNow() - last > Fresh;
        }

        if (stale && end >= time.GetUtcNow() - Fresh)
        {
            await RecordAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Wanted(MetricSample sample, IReadOnlyList<string> metrics) =>
        metrics.Count == 0 || metrics.Any(m => string.Equals(m, sample.MetricName, StringComparison.Ordinal) || string.Equals(m, sample.MetricType, StringComparison.Ordinal));

    // One sampling instant of one workload: its readings kept as the sandbox gave them, made into samples only when read.
    private sealed record ComponentRow(DateTimeOffset At, string Component, IReadOnlyList<UsageReading> Readings);
}
