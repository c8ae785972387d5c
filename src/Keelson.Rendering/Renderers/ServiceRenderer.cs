using k8s.Models;
using Keelson.Rendering.Objects;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Renderers;

/// <summary>A Service per long-running workload: ClusterIP for Deployments, headless for StatefulSets.</summary>
public sealed class ServiceRenderer : IManifestRenderer
{
    /// <inheritdoc/>
    public IEnumerable<RenderedObject> Render(RenderContext context)
    {
        foreach (var component in context.Plan.Components.Where(c => c.Component is not (JobComponent or SparkComponent)))
        {
            foreach (var workload in component.Workloads)
            {
                var contract = ContainerContract.For(component, workload);
                var stateful = component.Component is StatefulComponent;
                yield return new RenderedObject(
                    new V1Service
                    {
                        ApiVersion = "v1",
                        Kind = "Service",
                        Metadata = new V1ObjectMeta
                        {
                            Name = workload.Name,
                            NamespaceProperty = context.Namespace,
                            Labels = Labels.ForWorkload(context, component, workload.Name, null),
                        },
                        Spec = new V1ServiceSpec
                        {
                            Type = "ClusterIP",
                            ClusterIP = stateful ? "None" : null,
                            PublishNotReadyAddresses = stateful ? true : null,
                            Selector = Labels.Selector(context, workload.Name),
                            Ports = [.. contract.Ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.Name, Protocol = "TCP" })],
                        },
                    },
                    component.Name,
                    TenantRenderer.Group(component));
            }
        }
    }
}
