using k8s;
using k8s.Models;
using Keelson.Sandbox.Fields;

namespace Keelson.Sandbox.Server.Resources;

/// <summary>
/// What a write records in <c>metadata.managedFields</c>: an update by a manager (through the main resource or a
/// subresource), whose fields are found by comparing the stored object with the new one, or the entries a
/// server-side apply has already worked out.
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

        var entries = FieldManager.Decode(existing?.Metadata.ManagedFields);
        var before = existing is null ? null : FieldOwnershipJson.Of(existing);
        return FieldManager.Encode(FieldManager.Update(resource.Kind, before, FieldOwnershipJson.Of(written), entries, Manager, resource.ApiVersion, Subresource, FieldOwnershipJson.Seconds(now)));
    }
}
