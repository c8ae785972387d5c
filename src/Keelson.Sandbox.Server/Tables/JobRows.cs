using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Jobs: STATUS, COMPLETIONS, DURATION, AGE; wide adds CONTAINERS, IMAGES, SELECTOR.</summary>
public sealed class JobRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "Job";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Status", "string", 0, "Status of the job."),
        new("Completions", "string", 0, "The completion status of the job as succeeded/desired."),
        new("Duration", "string", 0, "Time required to complete the job."),
        new("Age", "string", 0, "Time since the job was created."),
        new("Containers", "string", 1, "Names of each container in the template."),
        new("Images", "string", 1, "Images referenced by each container in the template."),
        new("Selector", "string", 1, "Label selector for pods."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var job = (V1Job)resource;
        var (names, images) = TableBuilder.Containers(job.Spec?.Template);
        return
        [
            Status(job),
            Completions(job),
            Duration(job.Status, clock),
            clock.Since(job.Metadata.CreationTimestamp),
            names,
            images,
            Selectors.Format(job.Spec?.Selector),
        ];
    }

    private static string Status(V1Job job)
    {
        bool Has(string type) => job.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;
        return Has("Complete") ? "Complete"
            : Has("Failed") ? "Failed"
            : job.Metadata.DeletionTimestamp is not null ? "Terminating"
            : Has("FailureTarget") ? "FailureTarget"
            : Has("SuccessCriteriaMet") ? "SuccessCriteriaMet"
            : Has("Suspended") ? "Suspended"
            : "Running";
    }

    private static string Completions(V1Job job)
    {
        var succeeded = job.Status?.Succeeded ?? 0;
        if (job.Spec?.Completions is { } completions)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{succeeded}/{completions}");
        }

        // Without completions the job is done when any pod succeeds; parallel ones say how many run at once.
        return job.Spec?.Parallelism is > 1 and var parallelism
            ? string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1 of {parallelism}")
            : string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1");
    }

    private static string Duration(V1JobStatus? status, TableClock clock) => status?.StartTime is not { } start
        ? ""
        : Age.Format(clock.Between(start, status.CompletionTime));
}
