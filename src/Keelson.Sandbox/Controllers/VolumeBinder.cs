using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;

namespace Keelson.Sandbox.Controllers;

/// <summary>Binds pending claims at once, as a dynamic provisioner with <c>Immediate</c> binding would, to a volume named after the claim's uid.</summary>
public sealed class VolumeBinder : IController
{
    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var claim in context.Store.List<V1PersistentVolumeClaim>().Where(c => c.Status?.Phase != "Bound").ToList())
        {
            claim.Spec.VolumeName = $"pvc-{claim.Metadata.Uid}";
            claim.Spec.StorageClassName ??= "standard";
            claim.Status = new V1PersistentVolumeClaimStatus
            {
                Phase = "Bound",
                AccessModes = claim.Spec.AccessModes,
                Capacity = claim.Spec.Resources?.Requests is { } requests && requests.TryGetValue("storage", out var size)
                    ? new Dictionary<string, ResourceQuantity> { ["storage"] = size }
                    : null,
            };
            context.WriteStatus(claim, ComponentWrites.ControllerManager);
        }
    }
}
