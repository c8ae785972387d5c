using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Cron jobs: SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE, AGE; wide adds CONTAINERS, IMAGES, SELECTOR.</summary>
public sealed class CronJobRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "CronJob";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Schedule", "string", 0, "The schedule in Cron format."),
        new("Timezone", "string", 0, "The time zone of the schedule."),
        new("Suspend", "boolean", 0, "Whether subsequent executions are suspended."),
        new("Active", "integer", 0, "Number of currently running jobs."),
        new("Last Schedule", "string", 0, "When the job was last successfully scheduled."),
        new("Age", "string", 0, "Time since the cron job was created."),
        new("Containers", "string", 1, "Names of each container in the template."),
        new("Images", "string", 1, "Images referenced by each container in the template."),
        new("Selector", "string", 1, "Label selector for pods."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var cron = (V1CronJob)resource;
        var jobSpec = cron.Spec?.JobTemplate?.Spec;
        var (names, images) = TableBuilder.Containers(jobSpec?.Template);
        return
        [
            cron.Spec?.Schedule ?? "",
            cron.Spec?.TimeZone ?? "<none>",
            cron.Spec?.Suspend is { } suspend ? (suspend ? "True" : "False") : "<unset>",
            cron.Status?.Active?.Count ?? 0,
            cron.Status?.LastScheduleTime is { } last ? clock.Since(last) : "<none>",
            clock.Since(cron.Metadata.CreationTimestamp),
            names,
            images,
            Selectors.Format(jobSpec?.Selector),
        ];
    }
}
