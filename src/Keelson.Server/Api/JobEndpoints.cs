using System.Globalization;
using System.Text.Json.Nodes;
using Keelson.Operations.Jobs;
using Keelson.Operations.Storage;
using Keelson.Server.Http;
using Keelson.Spec.Model;

namespace Keelson.Server.Api;

/// <summary>
/// The tenant's batch job queue (docs/jobs.md): queues with quotas per node pool (PUT/GET/DELETE
/// <c>/tenants/{tenant_id}/job-queues/{queue}</c>) and jobs (submit, list, read, cancel, retry under
/// <c>/tenants/{tenant_id}/jobs</c>). Admission and the Kubernetes Jobs are the background <see cref="TenantJobs"/>'s.
/// </summary>
public static class JobEndpoints
{
    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapJobs(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/tenants/{tenant_id}/job-queues", ListQueues).WithName("ListJobQueues").WithTags("jobs")
            .WithSummary("The tenant's job queues with their quotas and pending, admitted and running counts.")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/tenants/{tenant_id}/job-queues/{queue}", GetQueue).WithName("GetJobQueue").WithTags("jobs")
            .WithSummary("One job queue with its counts.").Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/tenants/{tenant_id}/job-queues/{queue}", PutQueue).WithName("PutJobQueue").WithTags("jobs")
            .WithSummary("Create (201) or replace (200) a queue: cohort, queueing_strategy (StrictFIFO, BestEffortFIFO), preemption {within_queue, reclaim_within_cohort}, flavors [{pool, nominal {cpu, memory, gpu}, borrowing_limit, lending_limit}].")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>().Produces<JsonObject>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapDelete("/tenants/{tenant_id}/job-queues/{queue}", DeleteQueue).WithName("DeleteJobQueue").WithTags("jobs")
            .WithSummary("Delete a queue; its pending jobs wait (reason: unknown queue) until it exists again.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapPost("/tenants/{tenant_id}/jobs", Submit).WithName("SubmitJob").WithTags("jobs")
            .WithSummary("Queue a job: name, queue, image (with a tag), command, args, env, resources {cpu, memory, gpu, gpu_type} per pod, parallelism, completions, priority, active_deadline_seconds, retries. 201 with the job; nothing is queued on a 4xx.")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/tenants/{tenant_id}/jobs", List).WithName("ListJobs").WithTags("jobs")
            .WithSummary("The tenant's jobs, newest first; ?state=pending|admitted|running|succeeded|failed|cancelled, ?queue=, ?limit=100 (1–1000).")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/tenants/{tenant_id}/jobs/{job_id}", Get).WithName("GetJob").WithTags("jobs")
            .WithSummary("One job: state, why it waits, the flavor it holds, its Kubernetes Job and every attempt.")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/tenants/{tenant_id}/jobs/{job_id}/cancel", Cancel).WithName("CancelJob").WithTags("jobs")
            .WithSummary("Cancel a pending, admitted or running job: its quota is released at once and its Kubernetes Job deleted. 409 when it already finished.")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapPost("/tenants/{tenant_id}/jobs/{job_id}/retry", Retry).WithName("RetryJob").WithTags("jobs")
            .WithSummary("Queue a failed or cancelled job again (a new attempt). 409 otherwise.")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireRateLimiting(ServerApp.MutationPolicy);
        return api;
    }

    private static async Task<IResult> ListQueues(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        var (stores, problem) = await TenantAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return problem!;
        }

        var queues = await stores.Jobs.ListQueuesAsync(tenant_id, cancellationToken).ConfigureAwait(false);
        var counts = await stores.Jobs.CountsAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new JsonObject { ["tenant_id"] = tenant_id, ["queues"] = new JsonArray([.. queues.Select(q => (JsonNode)WithCounts(q, tenant_id, counts))]) });
    }

    private static async Task<IResult> GetQueue(HttpContext http, TenantDatabases databases, string tenant_id, string queue, CancellationToken cancellationToken)
    {
        var (stores, problem) = await TenantAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return problem!;
        }

        var found = (await stores.Jobs.ListQueuesAsync(tenant_id, cancellationToken).ConfigureAwait(false)).FirstOrDefault(q => q.Name == queue);
        return found is null ? QueueNotFound(tenant_id, queue) : TypedResults.Json(WithCounts(found, tenant_id, await stores.Jobs.CountsAsync(cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<IResult> PutQueue(HttpContext http, TenantDatabases databases, TenantJobs jobs, string tenant_id, string queue, CancellationToken cancellationToken)
    {
        var (body, unreadable) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return unreadable!;
        }

        var (stores, cluster, _, problem) = await ClusterAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return problem!;
        }

        var (definition, errors) = JobQueueInput.Read(queue, body, cluster!);
        if (definition is null)
        {
            return Invalid("The queue is not valid; nothing was stored", errors);
        }

        var created = await stores.Jobs.PutQueueAsync(tenant_id, definition, cancellationToken).ConfigureAwait(false);
        jobs.Wake();
        return TypedResults.Json(JobQueueInput.Json(definition), statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> DeleteQueue(HttpContext http, TenantDatabases databases, string tenant_id, string queue, CancellationToken cancellationToken)
    {
        var (stores, problem) = await TenantAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return problem!;
        }

        return await stores.Jobs.DeleteQueueAsync(tenant_id, queue, cancellationToken).ConfigureAwait(false) ? TypedResults.NoContent() : QueueNotFound(tenant_id, queue);
    }

    private static async Task<IResult> Submit(HttpContext http, TenantDatabases databases, TenantJobs jobs, string tenant_id, CancellationToken cancellationToken)
    {
        var (body, unreadable) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return unreadable!;
        }

        var (stores, cluster, ns, problem) = await ClusterAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return problem!;
        }

        var queues = await stores.Jobs.ListQueuesAsync(tenant_id, cancellationToken).ConfigureAwait(false);
        var (spec, errors) = JobInput.Read(body, cluster!, queues);
        if (spec is null)
        {
            return Invalid("The job is not valid; nothing was queued", errors);
        }

        var job = await stores.Jobs.SubmitAsync(tenant_id, spec, cancellationToken).ConfigureAwait(false);
        jobs.Wake();
        return TypedResults.Created($"/api/v1/tenants/{tenant_id}/jobs/{job.Id}", JobResponses.Job(job, ns));
    }

    private static async Task<IResult> List(HttpContext http, TenantDatabases databases, string tenant_id, string? state, string? queue, int? limit, CancellationToken cancellationToken)
    {
        var (stores, ns, problem) = await TenantWithNamespaceAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return problem!;
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
                return TypedResults.Problem(statusCode: 400, title: "Unknown job state", detail: e.Message, type: "https://keelson.dev/problems/400");
            }
        }

        if (limit is < 1 or > 1000)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad limit", detail: $"limit must be 1–1000; got {limit}.", type: "https://keelson.dev/problems/400");
        }

        var rows = await stores.Jobs.ListAsync(tenant_id, wanted, queue, limit ?? 100, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new JsonObject { ["tenant_id"] = tenant_id, ["jobs"] = new JsonArray([.. rows.Select(j => (JsonNode)JobResponses.Job(j, ns))]) });
    }

    private static async Task<IResult> Get(HttpContext http, TenantDatabases databases, string tenant_id, string job_id, CancellationToken cancellationToken)
    {
        var (stores, ns, problem) = await TenantWithNamespaceAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return problem!;
        }

        return Id(job_id) is { } id && await stores.Jobs.GetAsync(tenant_id, id, cancellationToken).ConfigureAwait(false) is { } job
            ? TypedResults.Json(JobResponses.Job(job, ns))
            : JobNotFound(tenant_id, job_id);
    }

    private static async Task<IResult> Cancel(HttpContext http, TenantDatabases databases, TenantJobs jobs, string tenant_id, string job_id, CancellationToken cancellationToken)
    {
        var (stores, ns, problem) = await TenantWithNamespaceAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return problem!;
        }

        if (Id(job_id) is not { } id || await stores.Jobs.CancelAsync(tenant_id, id, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return JobNotFound(tenant_id, job_id);
        }

        jobs.Wake();
        return job.State == JobState.Cancelled
            ? TypedResults.Json(JobResponses.Job(job, ns))
            : Problems.Conflict($"Job {id} already {WireName.Of(job.State)}", "Only pending, admitted and running jobs can be cancelled; retry queues a failed or cancelled one again.");
    }

    private static async Task<IResult> Retry(HttpContext http, TenantDatabases databases, TenantJobs jobs, string tenant_id, string job_id, CancellationToken cancellationToken)
    {
        var (stores, ns, problem) = await TenantWithNamespaceAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return problem!;
        }

        if (Id(job_id) is not { } id || await stores.Jobs.GetAsync(tenant_id, id, cancellationToken).ConfigureAwait(false) is not { } before)
        {
            return JobNotFound(tenant_id, job_id);
        }

        if (before.State is not (JobState.Failed or JobState.Cancelled))
        {
            return Problems.Conflict($"Job {id} is {WireName.Of(before.State)}", "Only failed and cancelled jobs can be retried.");
        }

        var job = await stores.Jobs.RetryAsync(tenant_id, id, cancellationToken).ConfigureAwait(false);
        jobs.Wake();
        return TypedResults.Json(JobResponses.Job(job!, ns));
    }

    private static JsonObject WithCounts(ClusterQueueSpec queue, string tenant, IReadOnlyList<(string TenantId, string Queue, JobState State, long Count)> counts)
    {
        var json = JobQueueInput.Json(queue);
        long Count(JobState s) => counts.Where(c => c.TenantId == tenant && c.Queue == queue.Name && c.State == s).Sum(c => c.Count);
        json["jobs"] = new JsonObject { ["pending"] = Count(JobState.Pending), ["admitted"] = Count(JobState.Admitted), ["running"] = Count(JobState.Running) };
        return json;
    }

    private static async Task<(Operations.OperationsStores? Stores, IResult? Problem)> TenantAsync(HttpContext http, TenantDatabases databases, string tenantId, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        return await stores.Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is null ? (null, Problems.NotFound(tenantId)) : (stores, null);
    }

    private static async Task<(Operations.OperationsStores? Stores, string? Namespace, IResult? Problem)> TenantWithNamespaceAsync(HttpContext http, TenantDatabases databases, string tenantId, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is not { } tenant)
        {
            return (null, null, Problems.NotFound(tenantId));
        }

        return (stores, TenantJobs.ClusterOf(tenant).Namespace, null);
    }

    private static async Task<(Operations.OperationsStores? Stores, ClusterProfile? Cluster, string? Namespace, IResult? Problem)> ClusterAsync(
        HttpContext http, TenantDatabases databases, string tenantId, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is not { } tenant)
        {
            return (null, null, null, Problems.NotFound(tenantId));
        }

        var (profile, ns, error) = TenantJobs.ClusterOf(tenant);
        return profile is null
            ? (null, null, null, Problems.Conflict($"Tenant '{tenantId}' has no cluster for jobs", $"Its stored stack does not plan: {error}. Update the tenant first."))
            : (stores, profile, ns, null);
    }

    private static long? Id(string text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static IResult Invalid(string title, Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: string.Join("; ", errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            title: title, type: "https://keelson.dev/problems/422", statusCode: StatusCodes.Status422UnprocessableEntity);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult QueueNotFound(string tenant, string queue) => TypedResults.Problem(
        statusCode: 404, title: $"Queue '{queue}' not found", detail: $"Tenant '{tenant}' has no job queue named '{queue}' in the selected database; GET /api/v1/tenants/{tenant}/job-queues lists them.", type: "https://keelson.dev/problems/404");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult JobNotFound(string tenant, string id) => TypedResults.Problem(
        statusCode: 404, title: $"Job '{id}' not found", detail: $"Tenant '{tenant}' has no job with id '{id}' in the selected database (job ids are numbers).", type: "https://keelson.dev/problems/404");
}
