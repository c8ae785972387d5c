using k8s.Models;
using static Keelson.Validation.Schema.Crds.CrdShapes;

namespace Keelson.Validation.Schema.Crds;

/// <summary>
/// prometheus-operator's <c>monitoring.coreos.com/v1</c> ServiceMonitor: every spec and endpoint field of the
/// current CRD (v0.80 and later, which also covers older objects), with authentication, TLS and relabeling described.
/// </summary>
internal static class ServiceMonitorSchema
{
    private static readonly Shape SecretKey = Model<V1SecretKeySelector>();

    private static readonly Shape SecretOrConfigMap = Obj("SecretOrConfigMap", ("secret", SecretKey), ("configMap", Model<V1ConfigMapKeySelector>()));

    private static readonly Shape TlsVersion = Enum("TLS10", "TLS11", "TLS12", "TLS13");

    private static readonly (string, Shape)[] SafeTlsFields =
    [
        ("ca", SecretOrConfigMap), ("cert", SecretOrConfigMap), ("keySecret", SecretKey), ("serverName", Str),
        ("insecureSkipVerify", Bool), ("minVersion", TlsVersion), ("maxVersion", TlsVersion),
    ];

    // proxyConnectHeader changed shape between releases (a selector, then a list of them), so it is not described.
    private static readonly (string, Shape)[] ProxyFields =
        [("proxyUrl", Str), ("noProxy", Str), ("proxyFromEnvironment", Bool), ("proxyConnectHeader", Any)];

    private static readonly Shape OAuth2 = Obj("OAuth2",
    [
        ("clientId!", SecretOrConfigMap), ("clientSecret!", SecretKey), ("tokenUrl!", Str), ("scopes", Strings),
        ("endpointParams", StringMap), ("tlsConfig", Obj("SafeTLSConfig", SafeTlsFields)), .. ProxyFields,
    ]);

    /// <summary>A relabeling rule, shared with the other prometheus-operator kinds.</summary>
    public static Shape RelabelConfig { get; } = Obj("RelabelConfig",
        ("sourceLabels", Strings), ("separator", Str), ("targetLabel", Str), ("regex", Str), ("modulus", Int), ("replacement", Str),
        ("action", Enum("replace", "Replace", "keep", "Keep", "drop", "Drop", "hashmod", "HashMod", "labelmap", "LabelMap", "labeldrop", "LabelDrop",
            "labelkeep", "LabelKeep", "lowercase", "Lowercase", "uppercase", "Uppercase", "keepequal", "KeepEqual", "dropequal", "DropEqual")));

    private static readonly Shape ScrapeProtocol =
        Enum("PrometheusProto", "OpenMetricsText0.0.1", "OpenMetricsText1.0.0", "PrometheusText0.0.4", "PrometheusText1.0.0");

    private static readonly Shape Endpoint = Obj("Endpoint",
    [
        ("port", Str), ("targetPort", IntOrStr), ("path", Str), ("scheme", Enum("http", "https", "HTTP", "HTTPS")), ("params", MapOf(Strings)),
        ("interval", Duration), ("scrapeTimeout", Duration),
        ("tlsConfig", Obj("TLSConfig", [.. SafeTlsFields, ("caFile", Str), ("certFile", Str), ("keyFile", Str)])),
        ("bearerTokenFile", Str), ("bearerTokenSecret", SecretKey),
        ("authorization", Obj("SafeAuthorization", ("type", Str), ("credentials", SecretKey))),
        ("honorLabels", Bool), ("honorTimestamps", Bool), ("trackTimestampsStaleness", Bool),
        ("basicAuth", Obj("BasicAuth", ("username", SecretKey), ("password", SecretKey))), ("oauth2", OAuth2),
        ("metricRelabelings", ListOf(RelabelConfig)), ("relabelings", ListOf(RelabelConfig)), .. ProxyFields,
        ("followRedirects", Bool), ("enableHttp2", Bool), ("filterRunning", Bool),
    ]);

    /// <summary>The spec: every field of the CRD.</summary>
    public static Shape Spec { get; } = Obj("ServiceMonitorSpec",
        ("jobLabel", Str), ("targetLabels", Strings), ("podTargetLabels", Strings), ("endpoints!", ListOf(Endpoint)),
        ("selector!", Model<V1LabelSelector>()), ("selectorMechanism", Enum("RelabelConfig", "RoleSelector")),
        ("namespaceSelector", Obj("NamespaceSelector", ("any", Bool), ("matchNames", Strings))),
        ("sampleLimit", Int), ("scrapeProtocols", ListOf(ScrapeProtocol)), ("fallbackScrapeProtocol", ScrapeProtocol), ("targetLimit", Int),
        ("labelLimit", Int), ("labelNameLengthLimit", Int), ("labelValueLengthLimit", Int),
        ("scrapeClassicHistograms", Bool), ("nativeHistogramBucketLimit", Int), ("nativeHistogramMinBucketFactor", Quantity), ("convertClassicHistogramsToNHCB", Bool),
        ("keepDroppedTargets", Int), ("attachMetadata", Obj("AttachMetadata", ("node", Bool))), ("scrapeClass", Str), ("bodySizeLimit", Str),
        ("serviceDiscoveryRole", Enum("Endpoints", "EndpointSlice")));

    /// <summary>The whole object.</summary>
    public static Shape Resource { get; } = CrdShapes.Resource("ServiceMonitor", Spec);
}
