using System.Text.Json;
using k8s.Models;
using Keelson.Rendering.Output;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>
/// The API extensions server's naming and establishing controllers: every CustomResourceDefinition gets its
/// <c>acceptedNames</c> (the spec's names, singular and listKind defaulted), the <c>NamesAccepted</c> and
/// <c>Established</c> conditions and its storage version in <c>storedVersions</c>. Its objects are served once
/// <c>Established</c> is True; deleting it deletes them (<see cref="SandboxCluster.Delete"/>).
/// </summary>
public sealed class CustomResourceDefinitionController : IController
{
    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var crd in context.Store.List<V1CustomResourceDefinition>().ToList())
        {
            if (crd.Spec?.Names is null || crd.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            var status = StatusOf(crd, context.Now);
            if (JsonSerializer.Serialize(status, ManifestYaml.JsonOptions) != JsonSerializer.Serialize(crd.Status, ManifestYaml.JsonOptions))
            {
                crd.Status = status;
                context.WriteStatus(crd, ComponentWrites.ApiServer);
            }
        }
    }

    /// <summary>Whether a definition's objects are served: its <c>Established</c> condition is True.</summary>
    public static bool IsEstablished(V1CustomResourceDefinition crd) =>
        crd?.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;

    /// <summary>The definition of a group and kind, or null.</summary>
    public static V1CustomResourceDefinition? Of(ObjectStore store, string group, string kind) =>
        store?.List<V1CustomResourceDefinition>().FirstOrDefault(c => c.Spec?.Group == group && c.Spec.Names?.Kind == kind);

    private static V1CustomResourceDefinitionStatus StatusOf(V1CustomResourceDefinition crd, DateTime now)
    {
        var names = crd.Spec.Names;
        var accepted = new V1CustomResourceDefinitionNames
        {
            Plural = names.Plural,
            Singular = string.IsNullOrEmpty(names.Singular) ? names.Kind.ToLowerInvariant() : names.Singular,
            Kind = names.Kind,
            ListKind = string.IsNullOrEmpty(names.ListKind) ? names.Kind + "List" : names.ListKind,
            ShortNames = names.ShortNames is { Count: > 0 } shortNames ? [.. shortNames] : null,
            Categories = names.Categories is { Count: > 0 } categories ? [.. categories] : null,
        };
        var previous = crd.Status?.Conditions ?? [];
        var stored = (crd.Status?.StoredVersions ?? []).ToList();
        foreach (var version in crd.Spec.Versions?.Where(v => v.Storage).Select(v => v.Name) ?? [])
        {
            if (!stored.Contains(version))
            {
                stored.Add(version);
            }
        }

        return new V1CustomResourceDefinitionStatus
        {
            AcceptedNames = accepted,
            // Conditions of other types (written through /status by someone else) are kept, as upstream's SetCRDCondition keeps them.
            Conditions =
            [
                Condition(previous, "NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition(previous, "Established", "InitialNamesAccepted", "the initial names have been accepted", now),
                .. previous.Where(c => c.Type is not ("NamesAccepted" or "Established")),
            ],
            StoredVersions = stored,
        };
    }

    // A condition keeps its transition time while its status stays the same.
    private static V1CustomResourceDefinitionCondition Condition(IEnumerable<V1CustomResourceDefinitionCondition> previous, string type, string reason, string message, DateTime now)
    {
        var before = previous.FirstOrDefault(c => c.Type == type && c.Status == "True");
        return new V1CustomResourceDefinitionCondition
        {
            Type = type,
            Status = "True",
            Reason = reason,
            Message = message,
            LastTransitionTime = before?.LastTransitionTime ?? new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc),
        };
    }
}
