using System.Globalization;
using System.Text.Json.Nodes;
using Keelson.Operations.Jobs;
using Keelson.Operations.Storage;
using Keelson.Spec.Units;

namespace Keelson.Server.Api;

/// <summary>Jobs and quantities as the API shows them (snake_case, Kubernetes quantities, RFC 3339 UTC times).</summary>
public static class JobResponses
{
    /// <summary>A job with its attempts.</summary>
    public static JsonObject Job(JobRecord job, string? ns)
    {
        ArgumentNullException.ThrowIfNull(job);
        var s = job.Spec;
        return new JsonObject
        {
            ["id"] = job.Id,
            ["tenant_id"] = job.TenantId,
            ["name"] = s.Name,
            ["queue"] = s.Queue,
            ["state"] = WireName.Of(job.State),
            ["reason"] = job.Reason,
            ["flavor"] = job.Flavor,
            ["attempt"] = job.Attempt,
            ["kubernetes_job"] = job.KubernetesName is { } name ? new JsonObject { ["namespace"] = ns, ["name"] = name } : null,
            ["image"] = s.Image,
            ["command"] = new JsonArray([.. s.Command.Select(c => (JsonNode)c)]),
            ["args"] = new JsonArray([.. s.Args.Select(c => (JsonNode)c)]),
            ["env"] = new JsonObject(s.Env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["annotations"] = new JsonObject(s.Annotations.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["resources"] = new JsonObject
            {
                ["cpu"] = Cpu(s.MilliCpu),
                ["memory"] = new ByteSize(s.MemoryBytes).ToString(),
                ["gpu"] = s.Gpus,
                ["gpu_type"] = s.Gpu?.ToString(),
            },
            ["parallelism"] = s.Parallelism,
            ["completions"] = s.Completions,
            ["priority"] = s.Priority,
            ["active_deadline_seconds"] = s.ActiveDeadlineSeconds,
            ["retries"] = s.Retries,
            ["created_at"] = Time(job.CreatedAt),
            ["updated_at"] = Time(job.UpdatedAt),
            ["finished_at"] = job.FinishedAt is { } f ? Time(f) : null,
            ["attempts"] = new JsonArray([.. job.Attempts.Select(a => (JsonNode)new JsonObject
            {
                ["attempt"] = a.Number,
                ["flavor"] = a.Flavor,
                ["kubernetes_job"] = a.KubernetesName,
                ["admitted_at"] = Time(a.AdmittedAt),
                ["ended_at"] = a.EndedAt is { } e ? Time(e) : null,
                ["outcome"] = a.Outcome,
                ["message"] = a.Message,
            })]),
        };
    }

    /// <summary><c>{cpu, memory, gpu}</c> as Kubernetes quantities.</summary>
    public static JsonObject Quantities(Quantities q) => new()
    {
        ["cpu"] = Cpu(q.MilliCpu),
        ["memory"] = new ByteSize(q.MemoryBytes).ToString(),
        ["gpu"] = q.Gpus,
    };

    private static string Cpu(long milli) => milli % 1000 == 0 ? (milli / 1000).ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{milli}m");

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
