using System.Globalization;
using k8s.Models;
using Keelson.Rendering.Objects;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Renderers;

/// <summary>An Ingress per routed service: host and path rules, cert-manager TLS, ingress-nginx rate limits.</summary>
public sealed class IngressRenderer : IManifestRenderer
{
    /// <inheritdoc/>
    public IEnumerable<RenderedObject> Render(RenderContext context)
    {
        foreach (var component in context.Plan.Components)
        {
            if (component.Component is not ServiceComponent { Routes.Count: > 0 } service)
            {
                continue;
            }

            var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var tlsHosts = service.Routes.Where(r => r.Tls).Select(r => r.Host).Distinct().Order(StringComparer.Ordinal).ToList();
            if (tlsHosts.Count > 0)
            {
                annotations["cert-manager.io/cluster-issuer"] = context.Options.ClusterIssuer;
                annotations["nginx.ingress.kubernetes.io/ssl-redirect"] = "true";
            }

            if (service.Routes.Where(r => r.RateLimitPerMinute is not null).Select(r => r.RateLimitPerMinute!.Value).DefaultIfEmpty().Min() is > 0 and var limit)
            {
                annotations["nginx.ingress.kubernetes.io/limit-rpm"] = limit.ToString(CultureInfo.InvariantCulture);
            }

            var port = service.Protocol == ServiceProtocol.Grpc ? "grpc" : "http";
            if (service.Protocol == ServiceProtocol.Grpc)
            {
                annotations["nginx.ingress.kubernetes.io/backend-protocol"] = "GRPC";
            }

            yield return new RenderedObject(
                new V1Ingress
                {
                    ApiVersion = "networking.k8s.io/v1",
                    Kind = "Ingress",
                    Metadata = new V1ObjectMeta
                    {
                        Name = component.Name,
                        NamespaceProperty = context.Namespace,
                        Labels = Labels.ForWorkload(context, component, component.Name, null),
                        Annotations = annotations.Count > 0 ? annotations : null,
                    },
                    Spec = new V1IngressSpec
                    {
                        IngressClassName = context.Options.IngressClass,
                        Tls = tlsHosts.Count > 0 ? [.. tlsHosts.Select(h => new V1IngressTLS { Hosts = [h], SecretName = h.Replace('.', '-').Replace("*", "wildcard", StringComparison.Ordinal) + "-tls" })] : null,
                        Rules = [.. service.Routes.GroupBy(r => r.Host).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new V1IngressRule
                        {
                            Host = g.Key,
                            Http = new V1HTTPIngressRuleValue
                            {
                                Paths = [.. g.OrderBy(r => r.Path, StringComparer.Ordinal).Select(r => new V1HTTPIngressPath
                                {
                                    Path = r.Path,
                                    PathType = "Prefix",
                                    Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = component.Workloads[0].Name, Port = new V1ServiceBackendPort { Name = port } } },
                                })],
                            },
                        })],
                    },
                },
                component.Name,
                ObjectGroup.Application);
        }
    }
}
