namespace Keelson.Rendering;

/// <summary>Choices the renderer needs beyond the plan; defaults suit ingress-nginx, cert-manager and prometheus-operator.</summary>
public sealed record RenderOptions
{
    /// <summary>Render monitoring objects; null means "when the environment is prod".</summary>
    public bool? Monitoring { get; init; }

    /// <summary>IngressClass of the ingress controller.</summary>
    public string IngressClass { get; init; } = "nginx";

    /// <summary>Namespace the ingress controller runs in, allowed through the network policies.</summary>
    public string IngressNamespace { get; init; } = "ingress-nginx";

    /// <summary>Namespace Prometheus scrapes from, allowed through the network policies.</summary>
    public string MonitoringNamespace { get; init; } = "monitoring";

    /// <summary>Prometheus that KEDA's prometheus trigger queries for Keelson queue workers (prometheus-operator's service).</summary>
    public string PrometheusAddress { get; init; } = "http://prometheus-operated.monitoring.svc:9090";

    /// <summary>cert-manager ClusterIssuer for TLS routes.</summary>
    public string ClusterIssuer { get; init; } = "letsencrypt";

    /// <summary>Headroom of the ResourceQuota over the plan's ceiling, in percent.</summary>
    public int QuotaHeadroomPercent { get; init; } = 10;

    /// <summary>Prometheus scrape interval (the restaurant seed's 15 s).</summary>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Prometheus retention (the restaurant seed's 200 h).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(200);
}
