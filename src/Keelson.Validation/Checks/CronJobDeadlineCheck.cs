using System.Text.RegularExpressions;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>A CronJob without a starting deadline can fire a burst of missed runs after an outage.</summary>
public sealed class CronJobDeadlineCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "cronjob-deadline";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "CronJobs set startingDeadlineSeconds.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (context.Document.Kind == "CronJob" && CheckContext.Value(context.Document.Node, "spec.startingDeadlineSeconds") is null)
        {
            yield return context.Finding(this, CheckContext.Get(context.Document.Node, "spec"), "spec.startingDeadlineSeconds", "the CronJob has no startingDeadlineSeconds",
                "Set it (e.g. 300) so that runs missed during an outage are skipped, not replayed.");
        }
    }
}
