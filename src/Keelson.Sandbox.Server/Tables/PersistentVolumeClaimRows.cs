using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Claims: STATUS, VOLUME, CAPACITY, ACCESS MODES, STORAGECLASS, VOLUMEATTRIBUTESCLASS, AGE; wide adds VOLUMEMODE.</summary>
public sealed class PersistentVolumeClaimRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "PersistentVolumeClaim";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Status", "string", 0, "Phase of the claim."),
        new("Volume", "string", 0, "The volume bound to the claim."),
        new("Capacity", "string", 0, "Actual storage of the bound volume."),
        new("Access Modes", "string", 0, "Access modes of the bound volume."),
        new("StorageClass", "string", 0, "Storage class required by the claim."),
        new("VolumeAttributesClass", "string", 0, "Volume attributes class required by the claim."),
        new("Age", "string", 0, "Time since the claim was created."),
        new("VolumeMode", "string", 1, "Whether the volume is formatted or used as a raw block device."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var claim = (V1PersistentVolumeClaim)resource;
        var bound = !string.IsNullOrEmpty(claim.Spec?.VolumeName);

        // Like the API server, capacity and modes come from the bound volume (status), so an unbound claim shows neither.
        return
        [
            claim.Status?.Phase ?? "Pending",
            claim.Spec?.VolumeName ?? "",
            bound ? Selectors.Storage(claim.Status?.Capacity) : "",
            bound ? Selectors.AccessModes(claim.Status?.AccessModes) : "",
            StorageClass(claim),
            claim.Spec?.VolumeAttributesClassName ?? "<unset>",
            clock.Since(claim.Metadata.CreationTimestamp),
            claim.Spec?.VolumeMode ?? "<unset>",
        ];
    }

    private static string StorageClass(V1PersistentVolumeClaim claim) =>
        claim.Spec?.StorageClassName
        ?? (claim.Metadata.Annotations?.TryGetValue("volume.beta.kubernetes.io/storage-class", out var beta) == true ? beta : "");
}
