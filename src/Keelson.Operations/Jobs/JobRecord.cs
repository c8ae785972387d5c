using System.Globalization;

namespace Keelson.Operations.Jobs;

/// <summary>A stored job: its specification, state, the flavor it holds, and every admission (attempt) it had.</summary>
public sealed record JobRecord(
    long Id,
    string TenantId,
    JobSpec Spec,
    JobState State,
    string? Reason,
    string? Flavor,
    int Attempt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<JobAttempt> Attempts)
{
    /// <summary>The Kubernetes Job of the current attempt; null before the first admission.</summary>
    public string? KubernetesName => Attempt == 0 ? null : JobNames.Of(Spec.Name, Id, Attempt);
}

/// <summary>One admission of a job: the flavor, the Kubernetes Job, and how it ended (null while it runs).</summary>
public sealed record JobAttempt(int Number, string Flavor, string KubernetesName, DateTimeOffset AdmittedAt, DateTimeOffset? EndedAt, string? Outcome, string? Message);

/// <summary>A Kubernetes Job left behind by a preempted or cancelled attempt, to be deleted from the cluster.</summary>
public sealed record JobCleanup(long JobId, string TenantId, int Attempt, string KubernetesName);

/// <summary>Deterministic Kubernetes Job names, so that an admission applied twice (after a crash) is one Job.</summary>
public static class JobNames
{
    /// <summary><c>NAME-ID-aATTEMPT</c>, the name cut so the whole is at most 63 characters.</summary>
    public static string Of(string name, long id, int attempt)
    {
        ArgumentNullException.ThrowIfNull(name);
        var suffix = string.Create(CultureInfo.InvariantCulture, $"-{id}-a{attempt}");
        var head = name.Length + suffix.Length > 63 ? name[..(63 - suffix.Length)].TrimEnd('-') : name;
        return head + suffix;
    }
}
