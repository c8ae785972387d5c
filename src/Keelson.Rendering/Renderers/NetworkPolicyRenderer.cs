using k8s.Models;
using Keelson.Planning;
using Keelson.Rendering.Objects;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Renderers;

/// <summary>
/// Default deny for the namespace, DNS egress for every pod, and per component: ingress from the components
/// that depend on it (and from the ingress controller when routed), egress to the components it depends on.
/// </summary>
public sealed class NetworkPolicyRenderer : IManifestRenderer
{
    /// <inheritdoc/>
    public IEnumerable<RenderedObject> Render(RenderContext context)
    {
        yield return Policy(context, "default-deny", new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = ["Ingress", "Egress"],
        });

        yield return Policy(context, "allow-dns", new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = ["Egress"],
            Egress =
            [
                new V1NetworkPolicyEgressRule
                {
                    To = [new V1NetworkPolicyPeer { NamespaceSelector = Namespace("kube-system"), PodSelector = new V1LabelSelector { MatchLabels = Labels.Sorted(("k8s-app", "kube-dns")) } }],
                    Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }],
                },
            ],
        });

        foreach (var component in context.Plan.Components)
        {
            var ingress = new List<V1NetworkPolicyIngressRule>();
            var ports = component.Workloads.SelectMany(w => ContainerContract.For(component, w).Ports).Select(p => p.Port).Distinct().Order().ToList();
            var dependents = context.Plan.Components.Where(c => c.Component.DependsOn.Contains(component.Name)).ToList();
            if (dependents.Count > 0 && ports.Count > 0)
            {
                ingress.Add(new V1NetworkPolicyIngressRule { FromProperty = [.. dependents.Select(d => Peer(d))], Ports = Ports(ports) });
            }

            if (component.Component is ServiceComponent { Routes.Count: > 0 } && ports.Count > 0)
            {
                ingress.Add(new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = Namespace(context.Options.IngressNamespace) }], Ports = Ports(ports) });
            }

            if (context.Monitoring && ports.Count > 0)
            {
                ingress.Add(new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = Namespace(context.Options.MonitoringNamespace) }], Ports = Ports(ports) });
            }

            // Workloads of one component talk to each other: replicas, master and replica, brokers and coordinators.
            if (component.Workloads.Count > 1 || component.Component is StatefulComponent)
            {
                ingress.Add(new V1NetworkPolicyIngressRule { FromProperty = [Peer(component)] });
            }

            var egress = component.Component.DependsOn.Select(context.Component).Select(target => new V1NetworkPolicyEgressRule
            {
                To = [Peer(target)],
                Ports = Ports([.. target.Workloads.SelectMany(w => ContainerContract.For(target, w).Ports).Select(p => p.Port).Distinct().Order()]),
            }).ToList();
            if (component.Workloads.Count > 1 || component.Component is StatefulComponent)
            {
                egress.Add(new V1NetworkPolicyEgressRule { To = [Peer(component)] });
            }

            if (component.Component is SparkComponent)
            {
                // The Spark driver creates its executors through the Kubernetes API, whose address varies by cluster.
                egress.Add(new V1NetworkPolicyEgressRule { Ports = Ports([443, 6443]) });
            }

            if (component.Component is ModelComponent { Registry: { } registry })
            {
                // The inference role pulls its model from the Keelson server when a replica starts; that server may live in any namespace.
                egress.Add(new V1NetworkPolicyEgressRule { Ports = Ports([new Uri(registry.Server).Port]) });
            }

            if (ingress.Count == 0 && egress.Count == 0)
            {
                continue;
            }

            var types = new List<string>();
            if (ingress.Count > 0)
            {
                types.Add("Ingress");
            }

            if (egress.Count > 0)
            {
                types.Add("Egress");
            }

            yield return Policy(context, "allow-" + component.Name, new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = Labels.Sorted((Labels.Component, component.Name)) },
                PolicyTypes = types,
                Ingress = ingress.Count > 0 ? ingress : null,
                Egress = egress.Count > 0 ? egress : null,
            }, component.Name);
        }
    }

    private static RenderedObject Policy(RenderContext context, string name, V1NetworkPolicySpec spec, string? component = null) => new(
        new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = context.Namespace, Labels = Labels.ForTenant(context) },
            Spec = spec,
        },
        component,
        ObjectGroup.Policies);

    private static V1NetworkPolicyPeer Peer(ComponentPlan component) =>
        new() { PodSelector = new V1LabelSelector { MatchLabels = Labels.Sorted((Labels.Component, component.Name)) } };

    private static V1LabelSelector Namespace(string name) => new() { MatchLabels = Labels.Sorted(("kubernetes.io/metadata.name", name)) };

    private static List<V1NetworkPolicyPort> Ports(IEnumerable<int> ports) => [.. ports.Select(p => new V1NetworkPolicyPort { Protocol = "TCP", Port = p })];
}
