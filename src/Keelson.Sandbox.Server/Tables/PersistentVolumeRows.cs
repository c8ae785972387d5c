using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Volumes: CAPACITY, ACCESS MODES, RECLAIM POLICY, STATUS, CLAIM, STORAGECLASS, VOLUMEATTRIBUTESCLASS, REASON, AGE; wide adds VOLUMEMODE.</summary>
public sealed class PersistentVolumeRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "PersistentVolume";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Capacity", "string", 0, "Storage of the volume."),
        new("Access Modes", "string", 0, "Ways the volume can be mounted."),
        new("Reclaim Policy", "string", 0, "What happens to the volume when released from its claim."),
        new("Status", "string", 0, "Phase of the volume."),
        new("Claim", "string", 0, "The claim bound to the volume."),
        new("StorageClass", "string", 0, "Storage class of the volume."),
        new("VolumeAttributesClass", "string", 0, "Volume attributes class of the volume."),
        new("Reason", "string", 0, "Why the volume is in its phase."),
        new("Age", "string", 0, "Time since the volume was created."),
        new("VolumeMode", "string", 1, "Whether the volume is formatted or used as a raw block device."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var volume = (V1PersistentVolume)resource;
        var claim = volume.Spec?.ClaimRef is { } reference ? $"{reference.NamespaceProperty}/{reference.Name}" : "";
        return
        [
            Selectors.Storage(volume.Spec?.Capacity),
            Selectors.AccessModes(volume.Spec?.AccessModes),
            volume.Spec?.PersistentVolumeReclaimPolicy ?? "Retain",
            volume.Status?.Phase ?? "Pending",
            claim,
            volume.Spec?.StorageClassName ?? "",
            volume.Spec?.VolumeAttributesClassName ?? "<unset>",
            volume.Status?.Reason ?? "",
            clock.Since(volume.Metadata.CreationTimestamp),
            volume.Spec?.VolumeMode ?? "<unset>",
        ];
    }
}
