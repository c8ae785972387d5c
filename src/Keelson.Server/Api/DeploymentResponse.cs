using System.Text.Json.Serialization;
using Keelson.Operations.Deployments;
using Keelson.Operations.Storage;

namespace Keelson.Server.Api;

/// <summary>A deployment with its steps, as <c>GET /deployments/{id}</c> shows it and the WebSocket stream sends it.</summary>
public sealed record DeploymentResponse(
    [property: JsonPropertyName("deployment_id")] string DeploymentId,
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("finished")] bool Finished,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("rollback_of")] string? RollbackOf,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("runner")] string? Runner,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("steps")] IReadOnlyList<DeploymentStepResponse> Steps,
    [property: JsonPropertyName("links")] DeploymentLinks Links)
{
    /// <summary>The response for a stored deployment and its steps (all ten, pending ones included, once it has started).</summary>
    public static DeploymentResponse From(DeploymentRecord deployment, IReadOnlyList<DeploymentStep> steps)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(steps);
        return new DeploymentResponse(
            deployment.Id, deployment.TenantId, deployment.Revision, WireName.Of(deployment.State), deployment.Finished, deployment.Error, deployment.RollbackOf,
            WireName.Of(deployment.Action), deployment.LeaseOwner, deployment.CreatedAt, deployment.UpdatedAt,
            [.. steps.Select(s => new DeploymentStepResponse(WireName.Of(s.Name), WireName.Of(s.State), s.Attempts, s.StartedAt, s.FinishedAt, s.Message))],
            new DeploymentLinks($"/api/v1/deployments/{deployment.Id}", $"/ws/deployments/{deployment.Id}", $"/api/v1/deployments/{deployment.Id}/rollback"));
    }
}

/// <summary>One step of a deployment.</summary>
public sealed record DeploymentStepResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("message")] string? Message);

/// <summary>Where to poll, stream and roll back a deployment.</summary>
public sealed record DeploymentLinks(
    [property: JsonPropertyName("self")] string Self,
    [property: JsonPropertyName("stream")] string Stream,
    [property: JsonPropertyName("rollback")] string Rollback);

/// <summary>A tenant's deployments, newest first.</summary>
public sealed record DeploymentList(
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("deployments")] IReadOnlyList<DeploymentResponse> Deployments);

/// <summary>A progress line on the WebSocket stream (<c>type</c> is <c>event</c>; whole snapshots have <c>type</c> <c>deployment</c>).</summary>
public sealed record DeploymentEventMessage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("object")] string? Resource,
    [property: JsonPropertyName("message")] string Message);

/// <summary>What one revision changed against another: the counts, and each added, removed or changed object with its diff.</summary>
public sealed record DeploymentDiffResponse(
    [property: JsonPropertyName("deployment_id")] string DeploymentId,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("against")] DeploymentRevision? Against,
    [property: JsonPropertyName("summary")] DeploymentDiffSummary Summary,
    [property: JsonPropertyName("objects")] IReadOnlyList<ObjectChangeResponse> Objects);

/// <summary>The revision a diff is taken against.</summary>
public sealed record DeploymentRevision(
    [property: JsonPropertyName("deployment_id")] string DeploymentId,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("action")] string Action);

/// <summary>How many objects a revision added, removed, changed and left alone.</summary>
public sealed record DeploymentDiffSummary(
    [property: JsonPropertyName("added")] int Added,
    [property: JsonPropertyName("removed")] int Removed,
    [property: JsonPropertyName("changed")] int Changed,
    [property: JsonPropertyName("unchanged")] int Unchanged);

/// <summary>One object's change: <c>added</c>, <c>removed</c> or <c>changed</c>, with a unified diff of its YAML (<c>-</c> before, <c>+</c> after).</summary>
public sealed record ObjectChangeResponse(
    [property: JsonPropertyName("api_version")] string ApiVersion,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("namespace")] string? Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("change")] string Change,
    [property: JsonPropertyName("diff")] string Diff);
