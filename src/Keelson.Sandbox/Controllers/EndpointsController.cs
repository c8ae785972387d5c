using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>Keeps an Endpoints object per Service with a selector: ready pods as addresses, the others as not-ready addresses.</summary>
public sealed class EndpointsController : IController
{
    // Its output depends only on stored objects, so a pass with none of its inputs changed is skipped.
    private (long, long, long) seen;

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        var inputs = (context.Store.LastChange<V1Service>(), context.Store.LastChange<V1Pod>(), context.Store.LastChange<V1Endpoints>());
        if (inputs == seen)
        {
            return;
        }

        seen = inputs;
        var services = context.Store.List<V1Service>().Where(s => s.Spec?.Selector is { Count: > 0 }).ToList();
        if (services.Count == 0)
        {
            return;
        }

        var running = context.Store.List<V1Pod>().Where(p => Pods.IsActive(p) && p.Status?.PodIP is not null)
            .ToLookup(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal);
        foreach (var service in services)
        {
            var ns = service.Metadata.NamespaceProperty;
            var pods = running[ns].Where(p => Selectors.Matches(service.Spec.Selector, p.Metadata.Labels)).ToList();
            V1EndpointAddress Address(V1Pod p) => new()
            {
                Ip = p.Status.PodIP,
                NodeName = p.Spec.NodeName,
                TargetRef = new V1ObjectReference { Kind = "Pod", Name = p.Metadata.Name, NamespaceProperty = ns, Uid = p.Metadata.Uid },
            };
            var ready = pods.Where(Pods.IsReady).Select(Address).ToList();
            var notReady = pods.Where(p => !Pods.IsReady(p)).Select(Address).ToList();
            var subsets = pods.Count == 0 ? null : new List<V1EndpointSubset>
            {
                new()
                {
                    Addresses = ready.Count == 0 ? null : ready,
                    NotReadyAddresses = notReady.Count == 0 ? null : notReady,
                    Ports = [.. (service.Spec.Ports ?? []).Select(p => new Corev1EndpointPort { Name = p.Name, Port = p.TargetPort?.Value is { } t && int.TryParse(t, out var n) ? n : p.Port, Protocol = p.Protocol ?? "TCP" })],
                },
            };

            var existing = context.Store.Get<V1Endpoints>(ns, service.Metadata.Name);
            if (existing is null)
            {
                context.CreateAs(new V1Endpoints
                {
                    ApiVersion = "v1",
                    Kind = "Endpoints",
                    Metadata = new V1ObjectMeta { Name = service.Metadata.Name, NamespaceProperty = ns, Labels = service.Metadata.Labels, OwnerReferences = [Pods.ControllerReference(service)] },
                    Subsets = subsets,
                }, ComponentWrites.ControllerManager);
            }
            else if (Key(existing.Subsets) != Key(subsets))
            {
                existing.Subsets = subsets;
                context.WriteFields(existing, ComponentWrites.ControllerManager, specChanged: false, FieldPath.Of("subsets"));
            }
        }
    }

    private static string Key(IList<V1EndpointSubset>? subsets) =>
        subsets is null ? "" : string.Join(';', subsets.Select(s => string.Join(',', (s.Addresses ?? []).Select(a => a.Ip)) + "|" + string.Join(',', (s.NotReadyAddresses ?? []).Select(a => a.Ip))));
}
