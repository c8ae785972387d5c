using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Alerts;
using Keelson.Rendering.Output;

namespace Keelson.Operations.Tests.Alerts;

/// <summary>A tenant's rules rendered as a PrometheusRule whose groups the real <c>promtool check rules</c> accepts.</summary>
public sealed class AlertRuleRenderingTests
{
    [Fact]
    public async Task Rendered_rules_pass_promtool_check_rules()
    {
        AlertRule Rule(string name, string condition, bool enabled = true) => new("acme", name, condition, ConditionParser.Parse(condition), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), "critical",
            ImmutableSortedDictionary<string, string>.Empty.Add("team", "ops"),
            ImmutableSortedDictionary<string, string>.Empty.Add("summary", "cpu {{ $value }} on {{ $labels.tenant }}"), enabled, []);
        var rendered = AlertRuleRendering.Render("acme", "acme", [Rule("HighCpu", "avg(cpu_usage[5m]) > 80 and rate(requests_total[1m]) > 2"), Rule("Off", "cpu_usage > 1", false), Rule("Mem", "memory_usage{tenant=\"acme\"} > 90")]);

        var group = Assert.Single(rendered.Spec!.Groups);
        Assert.Equal(["HighCpu", "Mem"], group.Rules.Select(r => r.Alert));
        Assert.Equal("(avg_over_time(cpu_usage[5m]) > 80) and (rate(requests_total[1m]) > 2)", group.Rules[0].Expr);
        Assert.Equal("30s", group.Rules[0].KeepFiringFor);

        var file = Path.Combine(Directory.CreateTempSubdirectory("keelson-alert-rules-").FullName, "rules.yml");
        await File.WriteAllTextAsync(file, ManifestYaml.Document(new JsonObject { ["groups"] = JsonSerializer.SerializeToNode(rendered.Spec.Groups) }));
        using var promtool = Process.Start(new ProcessStartInfo("promtool", ["check", "rules", file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = promtool.StandardOutput.ReadToEndAsync();
        var error = await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.True(promtool.ExitCode == 0, await output + error);
        Assert.Contains("SUCCESS: 2 rules found", await output, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(file)!, true);
    }
}
