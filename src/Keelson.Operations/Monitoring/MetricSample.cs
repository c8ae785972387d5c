namespace Keelson.Operations.Monitoring;

/// <summary>One value of one tenant's metric at one instant: a row of the seed's <c>monitoring_data</c> table.</summary>
/// <param name="TenantId">The tenant the sample belongs to.</param>
/// <param name="MetricType">The family the seed queries by (<c>cpu</c> for <c>cpu_usage</c>); see <see cref="MetricNames.TypeOf"/>.</param>
/// <param name="MetricName">The Prometheus-valid series name, e.g. <c>cpu_usage</c>.</param>
/// <param name="Value">A finite value.</param>
/// <param name="Timestamp">When the value was observed.</param>
public sealed record MetricSample(string TenantId, string MetricType, string MetricName, double Value, DateTimeOffset Timestamp)
{
    /// <summary>A sample whose type is derived from its name.</summary>
    public static MetricSample Of(string tenantId, string metricName, double value, DateTimeOffset timestamp) =>
        new(tenantId, MetricNames.TypeOf(metricName), metricName, value, timestamp);
}
