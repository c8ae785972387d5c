namespace Keelson.Operations.Jobs;

/// <summary>Where a job could go now: a flavor it fits (maybe borrowing), a flavor it fits after evictions, or nowhere and why.</summary>
internal sealed record FlavorAssignment(string? Flavor, bool Borrowing, IReadOnlyList<AdmittedWorkload> Victims, string? Reason)
{
    public bool Admissible => Flavor is not null;

    public static FlavorAssignment NoFit(string reason) => new(null, false, [], reason);
}
