using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Rendering.Crds;
using Keelson.Rendering.Objects;
using Keelson.Rendering.Output;

namespace Keelson.Rendering.Renderers;

/// <summary>
/// Monitoring, when asked (by default in prod): a ServiceMonitor per component with metrics, a PrometheusRule
/// with the SLA's alerts, a Grafana dashboard in a ConfigMap the Grafana sidecar picks up, and a plain
/// <c>prometheus.yml</c> with the same alerts for clusters without the prometheus-operator.
/// </summary>
public sealed class MonitoringRenderer : IManifestRenderer
{
    /// <summary>Label the Grafana dashboard sidecar watches for.</summary>
    public const string DashboardLabel = "grafana_dashboard";

    /// <inheritdoc/>
    public IEnumerable<RenderedObject> Render(RenderContext context)
    {
        if (!context.Monitoring)
        {
            yield break;
        }

        var interval = Duration(context.Options.ScrapeInterval);
        var monitored = new List<(string Name, MetricsEndpoint Endpoint)>();
        foreach (var component in context.Plan.Components)
        {
            var endpoint = MetricsEndpoint.For(component, ContainerContract.For(component, component.Workloads[0]));
            if (endpoint is null)
            {
                continue;
            }

            monitored.Add((component.Name, endpoint));
            yield return new RenderedObject(
                new ServiceMonitor
                {
                    Metadata = Meta(context, component.Name),
                    Spec = new ServiceMonitorSpec
                    {
                        Selector = new V1LabelSelector { MatchLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { [Labels.Component] = component.Name } },
                        Endpoints = [new MonitorEndpoint { Port = endpoint.PortName, Path = endpoint.Path, Interval = interval }],
                    },
                },
                component.Name,
                ObjectGroup.Monitoring);
        }

        var groups = AlertRules.For(context);
        yield return new RenderedObject(new PrometheusRule { Metadata = Meta(context, context.Tenant + "-slo"), Spec = new PrometheusRuleSpec { Groups = [.. groups] } }, null, ObjectGroup.Monitoring);

        var dashboard = Meta(context, context.Tenant + "-dashboard");
        dashboard.Labels[DashboardLabel] = "1";
        yield return new RenderedObject(
            new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = dashboard,
                Data = new SortedDictionary<string, string>(StringComparer.Ordinal) { [context.Tenant + ".json"] = GrafanaDashboard.Json(context, monitored.Select(m => m.Name)) },
            },
            null,
            ObjectGroup.Monitoring);

        var prometheus = Meta(context, "prometheus-config");
        prometheus.Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["keelson.dev/retention"] = Duration(context.Options.Retention),
        };
        yield return new RenderedObject(
            new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = prometheus,
                Data = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["alerts.yml"] = ManifestYaml.Document(new JsonObject { ["groups"] = JsonSerializer.SerializeToNode(groups) }),
                    ["prometheus.yml"] = PrometheusYaml(context, interval),
                },
            },
            null,
            ObjectGroup.Monitoring);
    }

    private static V1ObjectMeta Meta(RenderContext context, string name) =>
        new() { Name = name, NamespaceProperty = context.Namespace, Labels = Labels.ForTenant(context) };

    /// <summary>Prometheus duration syntax: 15s, 200h.</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalSeconds % 3600 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0}h")
        : span.TotalSeconds % 60 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0}m")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0}s");

    private static string PrometheusYaml(RenderContext context, string interval)
    {
        static JsonArray Strings(params string[] values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        var config = new JsonObject
        {
            ["global"] = new JsonObject
            {
                ["scrape_interval"] = interval,
                ["evaluation_interval"] = interval,
                ["external_labels"] = new JsonObject { ["tenant"] = context.Tenant },
            },
            ["rule_files"] = Strings("alerts.yml"),
            ["scrape_configs"] = new JsonArray(new JsonObject
            {
                ["job_name"] = context.Tenant + "-pods",
                ["kubernetes_sd_configs"] = new JsonArray(new JsonObject
                {
                    ["role"] = "pod",
                    ["namespaces"] = new JsonObject { ["names"] = Strings(context.Namespace) },
                }),
                ["relabel_configs"] = new JsonArray(
                    new JsonObject { ["source_labels"] = Strings("__meta_kubernetes_pod_annotation_prometheus_io_scrape"), ["action"] = "keep", ["regex"] = "true" },
                    new JsonObject
                    {
                        ["source_labels"] = Strings("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"),
                        ["action"] = "replace",
                        ["regex"] = "([^:]+)(?::\\d+)?;(\\d+)",
                        ["replacement"] = "$1:$2",
                        ["target_label"] = "__address__",
                    },
                    new JsonObject { ["source_labels"] = Strings("__meta_kubernetes_pod_annotation_prometheus_io_path"), ["action"] = "replace", ["regex"] = "(.+)", ["target_label"] = "__metrics_path__" },
                    new JsonObject { ["source_labels"] = Strings("__meta_kubernetes_namespace"), ["target_label"] = "namespace" },
                    new JsonObject { ["source_labels"] = Strings("__meta_kubernetes_pod_name"), ["target_label"] = "pod" },
                    new JsonObject { ["source_labels"] = Strings("__meta_kubernetes_pod_label_keelson_dev_component"), ["target_label"] = "service" }),
            }),
        };
        var header = "# Scrape config for clusters without the prometheus-operator. Generated by keelson.\n"
            + $"# Run Prometheus with --storage.tsdb.retention.time={Duration(context.Options.Retention)}; alerts.yml sits beside this file.\n";
        return header + ManifestYaml.Document(config);
    }
}
