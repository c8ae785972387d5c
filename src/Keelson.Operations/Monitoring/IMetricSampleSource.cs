namespace Keelson.Operations.Monitoring;

/// <summary>
/// Anything that can answer "these metrics of this tenant over this window": the pushed-sample store today, the
/// sandbox's simulated pods or a real cluster's Prometheus later. The query path reads through this seam only.
/// </summary>
public interface IMetricSampleSource
{
    /// <summary>Which source this is, named in every query answer: <c>store</c>, <c>sandbox</c> or <c>prometheus</c>.</summary>
    string Name => "store";

    /// <summary>The samples the selector names, ordered by series name then time.</summary>
    Task<IReadOnlyList<MetricSample>> ReadAsync(MetricSelector selector, CancellationToken cancellationToken);
}

/// <summary>Which samples to read: one tenant, a closed time window, and metric types or names (none = all).</summary>
public sealed record MetricSelector(string TenantId, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string> Metrics);

/// <summary>Instant PromQL queries against a real Prometheus (<c>/api/v1/query</c>), for alert rules that carry an <c>expr</c>.</summary>
public interface IInstantQuery
{
    /// <summary>The query's result at <paramref name="at"/>, ordered by label set; <see cref="PrometheusQueryException"/> when it is refused.</summary>
    Task<IReadOnlyList<InstantSample>> QueryAsync(string promql, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>One series of an instant query's result.</summary>
public sealed record InstantSample(System.Collections.Immutable.ImmutableSortedDictionary<string, string> Labels, double Value);

/// <summary>
/// A source that can also answer per component of a tenant (a Deployment, StatefulSet or container of its stack):
/// the embedded sandbox's simulated pods, or a real cluster's Prometheus by a component label. Pushed samples are per
/// tenant, as the seed's <c>monitoring_data</c> is, so the store is not one.
/// </summary>
public interface IComponentSampleSource : IMetricSampleSource
{
    /// <summary>The samples the selector names, per component, ordered by component, then series name, then time.</summary>
    Task<IReadOnlyList<ComponentSamples>> ReadComponentsAsync(MetricSelector selector, CancellationToken cancellationToken);
}

/// <summary>One component's samples.</summary>
/// <param name="Component">The component's name (a workload or container name).</param>
/// <param name="Samples">Its samples, ordered by series name then time.</param>
public sealed record ComponentSamples(string Component, IReadOnlyList<MetricSample> Samples);
