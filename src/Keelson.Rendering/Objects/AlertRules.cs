using System.Globalization;
using Keelson.Rendering.Crds;

namespace Keelson.Rendering.Objects;

/// <summary>
/// Alerting rules derived from the stack's SLA: availability as multi-window burn rates of the error budget
/// (the Google SRE workbook's 14.4× over 1 h and 5 min to page, 6× over 6 h and 30 min to open a ticket),
/// latency as the p95 of the request-duration histogram against the response-time target, and saturation
/// of CPU, memory, autoscaler ceilings, readiness and volumes.
/// </summary>
/// <remarks>
/// Workloads are expected to expose <c>http_requests_total{code}</c> and the
/// <c>http_request_duration_seconds</c> histogram; the saturation rules read cAdvisor, kube-state-metrics
/// and kubelet volume metrics.
/// </remarks>
public static class AlertRules
{
    /// <summary>The rule groups of a tenant.</summary>
    public static IReadOnlyList<RuleGroup> For(RenderContext context)
    {
        var ns = context.Namespace;
        var sla = context.Plan.Spec.Sla;
        var budget = 1 - (sla.AvailabilityPercent / 100);
        var selector = $"namespace=\"{ns}\"";

        string Errors(string window) =>
            $"(sum(rate(http_requests_total{{{selector},code=~\"5..\"}}[{window}])) / sum(rate(http_requests_total{{{selector}}}[{window}])))";
        string Burn(double rate, string longWindow, string shortWindow) =>
            string.Create(CultureInfo.InvariantCulture, $"{Errors(longWindow)} > ({rate} * {budget:0.#####}) and {Errors(shortWindow)} > ({rate} * {budget:0.#####})");

        var latencySeconds = sla.ResponseTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var availability = sla.AvailabilityPercent.ToString("0.###", CultureInfo.InvariantCulture);
        return
        [
            new RuleGroup
            {
                Name = $"{ns}.slo",
                Rules =
                [
                    Rule("ErrorBudgetFastBurn", Burn(14.4, "1h", "5m"), "2m", "critical",
                        $"{ns} is burning its {availability}% availability budget 14.4x too fast",
                        "At this rate the month's error budget is gone in about two days. Check recent rollouts and failing dependencies."),
                    Rule("ErrorBudgetSlowBurn", Burn(6, "6h", "30m"), "15m", "warning",
                        $"{ns} is burning its {availability}% availability budget 6x too fast",
                        "At this rate the month's error budget is gone in five days."),
                    Rule("LatencyAboveTarget",
                        $"histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{{{selector}}}[5m]))) > {latencySeconds}",
                        "10m", "warning",
                        $"p95 latency of {{{{ $labels.service }}}} is above the {sla.ResponseTime.TotalMilliseconds:0} ms target",
                        "Check saturation alerts and whether the autoscaler is at its ceiling."),
                ],
            },
            new RuleGroup
            {
                Name = $"{ns}.saturation",
                Rules =
                [
                    Rule("CpuNearLimit",
                        $"sum by (pod) (rate(container_cpu_usage_seconds_total{{{selector},container!=\"\"}}[5m])) / sum by (pod) (kube_pod_container_resource_limits{{{selector},resource=\"cpu\"}}) > 0.9",
                        "15m", "warning", "{{ $labels.pod }} uses over 90% of its CPU limit", "The pod is being throttled; raise its limit or let the autoscaler add replicas."),
                    Rule("MemoryNearLimit",
                        $"sum by (pod) (container_memory_working_set_bytes{{{selector},container!=\"\"}}) / sum by (pod) (kube_pod_container_resource_limits{{{selector},resource=\"memory\"}}) > 0.9",
                        "15m", "warning", "{{ $labels.pod }} uses over 90% of its memory limit", "The pod will be OOM-killed if it grows further."),
                    Rule("AutoscalerAtCeiling",
                        $"kube_horizontalpodautoscaler_status_current_replicas{{{selector}}} >= kube_horizontalpodautoscaler_spec_max_replicas{{{selector}}}",
                        "15m", "warning", "{{ $labels.horizontalpodautoscaler }} has been at its maximum replicas for 15 minutes", "Load is above what the plan sized for; re-plan with the observed peak."),
                    Rule("PodNotReady",
                        $"sum by (pod) (kube_pod_status_ready{{{selector},condition=\"false\"}}) > 0",
                        "10m", "warning", "{{ $labels.pod }} has not been ready for 10 minutes", "Check its events, probes and logs."),
                    Rule("VolumeFilling",
                        $"kubelet_volume_stats_used_bytes{{{selector}}} / kubelet_volume_stats_capacity_bytes{{{selector}}} > 0.85",
                        "15m", "warning", "{{ $labels.persistentvolumeclaim }} is over 85% full", "Grow the volume or clean up before it fills."),
                ],
            },
        ];
    }

    private static AlertRule Rule(string name, string expr, string duration, string severity, string summary, string description) => new()
    {
        Alert = name,
        Expr = expr,
        For = duration,
        Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["severity"] = severity },
        Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["description"] = description, ["summary"] = summary },
    };
}
