using Keelson.Validation.Schema;

namespace Keelson.Validation.Tests.Schema.Crds;

public sealed class PrometheusRuleSchemaTests
{
    [Fact]
    public void Real_world_rules_with_recording_and_alerting_rules_have_no_findings()
    {
        const string yaml = """
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata:
              name: api-rules
              namespace: monitoring
              labels: {release: kube-prometheus-stack, role: alert-rules}
            spec:
              groups:
              - name: api.rules
                interval: 1m
                query_offset: 30s
                limit: 100
                partial_response_strategy: warn
                labels: {team: payments}
                rules:
                - record: job:http_requests:rate5m
                  expr: sum by (job) (rate(http_requests_total[5m]))
                - alert: ApiHighErrorRate
                  expr: |
                    sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05
                  for: 10m
                  keep_firing_for: 5m
                  labels: {severity: critical}
                  annotations:
                    summary: API error rate above 5%
                    runbook_url: https://runbooks.example.com/api-errors
              - name: watchdog
                rules:
                - alert: Watchdog
                  expr: vector(1)
                  labels: {severity: none}
            """;

        Assert.Empty(Fixtures.Validate(yaml).Findings);
    }

    [Fact]
    public void Rules_need_exactly_one_of_alert_and_record_an_expr_and_a_group_name()
    {
        const string yaml = """
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata: {name: rules, namespace: monitoring}
            spec:
              groups:
              - name: broken
                interval: 5 minutes
                rules:
                - alert: Both
                  record: both:sum
                  expr: up == 0
                - expr: up
                  labels: {severity: page}
                - alert: NoExpr
                  for: 5m
                  anotations: {summary: typo}
              - rules: []
            """;

        Assert.Equal(
            [
                (FieldRules.ValueId, 7, "spec.groups[0].interval"),
                (FieldRules.ValueId, 10, "spec.groups[0].rules[0].record"),
                (FieldRules.RequiredId, 12, "spec.groups[0].rules[1]"),
                (FieldRules.RequiredId, 14, "spec.groups[0].rules[2].expr"),
                (SchemaWalker.UnknownFieldId, 16, "spec.groups[0].rules[2].anotations"),
                (FieldRules.RequiredId, 17, "spec.groups[1].name"),
            ],
            Fixtures.SchemaFindings(yaml));
        var findings = Fixtures.Validate(yaml).Findings;
        Assert.Equal("only one of 'alert' or 'record' may be set", findings.Single(f => f.Line == 10).Message);
        Assert.Equal("one of 'alert' or 'record' is required", findings.Single(f => f.Line == 12).Message);
        Assert.Equal("Did you mean 'annotations'?", findings.Single(f => f.Line == 16).Hint);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("90s")]
    [InlineData("1h30m")]
    [InlineData("2d12h")]
    [InlineData("500ms")]
    public void Prometheus_durations_are_accepted(string duration)
    {
        var yaml = $"apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {{name: r}}\nspec: {{groups: [{{name: g, interval: \"{duration}\", rules: []}}]}}\n";

        Assert.Empty(Fixtures.SchemaFindings(yaml));
    }

    [Theory]
    [InlineData("5 m")]
    [InlineData("1.5h")]
    [InlineData("30m1h")]
    [InlineData("10sec")]
    public void Malformed_durations_are_value_errors(string duration)
    {
        var yaml = $"apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {{name: r}}\nspec: {{groups: [{{name: g, interval: \"{duration}\", rules: []}}]}}\n";

        Assert.Equal([(FieldRules.ValueId, 4, "spec.groups[0].interval")], Fixtures.SchemaFindings(yaml));
    }
}
