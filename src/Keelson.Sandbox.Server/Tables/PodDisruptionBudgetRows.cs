using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Disruption budgets: MIN AVAILABLE, MAX UNAVAILABLE, ALLOWED DISRUPTIONS, AGE.</summary>
public sealed class PodDisruptionBudgetRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "PodDisruptionBudget";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Min Available", "string", 0, "The minimum number of pods that must be available."),
        new("Max Unavailable", "string", 0, "The maximum number of pods that may be unavailable."),
        new("Allowed Disruptions", "integer", 0, "Calculated number of pods that may be disrupted at this time."),
        new("Age", "string", 0, "Time since the budget was created."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var budget = (V1PodDisruptionBudget)resource;
        return
        [
            budget.Spec?.MinAvailable?.ToString() ?? "N/A",
            budget.Spec?.MaxUnavailable?.ToString() ?? "N/A",
            budget.Status?.DisruptionsAllowed ?? 0,
            clock.Since(budget.Metadata.CreationTimestamp),
        ];
    }
}
