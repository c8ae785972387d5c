using System.Text.RegularExpressions;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>A Job without a backoff limit retries six times by default, and without a TTL its pods stay forever.</summary>
public sealed class JobLimitsCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "job-limits";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Jobs set backoffLimit and activeDeadlineSeconds; standalone Jobs set ttlSecondsAfterFinished.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        var (path, isCron) = context.Document.Kind switch
        {
            "Job" => ("spec", false),
            "CronJob" => ("spec.jobTemplate.spec", true),
            _ => ("", false),
        };
        if (path.Length == 0 || CheckContext.Get(context.Document.Node, path) is not { } spec)
        {
            yield break;
        }

        var missing = new List<string>();
        if (CheckContext.Value(spec, "backoffLimit") is null)
        {
            missing.Add("backoffLimit");
        }

        if (CheckContext.Value(spec, "activeDeadlineSeconds") is null)
        {
            missing.Add("activeDeadlineSeconds");
        }

        if (!isCron && CheckContext.Value(spec, "ttlSecondsAfterFinished") is null)
        {
            missing.Add("ttlSecondsAfterFinished");
        }

        if (missing.Count > 0)
        {
            yield return context.Finding(this, spec, path, $"the job has no {string.Join(", ", missing)}",
                "Bound retries and run time, and let finished jobs be cleaned up.");
        }
    }
}
