using k8s;
using k8s.Models;
using Keelson.Sandbox.Fields;

namespace Keelson.Sandbox.Server.Resources;

/// <summary>
/// What a write records in <c>metadata.managedFields</c>: an update by a manager (through the main resource or a
/// subresource), whose fields are found by comparing the stored object with the new one, or the entries a
/// server-side apply has already worked out. Set <c>metadata.managedFields</c> on the written object before
/// <see cref="Record"/>: what the request sent there is read.
/// </summary>
/// <param name="Manager">The field manager of the request.</param>
/// <param name="Subresource">The subresource written through (<c>scale</c>), or null for the main resource.</param>
/// <param name="Applied">The entries of an apply, recorded as they are.</param>
internal sealed record FieldOwnership(string Manager, string? Subresource = null, IReadOnlyList<ManagerEntry>? Applied = null)
{
    /// <summary>The entries of the object after the write, from the stored object (null when the write creates it).</summary>
    public IList<V1ManagedFieldsEntry>? Record(IKubernetesObject<V1ObjectMeta>? existing, IKubernetesObject<V1ObjectMeta> written, ApiResource resource, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(resource);
        if (Applied is not null)
        {
            return FieldManager.Encode(Applied);
        }

        // Through the main resource a request may set managedFields itself: [{}] clears them (upstream's documented
        // reset), entries that read as such replace the stored ones; otherwise the stored entries are the base.
        var given = written.Metadata.ManagedFields;
        if (Subresource is null && given is [var only] && string.IsNullOrEmpty(only.Manager) && only.FieldsV1 is null && string.IsNullOrEmpty(only.Operation))
        {
            return null;
        }

        var requested = Subresource is null ? FieldManager.Decode(given) : [];
        var entries = requested.Count > 0 ? requested : FieldManager.Decode(existing?.Metadata.ManagedFields);
        var before = existing is null ? null : FieldOwnershipJson.Of(existing);
        return FieldManager.Encode(FieldManager.Update(resource.Kind, before, FieldOwnershipJson.Of(written), entries, Manager, resource.ApiVersion, Subresource, FieldOwnershipJson.Seconds(now)));
    }
}
