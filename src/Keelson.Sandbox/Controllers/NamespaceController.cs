using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>
/// What the namespace and service-account controllers do: every live namespace gets a <c>default</c>
/// ServiceAccount; a namespace marked for deletion (phase <c>Terminating</c>) has its contents deleted — scheduled
/// pods gracefully — and goes, with its <c>kubernetes</c> finalizer, once nothing is left in it.
/// </summary>
public sealed class NamespaceController : IController
{
    /// <summary>The finalizer the namespace controller clears once a namespace is empty.</summary>
    public const string Finalizer = "kubernetes";

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var ns in context.Store.List<V1Namespace>().ToList())
        {
            if (ns.Metadata.DeletionTimestamp is null)
            {
                EnsureServiceAccount(context, ns.Metadata.Name);
            }
            else
            {
                Finalise(context, ns);
            }
        }
    }

    /// <summary>Marks a namespace for deletion, as DELETE on a real API server does; false when there is no such namespace.</summary>
    public static bool MarkForDeletion(SandboxContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Store.Get<V1Namespace>(null, name) is not { } ns)
        {
            return false;
        }

        if (ns.Metadata.DeletionTimestamp is null)
        {
            ns.Metadata.DeletionTimestamp = context.Now;
            ns.Metadata.DeletionGracePeriodSeconds = 0;
            ns.Status = new V1NamespaceStatus { Phase = "Terminating" };
            context.WriteStatus(ns, ComponentWrites.ControllerManager);
        }

        return true;
    }

    private static void EnsureServiceAccount(SandboxContext context, string ns)
    {
        if (context.Store.Get<V1ServiceAccount>(ns, "default") is null)
        {
            context.CreateAs(new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = ns } }, ComponentWrites.ControllerManager);
        }
    }

    private static void Finalise(SandboxContext context, V1Namespace ns)
    {
        var inside = context.Store.All.Where(o => o.Metadata.NamespaceProperty == ns.Metadata.Name).ToList();
        foreach (var resource in inside)
        {
            if (resource is V1Pod pod)
            {
                Pods.Terminate(context, pod);
            }
            else
            {
                context.Store.Delete(StoreKey.Of(resource));
            }
        }

        if (!context.Store.All.Any(o => o.Metadata.NamespaceProperty == ns.Metadata.Name))
        {
            context.Store.Delete(StoreKey.Of(ns));
        }
    }
}
