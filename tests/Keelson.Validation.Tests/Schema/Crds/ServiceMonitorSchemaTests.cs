using Keelson.Validation.Schema;

namespace Keelson.Validation.Tests.Schema.Crds;

public sealed class ServiceMonitorSchemaTests
{
    // kube-prometheus-stack style: TLS, bearer authorization, relabeling, two endpoints, namespace selection.
    private const string RealWorld = """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata:
          name: api
          namespace: monitoring
          labels: {release: kube-prometheus-stack}
        spec:
          jobLabel: app.kubernetes.io/name
          targetLabels: [team]
          podTargetLabels: [version]
          selector:
            matchLabels: {app.kubernetes.io/name: api}
            matchExpressions:
            - {key: tier, operator: In, values: [backend]}
          namespaceSelector:
            matchNames: [shop, payments]
          sampleLimit: 50000
          scrapeProtocols: [PrometheusProto, OpenMetricsText1.0.0]
          attachMetadata: {node: true}
          bodySizeLimit: 10MB
          nativeHistogramMinBucketFactor: "1.1"
          serviceDiscoveryRole: EndpointSlice
          endpoints:
          - port: http-metrics
            path: /metrics
            scheme: https
            interval: 30s
            scrapeTimeout: 10s
            honorLabels: true
            params:
              module: [http_2xx]
            tlsConfig:
              ca: {secret: {name: api-ca, key: ca.crt}}
              serverName: api.shop.svc
              insecureSkipVerify: false
              minVersion: TLS12
            authorization:
              type: Bearer
              credentials: {name: api-token, key: token}
            relabelings:
            - sourceLabels: [__meta_kubernetes_pod_node_name]
              targetLabel: node
              action: replace
            metricRelabelings:
            - {sourceLabels: [__name__], regex: 'go_.*', action: drop}
          - targetPort: 9102
            interval: 1m
            basicAuth:
              username: {name: basic, key: user}
              password: {name: basic, key: pass}
            followRedirects: false
            enableHttp2: true
            filterRunning: true
            proxyUrl: http://proxy.internal:3128
        """;

    [Fact]
    public void Real_world_service_monitor_with_many_optional_fields_has_no_findings()
    {
        Assert.Empty(Fixtures.Validate(RealWorld).Findings);
    }

    [Fact]
    public void Typos_wrong_types_bad_enums_and_durations_are_located()
    {
        const string yaml = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: api, namespace: monitoring}
            spec:
              selector:
                matchLabels: {app: api}
              namespaceSelectr: {any: true}
              sampleLimit: "5000"
              endpoints:
              - port: http
                scheme: htps
                interval: 30 seconds
                honorLabels: "true"
            """;

        Assert.Equal(
            [
                (SchemaWalker.UnknownFieldId, 7, "spec.namespaceSelectr"),
                (SchemaWalker.WrongTypeId, 8, "spec.sampleLimit"),
                (FieldRules.ValueId, 11, "spec.endpoints[0].scheme"),
                (FieldRules.ValueId, 12, "spec.endpoints[0].interval"),
                (SchemaWalker.WrongTypeId, 13, "spec.endpoints[0].honorLabels"),
            ],
            Fixtures.SchemaFindings(yaml));
        var findings = Fixtures.Validate(yaml).Findings;
        Assert.Equal("Did you mean 'namespaceSelector'?", findings.Single(f => f.Line == 7).Hint);
        Assert.StartsWith("Did you mean 'https'?", findings.Single(f => f.Line == 11).Hint, StringComparison.Ordinal);
        Assert.Equal("'30 seconds' is not a duration", findings.Single(f => f.Line == 12).Message);
    }

    [Fact]
    public void Selector_and_endpoints_are_required()
    {
        const string yaml = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: api, namespace: monitoring}
            spec:
              jobLabel: app
            """;

        Assert.Equal([(FieldRules.RequiredId, 5, "spec.endpoints"), (FieldRules.RequiredId, 5, "spec.selector")], Fixtures.SchemaFindings(yaml));
    }

    [Fact]
    public void Core_types_inside_the_crd_are_walked_through_their_models()
    {
        var yaml = RealWorld.Replace("credentials: {name: api-token, key: token}", "credentials: {name: api-token, kee: token}", StringComparison.Ordinal);

        Assert.Equal([(SchemaWalker.UnknownFieldId, 39, "spec.endpoints[0].authorization.credentials.kee")], Fixtures.SchemaFindings(yaml));
    }
}
