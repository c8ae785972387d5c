using System.Text.Json.Serialization;
using k8s.Models;

namespace Keelson.Rendering.Crds;

/// <summary>A prometheus-operator ServiceMonitor (<c>monitoring.coreos.com/v1</c>).</summary>
public sealed class ServiceMonitor : CustomResource<ServiceMonitorSpec>
{
    /// <summary>API group and version of the prometheus-operator kinds.</summary>
    public const string Version = "monitoring.coreos.com/v1";

    /// <summary>Creates an empty ServiceMonitor with its apiVersion and kind set.</summary>
    public ServiceMonitor()
    {
        ApiVersion = Version;
        Kind = "ServiceMonitor";
    }
}

/// <summary>Spec of a ServiceMonitor.</summary>
public sealed class ServiceMonitorSpec
{
    /// <summary>Services scraped.</summary>
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    /// <summary>Ports and paths scraped.</summary>
    [JsonPropertyName("endpoints")]
    public IList<MonitorEndpoint> Endpoints { get; set; } = [];
}

/// <summary>One scraped endpoint.</summary>
public sealed class MonitorEndpoint
{
    /// <summary>Service port name.</summary>
    [JsonPropertyName("port")]
    public string Port { get; set; } = "";

    /// <summary>Metrics path.</summary>
    [JsonPropertyName("path")]
    public string Path { get; set; } = "/metrics";

    /// <summary>Scrape interval, e.g. 15s.</summary>
    [JsonPropertyName("interval")]
    public string Interval { get; set; } = "15s";
}

/// <summary>A prometheus-operator PrometheusRule.</summary>
public sealed class PrometheusRule : CustomResource<PrometheusRuleSpec>
{
    /// <summary>Creates an empty PrometheusRule with its apiVersion and kind set.</summary>
    public PrometheusRule()
    {
        ApiVersion = ServiceMonitor.Version;
        Kind = "PrometheusRule";
    }
}

/// <summary>Spec of a PrometheusRule.</summary>
public sealed class PrometheusRuleSpec
{
    /// <summary>Rule groups.</summary>
    [JsonPropertyName("groups")]
    public IList<RuleGroup> Groups { get; set; } = [];
}

/// <summary>A group of alerting rules evaluated together.</summary>
public sealed class RuleGroup
{
    /// <summary>Group name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>The rules.</summary>
    [JsonPropertyName("rules")]
    public IList<AlertRule> Rules { get; set; } = [];
}

/// <summary>An alerting rule.</summary>
public sealed class AlertRule
{
    /// <summary>Alert name.</summary>
    [JsonPropertyName("alert")]
    public string Alert { get; set; } = "";

    /// <summary>PromQL condition.</summary>
    [JsonPropertyName("expr")]
    public string Expr { get; set; } = "";

    /// <summary>How long the condition must hold, e.g. 5m.</summary>
    [JsonPropertyName("for")]
    public string For { get; set; } = "5m";

    /// <summary>How long the alert keeps firing after the condition stops holding; omitted when null.</summary>
    [JsonPropertyName("keep_firing_for")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeepFiringFor { get; set; }

    /// <summary>Labels, e.g. severity.</summary>
    [JsonPropertyName("labels")]
    public IDictionary<string, string> Labels { get; set; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Summary and description.</summary>
    [JsonPropertyName("annotations")]
    public IDictionary<string, string> Annotations { get; set; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
