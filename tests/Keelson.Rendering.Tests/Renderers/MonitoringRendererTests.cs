using System.Diagnostics;
using System.Text.Json;
using k8s.Models;
using Keelson.Rendering.Crds;
using Keelson.Rendering.Output;

namespace Keelson.Rendering.Tests.Renderers;

public sealed class MonitoringRendererTests
{
    [Fact]
    public void Prod_stacks_get_monitors_rules_a_dashboard_and_a_plain_config()
    {
        var manifest = Examples.Render("restaurant.yaml");

        Assert.Equal(["gateway", "iot", "user"], manifest.OfType<ServiceMonitor>().Select(m => m.Metadata.Name).Order());
        var monitor = manifest.OfType<ServiceMonitor>().Single(m => m.Metadata.Name == "gateway");
        Assert.Equal(("http", "/metrics", "15s"), (monitor.Spec!.Endpoints[0].Port, monitor.Spec.Endpoints[0].Path, monitor.Spec.Endpoints[0].Interval));
        Assert.Single(manifest.OfType<PrometheusRule>());
        Assert.Contains(manifest.OfType<V1ConfigMap>(), c => c.Metadata.Labels.TryGetValue("grafana_dashboard", out var v) && v == "1");
        var config = manifest.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "prometheus-config");
        Assert.Equal("200h", config.Metadata.Annotations["keelson.dev/retention"]);
        Assert.Contains("scrape_interval: 15s", config.Data["prometheus.yml"], StringComparison.Ordinal);
    }

    [Fact]
    public void Staging_stacks_render_no_monitoring_unless_asked()
    {
        Assert.DoesNotContain(Examples.Render("saga-commerce.yaml").Objects, o => o.Group == ObjectGroup.Monitoring);
        var asked = ManifestRenderer.Default.Render(Examples.Render("saga-commerce.yaml").Plan, new RenderOptions { Monitoring = true });
        Assert.NotEmpty(asked.OfType<ServiceMonitor>());
    }

    [Fact]
    public void Alert_thresholds_come_from_the_sla()
    {
        // Restaurant: 99.9 % availability leaves a 0.001 error budget; 200 ms response target.
        var rules = Examples.Render("restaurant.yaml").OfType<PrometheusRule>().Single().Spec!.Groups.SelectMany(g => g.Rules).ToDictionary(r => r.Alert);

        Assert.Contains("> (14.4 * 0.001)", rules["ErrorBudgetFastBurn"].Expr, StringComparison.Ordinal);
        Assert.Contains("[1h]", rules["ErrorBudgetFastBurn"].Expr, StringComparison.Ordinal);
        Assert.Contains("[5m]", rules["ErrorBudgetFastBurn"].Expr, StringComparison.Ordinal);
        Assert.Contains("> (6 * 0.001)", rules["ErrorBudgetSlowBurn"].Expr, StringComparison.Ordinal);
        Assert.EndsWith("> 0.2", rules["LatencyAboveTarget"].Expr, StringComparison.Ordinal);
        Assert.Equal("critical", rules["ErrorBudgetFastBurn"].Labels["severity"]);

        // The call center's 99.95 % halves the budget.
        var callCenter = Examples.Render("ai-call-center.yaml").OfType<PrometheusRule>().Single().Spec!.Groups[0].Rules[0];
        Assert.Contains("> (14.4 * 0.0005)", callCenter.Expr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scraped_pods_carry_the_annotations_the_plain_config_keeps()
    {
        var gateway = Examples.Render("restaurant.yaml").OfType<V1Deployment>().Single(d => d.Metadata.Name == "gateway").Spec.Template.Metadata.Annotations;

        Assert.Equal(("true", "8080", "/metrics"), (gateway["prometheus.io/scrape"], gateway["prometheus.io/port"], gateway["prometheus.io/path"]));
    }

    [Fact]
    public void Dashboard_is_valid_grafana_json_with_a_panel_per_signal()
    {
        var map = Examples.Render("quant-platform.yaml").OfType<V1ConfigMap>().Single(c => c.Metadata.Labels.ContainsKey("grafana_dashboard"));
        using var dashboard = JsonDocument.Parse(map.Data["quant-platform.json"]);

        Assert.Equal("keelson-quant-platform", dashboard.RootElement.GetProperty("uid").GetString());
        Assert.Equal(6, dashboard.RootElement.GetProperty("panels").GetArrayLength());
        var expr = dashboard.RootElement.GetProperty("panels")[0].GetProperty("targets")[0].GetProperty("expr").GetString();
        Assert.Contains("service=~\"api|inference|backtest\"", expr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("restaurant.yaml")]
    [InlineData("ai-call-center.yaml")]
    [InlineData("autus-pipeline.yaml")]
    public async Task Promtool_accepts_the_config_and_the_rules(string example)
    {
        var config = Examples.Render(example).OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "prometheus-config");
        var dir = Directory.CreateTempSubdirectory("keelson-prom-").FullName;
        try
        {
            foreach (var (name, content) in config.Data)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, name), name == "prometheus.yml" ? WithoutKubernetesDiscovery(content) : content);
            }

            await Promtool("check", "rules", Path.Combine(dir, "alerts.yml"));
            await Promtool("check", "config", Path.Combine(dir, "prometheus.yml"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Tree_holds_the_plain_prometheus_and_grafana_files()
    {
        var files = TreeLayout.Files(Examples.Render("restaurant.yaml")).Select(f => f.Path).ToList();

        Assert.Contains("monitoring/prometheus/prometheus.yml", files);
        Assert.Contains("monitoring/prometheus/alerts.yml", files);
        Assert.Contains("monitoring/grafana/restaurant-system.json", files);
        Assert.Contains("monitoring/gateway-servicemonitor.yaml", files);
    }

    /// <summary>
    /// Debian's Prometheus is built without Kubernetes service discovery, so its promtool rejects
    /// <c>kubernetes_sd_configs</c>. The check swaps that one block for a static target and leaves the rest
    /// (global settings, rule files, relabelling) for promtool to judge.
    /// </summary>
    private static string WithoutKubernetesDiscovery(string yaml)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents[0].RootNode;
        var scrape = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlSequenceNode)root["scrape_configs"])[0];
        Assert.True(scrape.Children.Remove(new YamlDotNet.RepresentationModel.YamlScalarNode("kubernetes_sd_configs")));
        scrape.Add("static_configs", new YamlDotNet.RepresentationModel.YamlSequenceNode(
            new YamlDotNet.RepresentationModel.YamlMappingNode { { "targets", new YamlDotNet.RepresentationModel.YamlSequenceNode(new YamlDotNet.RepresentationModel.YamlScalarNode("localhost:9090")) } }));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static async Task Promtool(params string[] args)
    {
        using var promtool = Process.Start(new ProcessStartInfo("promtool", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = promtool.StandardOutput.ReadToEndAsync();
        var error = promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.True(promtool.ExitCode == 0, $"promtool {string.Join(' ', args)}: {await output}{await error}");
    }
}
