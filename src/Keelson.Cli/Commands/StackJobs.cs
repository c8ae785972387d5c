using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Operations.Jobs;
using Keelson.Operations.Storage;
using Keelson.Rendering;
using Keelson.Rendering.Objects;
using Keelson.Server.Api;

namespace Keelson.Cli.Commands;

/// <summary>
/// <c>keelson jobs submit|list|show|cancel --stack STACK</c>: the job commands without a server, on a stack's own
/// queues on its saved sandbox (or a real cluster with <c>--kubeconfig</c>). A submitted job becomes a suspended Job
/// in the stack's namespace, labelled with its queue like a stack's queued job, which the stack admitter
/// (<c>keelson jobs admit</c>, or <c>keelson serve</c>) admits on its next pass. Submissions are checked with the job
/// API's rules.
/// </summary>
internal static class StackJobs
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The options of stack mode: the stack and where its cluster is.</summary>
    public sealed record Options(Option<string?> Stack, ClusterTarget.Options Target)
    {
        /// <summary>Adds the options to a command.</summary>
        public void AddTo(Command command)
        {
            command.Options.Add(Stack);
            Target.AddTo(command);
        }
    }

    /// <summary>Creates the options, the sandbox directory named <paramref name="stateName"/> (with the alias <c>--state-dir</c>).</summary>
    public static Options CreateOptions(string stateName)
    {
        var shared = ClusterTarget.CreateOptions();
        var state = new Option<string>(stateName) { Description = "With --stack: directory holding the sandbox's state (as keelson up left it).", DefaultValueFactory = _ => Path.Combine(".keelson", "sandbox") };
        if (stateName != "--state-dir")
        {
            state.Aliases.Add("--state-dir");
        }

        return new Options(
            new Option<string?>("--stack") { Description = "Work on this stack's own queues on its sandbox (or --kubeconfig cluster) instead of a server; the tenant is the stack's." },
            shared with { State = state });
    }

    /// <summary>Queues <paramref name="body"/> (the job API's submission) as a suspended Job of the stack's namespace.</summary>
    public static Task<int> SubmitAsync(ParseResult parse, Options options, JsonObject body, bool json, Terminal terminal, CancellationToken cancellationToken) =>
        WithStackAsync(parse, options, terminal, save: true, async (target, manifest) =>
        {
            var stack = manifest.Plan.Spec;
            var (spec, errors) = JobInput.Read(body, stack.Cluster, StackQueues.For(stack));
            if (spec is null)
            {
                foreach (var (field, messages) in errors.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    foreach (var message in messages)
                    {
                        await terminal.Error.WriteLineAsync($"keelson: {Option(field)}: {message}").ConfigureAwait(false);
                    }
                }

                await terminal.Error.WriteLineAsync("keelson: nothing queued").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            if (await target.Cluster.GetAsync(Key(manifest, spec.Name), cancellationToken).ConfigureAwait(false) is V1Job existing)
            {
                var what = existing.Metadata.Labels?.ContainsKey(QueuedJobs.QueueLabel) == true ? $"a queued Job ({WireName.Of(Record(existing, manifest).State)})" : "a Job";
                await terminal.Error.WriteLineAsync($"keelson: --name: {manifest.Namespace} already has {what} named {spec.Name}; choose another name or cancel it first; nothing queued").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            await target.Cluster.ApplyAsync(JobManifest.Suspended(spec, manifest.Namespace), cancellationToken).ConfigureAwait(false);
            var created = (V1Job)(await target.Cluster.GetAsync(Key(manifest, spec.Name), cancellationToken).ConfigureAwait(false))!;
            await WriteJobAsync(created, Record(created, manifest), manifest, json, terminal).ConfigureAwait(false);
            await terminal.Error.WriteLineAsync($"keelson: {spec.Name} waits in queue {spec.Queue} of {manifest.Namespace} on {target.Cluster.Description}; the stack admitter admits it on its next pass (keelson jobs admit {parse.GetValue(options.Stack)})").ConfigureAwait(false);
            return KeelsonCli.Ok;
        }, cancellationToken);

    /// <summary>The stack's queued Jobs, newest first, shaped and printed as the server's job list (without ids: a stack's Job is its name).</summary>
    public static Task<int> ListAsync(ParseResult parse, Options options, string? state, string? queue, int limit, bool json, Terminal terminal, CancellationToken cancellationToken) =>
        WithStackAsync(parse, options, terminal, save: false, async (target, manifest) =>
        {
            var queues = manifest.Plan.Spec.Queues.Select(q => q.Name).ToList();
            if (queue is not null && !queues.Contains(queue, StringComparer.Ordinal))
            {
                await terminal.Error.WriteLineAsync($"keelson: --queue: unknown queue \"{queue}\"; the stack's queues: {string.Join(", ", queues)}").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            JobState? wanted = null;
            if (state is not null)
            {
                try
                {
                    wanted = WireName.Parse<JobState>(state);
                }
                catch (FormatException e)
                {
                    await terminal.Error.WriteLineAsync($"keelson: --state: {e.Message}").ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }
            }

            if (limit is < 1 or > 1000)
            {
                await terminal.Error.WriteLineAsync($"keelson: --limit must be 1–1000; got {limit}").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            var jobs = (await QueuedAsync(target, manifest, cancellationToken).ConfigureAwait(false))
                .Select(j => (Job: j, Record: Record(j, manifest)))
                .Where(j => (wanted is null || j.Record.State == wanted) && (queue is null || j.Record.Spec.Queue == queue))
                .OrderByDescending(j => j.Record.CreatedAt).ThenBy(j => j.Record.Spec.Name, StringComparer.Ordinal)
                .Take(limit)
                .Select(j => (JsonNode)Json(j.Job, j.Record, manifest))
                .ToList();
            var answer = new JsonObject { ["tenant_id"] = manifest.Plan.Spec.Metadata.Tenant, ["namespace"] = manifest.Namespace, ["jobs"] = new JsonArray([.. jobs]) };
            await WriteAsync(answer, json, lines => JobsCommand.WriteList(answer, lines, ids: false), terminal).ConfigureAwait(false);
            return KeelsonCli.Ok;
        }, cancellationToken);

    /// <summary>One queued Job, as the server shows one job.</summary>
    public static Task<int> ShowAsync(ParseResult parse, Options options, string name, bool json, Terminal terminal, CancellationToken cancellationToken) =>
        WithStackAsync(parse, options, terminal, save: false, async (target, manifest) =>
        {
            if (await FindAsync(target, manifest, name, terminal, cancellationToken).ConfigureAwait(false) is not { } job)
            {
                return KeelsonCli.BadInput;
            }

            await WriteJobAsync(job, Record(job, manifest), manifest, json, terminal).ConfigureAwait(false);
            return KeelsonCli.Ok;
        }, cancellationToken);

    /// <summary>Deletes a pending, admitted or running queued Job (its pods stop; its quota is free for the next pass).</summary>
    public static Task<int> CancelAsync(ParseResult parse, Options options, string name, bool json, Terminal terminal, CancellationToken cancellationToken) =>
        WithStackAsync(parse, options, terminal, save: true, async (target, manifest) =>
        {
            if (await FindAsync(target, manifest, name, terminal, cancellationToken).ConfigureAwait(false) is not { } job)
            {
                return KeelsonCli.BadInput;
            }

            var record = Record(job, manifest);
            if (record.State is JobState.Succeeded or JobState.Failed)
            {
                await terminal.Error.WriteLineAsync($"keelson: job {name} already {WireName.Of(record.State)}; only pending, admitted and running jobs can be cancelled").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            await target.Cluster.DeleteAsync(Key(manifest, name), cancellationToken).ConfigureAwait(false);
            var now = target.Cluster.Time.GetUtcNow();
            var cancelled = record with
            {
                State = JobState.Cancelled,
                Reason = null,
                UpdatedAt = now,
                FinishedAt = now,
                Attempts = [.. record.Attempts.Select(a => a with { EndedAt = now, Outcome = "cancelled", Message = "cancelled by the user" })],
            };
            await WriteJobAsync(job, cancelled, manifest, json, terminal).ConfigureAwait(false);
            await terminal.Error.WriteLineAsync($"keelson: deleted Job {name} from {manifest.Namespace} on {target.Cluster.Description}; its quota is free for the next admission pass").ConfigureAwait(false);
            return KeelsonCli.Ok;
        }, cancellationToken);

    private static async Task<int> WithStackAsync(ParseResult parse, Options options, Terminal terminal, bool save, Func<ClusterTarget, Manifest, Task<int>> run, CancellationToken cancellationToken)
    {
        var (manifest, exit) = await ValidatedRender.LoadAsync(parse.GetValue(options.Stack)!, null, terminal, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return exit;
        }

        if (manifest.Plan.Spec.Queues.Count == 0)
        {
            await terminal.Error.WriteLineAsync($"keelson: {manifest.Plan.Spec.Source} declares no queues; add them under 'queues' to submit jobs to them").ConfigureAwait(false);
            return KeelsonCli.BadInput;
        }

        await using var target = await ClusterTarget.TryOpenAsync(parse, options.Target, manifest.Plan.Spec.Cluster, false, terminal, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            return KeelsonCli.BadInput;
        }

        if (await target.Cluster.GetAsync(new ObjectKey("v1", "Namespace", null, manifest.Namespace), cancellationToken).ConfigureAwait(false) is null)
        {
            await terminal.Error.WriteLineAsync($"keelson: {manifest.Namespace} has not been delivered to {target.Cluster.Description}; run keelson up first").ConfigureAwait(false);
            return KeelsonCli.Findings;
        }

        var code = await run(target, manifest).ConfigureAwait(false);
        if (save && code == KeelsonCli.Ok)
        {
            await target.SaveAsync().ConfigureAwait(false);
        }

        return code;
    }

    private static ObjectKey Key(Manifest manifest, string name) => new("batch/v1", "Job", manifest.Namespace, name);

    private static async Task<List<V1Job>> QueuedAsync(ClusterTarget target, Manifest manifest, CancellationToken cancellationToken) =>
        [.. (await target.Cluster.ListAsync("batch/v1", "Job", manifest.Namespace, QueuedJobs.QueueLabel, cancellationToken).ConfigureAwait(false)).OfType<V1Job>()];

    private static async Task<V1Job?> FindAsync(ClusterTarget target, Manifest manifest, string name, Terminal terminal, CancellationToken cancellationToken)
    {
        if (await target.Cluster.GetAsync(Key(manifest, name), cancellationToken).ConfigureAwait(false) is V1Job job && job.Metadata.Labels?.ContainsKey(QueuedJobs.QueueLabel) == true)
        {
            return job;
        }

        var names = (await QueuedAsync(target, manifest, cancellationToken).ConfigureAwait(false)).Select(j => j.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        await terminal.Error.WriteLineAsync($"keelson: {manifest.Namespace} has no queued Job named {name}; {(names.Count == 0 ? "it has none" : "its queued Jobs: " + string.Join(", ", names))}").ConfigureAwait(false);
        return null;
    }

    private static Task WriteJobAsync(V1Job job, JobRecord record, Manifest manifest, bool json, Terminal terminal)
    {
        var answer = Json(job, record, manifest);
        return WriteAsync(answer, json, lines => JobsCommand.WriteJob(answer, lines), terminal);
    }

    private static async Task WriteAsync(JsonObject answer, bool json, Action<System.Text.StringBuilder> table, Terminal terminal)
    {
        if (json)
        {
            await terminal.Out.WriteLineAsync(answer.ToJsonString(Indented)).ConfigureAwait(false);
            return;
        }

        var lines = new System.Text.StringBuilder();
        table(lines);
        await terminal.Out.WriteAsync(lines.ToString()).ConfigureAwait(false);
    }

    /// <summary>
    /// A queued Job read back as the job API's record: suspended is pending (with the admitter's reason), admitted
    /// until a pod started, then running, and ended as Kubernetes says. Its one attempt is its admission.
    /// </summary>
    private static JobRecord Record(V1Job job, Manifest manifest)
    {
        var container = job.Spec.Template.Spec.Containers[0];
        var annotations = job.Metadata.Annotations ?? new Dictionary<string, string>();
        var workload = QueuedJobAdmitter.Workload(job);
        var parallelism = Math.Max(1, job.Spec.Parallelism ?? 1);
        var spec = new JobSpec
        {
            Name = job.Metadata.Name,
            Queue = job.Metadata.Labels[QueuedJobs.QueueLabel],
            Image = container.Image,
            Command = [.. container.Command ?? []],
            Args = [.. container.Args ?? []],
            Env = (container.Env ?? []).Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal),
            Annotations = new Dictionary<string, string>(job.Spec.Template.Metadata?.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            MilliCpu = workload.Request.MilliCpu / parallelism,
            MemoryBytes = workload.Request.MemoryBytes / parallelism,
            Gpus = (int)(workload.Request.Gpus / parallelism),
            Gpu = workload.Gpu,
            Parallelism = parallelism,
            Completions = job.Spec.Completions ?? 1,
            Priority = workload.Priority,
            ActiveDeadlineSeconds = job.Spec.ActiveDeadlineSeconds,
            Retries = job.Spec.BackoffLimit ?? 0,
        };
        var created = new DateTimeOffset(DateTime.SpecifyKind(job.Metadata.CreationTimestamp ?? default, DateTimeKind.Utc));
        var outcome = JobManifest.Outcome(job);
        var pool = job.Metadata.Labels.TryGetValue(QueuedJobs.FlavorLabel, out var p) ? p : null;
        var started = job.Status?.StartTime is { } s ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        var ended = job.Status?.CompletionTime ?? job.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True")?.LastTransitionTime;
        DateTimeOffset? finished = outcome is null || ended is null ? null : new DateTimeOffset(DateTime.SpecifyKind(ended.Value, DateTimeKind.Utc));
        var state = outcome is { } o ? (o.Succeeded ? JobState.Succeeded : JobState.Failed)
            : job.Spec.Suspend == true ? JobState.Pending
            : (job.Status?.Active ?? 0) + (job.Status?.Succeeded ?? 0) + (job.Status?.Failed ?? 0) > 0 ? JobState.Running
            : JobState.Admitted;
        var reason = state == JobState.Pending && annotations.TryGetValue(QueuedJobAdmitter.WaitingAnnotation, out var waiting) ? waiting
            : state == JobState.Failed ? outcome!.Value.Message
            : null;
        IReadOnlyList<JobAttempt> attempts = state == JobState.Pending || pool is null ? []
            : [new JobAttempt(1, pool, job.Metadata.Name, started ?? created, finished, outcome is { } e ? (e.Succeeded ? "succeeded" : "failed") : null, outcome?.Message)];
        return new JobRecord(0, manifest.Plan.Spec.Metadata.Tenant, spec, state, reason, state == JobState.Pending ? null : pool, attempts.Count, created, finished ?? started ?? created, finished, attempts);
    }

    /// <summary>The job API's JSON of <paramref name="record"/>, without an id; its Kubernetes Job is named after the job.</summary>
    private static JsonObject Json(V1Job job, JobRecord record, Manifest manifest)
    {
        var answer = JobResponses.Job(record, manifest.Namespace);
        answer.Remove("id");
        answer["kubernetes_job"] = record.Attempt == 0 ? null : new JsonObject { ["namespace"] = manifest.Namespace, ["name"] = job.Metadata.Name };
        foreach (var attempt in answer["attempts"]!.AsArray().OfType<JsonObject>())
        {
            attempt["kubernetes_job"] = job.Metadata.Name;
        }

        return answer;
    }

    /// <summary>The CLI option a field of the job API's body comes from.</summary>
    private static string Option(string field) => field switch
    {
        "resources.cpu" => "--cpu",
        "resources.memory" => "--memory",
        "resources.gpu" => "--gpu",
        "resources.gpu_type" => "--gpu-type",
        "resources" => "--cpu/--memory/--gpu",
        "active_deadline_seconds" => "--active-deadline-seconds",
        "env" => "--env",
        "command" => "COMMAND",
        _ when field.StartsWith("env.", StringComparison.Ordinal) => "--env " + field[4..],
        _ => "--" + field,
    };
}
