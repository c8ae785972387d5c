using Keelson.Spec.Model;

namespace Keelson.Operations.Jobs;

/// <summary>A job as admission sees it: which queue, how important, when it came, and what all its pods ask for.</summary>
/// <param name="Id">Unique and stable; ties in order are broken by it.</param>
/// <param name="Queue">The queue the job was submitted to.</param>
/// <param name="Priority">Higher goes first and may preempt lower.</param>
/// <param name="Sequence">Submission order (a monotonically increasing number), Kueue's creation timestamp.</param>
/// <param name="Request">The requests of all pods running at once (one pod's request times parallelism).</param>
/// <param name="Gpu">The GPU type asked for; null when the job uses none.</param>
public sealed record Workload(string Id, string Queue, int Priority, long Sequence, Quantities Request, GpuType? Gpu);

/// <summary>A job holding quota: its flavor, and when it was admitted (later admissions are preempted first).</summary>
public sealed record AdmittedWorkload(Workload Workload, string Flavor, long AdmittedSequence);
