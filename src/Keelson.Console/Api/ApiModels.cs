namespace Keelson.Console.Api;

/// <summary>One row of <c>GET /api/v1/tenants/</c>.</summary>
public sealed record TenantRow(
    string TenantId, string Name, string Preset, string Status, bool IsDemo, int ServicesCount,
    int? GpuLimit, string? GpuType, string TenancyMode, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, int>? ServiceConfig);

/// <summary>A page of tenants with the database's counts.</summary>
public sealed record TenantPage(IReadOnlyList<TenantRow> Tenants, int TotalCount, int DemoCount, int ActiveCount);

/// <summary>The answer of <c>POST /api/v1/tenants/calculate-resources</c>.</summary>
public sealed record PlanView(string Preset, PlanTotals Resources, IReadOnlyList<PlannedService> Services, IReadOnlyList<PlannedPool> Nodes, PlanCost EstimatedCost);

/// <summary>Requested resources at peak.</summary>
public sealed record PlanTotals(string Cpu, string Memory, int Gpu, string Storage);

/// <summary>One planned component.</summary>
public sealed record PlannedService(string Name, string Kind, string Pool, string Device, int? Sessions, int MinReplicas, int Replicas, int MaxReplicas, string Cpu, string Memory, int Gpu, double MonthlyUsd, string Rationale);

/// <summary>Nodes of one pool, beside the bin-packing lower bound.</summary>
public sealed record PlannedPool(string Pool, string InstanceType, int Nodes, int OffPeakNodes, int LowerBound, string LowerBoundBy, string NodesReason, double MonthlyUsd);

/// <summary>Monthly cost on demand and with the stack's savings (spot, reserved, scale-down).</summary>
public sealed record PlanCost(double MonthlyUsd, double OptimisedMonthlyUsd, string Summary);

/// <summary>One finding of the validator.</summary>
public sealed record Finding(string Id, string Severity, [property: System.Text.Json.Serialization.JsonPropertyName("object")] string? Resource, string? File, int? Line, string? Path, string Message, string? Hint);

/// <summary>The answer of <c>POST /api/v1/tenants/validate-manifest</c>.</summary>
public sealed record ValidationView(bool Valid, IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors, IReadOnlyList<Finding> Findings);

/// <summary>A durable deployment and its steps.</summary>
public sealed record DeploymentView(
    string DeploymentId, string TenantId, int Revision, string Status, bool Finished, string? Error, string? RollbackOf, string Action,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<DeploymentStepView> Steps);

/// <summary>One step of a deployment.</summary>
public sealed record DeploymentStepView(string Name, string Status, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Message);

/// <summary>The deployments of one tenant, newest first.</summary>
public sealed record DeploymentHistory(string TenantId, IReadOnlyList<DeploymentView> Deployments);

/// <summary>A progress line of the deployment stream: an object applied, waited for or pruned.</summary>
public sealed record DeploymentEvent(DateTimeOffset At, string Step, [property: System.Text.Json.Serialization.JsonPropertyName("object")] string? Resource, string Message);

/// <summary>A downloaded file.</summary>
public sealed record Download(string FileName, string ContentType, byte[] Content);

/// <summary>The answer of <c>GET /api/v1/tenants/{id}/monitoring</c>.</summary>
public sealed record MetricsAnswer(string Source, IReadOnlyList<MetricSeries> Series);

/// <summary>The answer of <c>GET /api/v1/tenants/{id}/monitoring/components</c>: each component's series.</summary>
public sealed record ComponentMetricsAnswer(DateTimeOffset Start, DateTimeOffset End, string Source, IReadOnlyList<ComponentMetrics> Components)
{
    /// <summary>
    /// The answer with one streamed instant added (<c>/ws/monitoring/{id}/components</c>): a point on each series it
    /// names (a new component or metric gets a series), the window slid to end there, and points that left it dropped.
    /// </summary>
    public ComponentMetricsAnswer Add(DateTimeOffset at, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (at <= End)
        {
            // Already in the window (a read just after the instant): adding it again would draw it twice.
            return this;
        }

        var start = at - (End - Start);
        var names = Components.Select(c => c.Component).Union(values.Keys).Order(StringComparer.Ordinal);
        return this with
        {
            Start = start,
            End = at,
            Components = [.. names.Select(name =>
            {
                var kept = Components.FirstOrDefault(c => c.Component == name)?.Series ?? [];
                var now = values.TryGetValue(name, out var v) ? v : new Dictionary<string, double>();
                var metrics = kept.Select(s => s.MetricName).Union(now.Keys).Order(StringComparer.Ordinal);
                return new ComponentMetrics(name, [.. metrics.Select(metric =>
                {
                    var series = kept.FirstOrDefault(s => s.MetricName == metric) ?? new MetricSeries(metric, metric, Source, []);
                    var points = series.Points.Where(p => p.Timestamp >= start);
                    return series with { Points = [.. now.TryGetValue(metric, out var value) ? points.Append(new MetricPointView(at, value)) : points] };
                })]);
            })],
        };
    }
}

/// <summary>One component of a tenant and its series.</summary>
public sealed record ComponentMetrics(string Component, IReadOnlyList<MetricSeries> Series);

/// <summary>One series of a metrics answer.</summary>
public sealed record MetricSeries(string MetricName, string MetricType, string Source, IReadOnlyList<MetricPointView> Points);

/// <summary>One point of a series.</summary>
public sealed record MetricPointView(DateTimeOffset Timestamp, double Value);

/// <summary>One alert rule.</summary>
public sealed record AlertRuleView(
    string AlertName,
    string Condition,
    string Promql,
    string Duration,
    string Severity,
    bool Enabled,
    string KeepFiringFor = "0s",
    string? Expr = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    IReadOnlyDictionary<string, string>? Annotations = null,
    IReadOnlyList<AlertActionView>? Actions = null,
    long Version = 0);

/// <summary>A rule's action as the API shows it: webhook and Slack URLs redacted to scheme and host.</summary>
public sealed record AlertActionView(string Type, string? Url, string? Method, IReadOnlyList<string>? Recipients, string? Channel);

/// <summary>One action's outcome of a test notification.</summary>
public sealed record TestDeliveryView(string Type, string Receiver, string Outcome, int? StatusCode, string? Error, double? DurationMs);

/// <summary>The answer of a test notification: delivered when every receiver accepted it.</summary>
public sealed record TestNotificationView(string AlertName, bool Delivered, IReadOnlyList<TestDeliveryView> Results);

/// <summary>One transition of a tenant's alerts.</summary>
public sealed record AlertEventView(string AlertName, DateTimeOffset At, string From, string To, double Value);

/// <summary>A page of transitions, newest first.</summary>
public sealed record AlertEventPageView(IReadOnlyList<AlertEventView> Events, long Total, int Offset, int Limit);

/// <summary>One attempt to deliver a notification.</summary>
public sealed record NotificationAttemptView(int Attempt, DateTimeOffset At, double DurationMs, string Outcome, int? StatusCode, string? Error);

/// <summary>A notification of the outbox: its receiver (redacted), state, attempts and last error.</summary>
public sealed record NotificationView(
    string Id,
    string Receiver,
    string ReceiverKind,
    string Status,
    int Alerts,
    string State,
    int Attempts,
    DateTimeOffset CreatedAt,
    string? LastError,
    IReadOnlyList<NotificationAttemptView> AttemptLog,
    string? TenantId = null);

/// <summary>A list of notifications.</summary>
public sealed record NotificationListView(IReadOnlyList<NotificationView> Notifications);

/// <summary>An alert of the cross-tenant list (<c>GET /api/v1/alerts/</c>).</summary>
public sealed record AlertItemView(string AlertId, string Title, string Message, string Severity, string TenantId, string Status, DateTimeOffset Timestamp);

/// <summary>A page of the cross-tenant alert list.</summary>
public sealed record AlertItemPageView(IReadOnlyList<AlertItemView> Alerts, long TotalCount);

/// <summary>A tenant's rules.</summary>
public sealed record AlertRuleListView(IReadOnlyList<AlertRuleView> Alerts, int Total);

/// <summary>A pending or firing alert.</summary>
public sealed record ActiveAlertView(string AlertName, string State, string Severity, double Value, DateTimeOffset ActiveAt, DateTimeOffset? FiredAt);

/// <summary>A tenant's pending and firing alerts.</summary>
public sealed record ActiveAlertListView(IReadOnlyList<ActiveAlertView> Alerts, int Total);

/// <summary>A demo tenant's load spike as <c>GET/POST /api/v1/tenants/{id}/load-spikes</c> answers it (times on the sandbox's clock).</summary>
public sealed record LoadSpikeView(string TenantId, double Factor, DateTimeOffset StartedAt, DateTimeOffset EndsAt, double RemainingSeconds, IReadOnlyList<string> Workloads);
