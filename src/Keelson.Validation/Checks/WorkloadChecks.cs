using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Keelson.Validation.Checks;

/// <summary>Secrets written as plain env values end up in manifests, Git and <c>kubectl describe</c> output.</summary>
public sealed partial class EnvSecretLiteralCheck : ICheck
{
    [GeneratedRegex("(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    /// <inheritdoc/>
    public string Id => "env-secret-literal";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Secret-looking environment variables come from Secrets, not literal values.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        foreach (var c in context.Containers())
        {
            if (CheckContext.Get(c.Node, "env") is not YamlSequenceNode env)
            {
                continue;
            }

            for (var i = 0; i < env.Children.Count; i++)
            {
                var name = CheckContext.Value(env.Children[i], "name") ?? "";
                if (SecretName().IsMatch(name) && CheckContext.Value(env.Children[i], "value") is { Length: > 0 })
                {
                    // The value itself is never repeated in the finding.
                    yield return context.Finding(this, CheckContext.Get(env.Children[i], "value"), $"{c.Path}.env[{i}].value",
                        $"container '{c.Name}' sets {name} as a literal value", "Move it to a Secret and use valueFrom.secretKeyRef.");
                }
            }
        }
    }
}

/// <summary>NodePort and LoadBalancer Services open the workload beyond the cluster; an Ingress usually serves HTTP better.</summary>
public sealed class ServiceTypeCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "service-type";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Services are ClusterIP unless exposure is intended.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (context.Document.Kind == "Service" && CheckContext.Value(context.Document.Node, "spec.type") is "NodePort" or "LoadBalancer" && CheckContext.Get(context.Document.Node, "spec.type") is { } type)
        {
            yield return context.Finding(this, type, "spec.type", $"the Service is of type {((YamlScalarNode)type).Value}, exposed outside the cluster",
                "Use ClusterIP behind an Ingress for HTTP; skip this check with keelson.dev/skip: service-type when exposure is intended.");
        }
    }
}

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
