using System.Globalization;
using System.Text.Json.Nodes;
using Keelson.Operations.Notifications;
using Keelson.Operations.Storage;
using Keelson.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Keelson.Server.Api;

/// <summary>The notification outbox of a tenant, read-only: each notification's state and attempts; receivers by redacted name only.</summary>
public static class NotificationEndpoints
{
    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapNotifications(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/tenants/{tenant_id}/notifications", List).WithName("ListNotifications").WithTags("alerts")
            .WithSummary("The tenant's notifications, newest first (?state=pending|sent|failed|dead, ?limit=100): state, attempts with outcome, status and error; receiver URLs are never shown.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/notifications", ListVisible).WithName("ListVisibleNotifications").WithTags("alerts")
            .WithSummary("The newest notifications of every tenant the caller may see (an admin: all; a tenant key: its own), ?state=, ?limit=20 (1–1000); shaped as the per-tenant list, each with tenant_id.")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<IResult> List(HttpContext http, TenantDatabases databases, TenantNotifications notifications, string tenant_id, string? state, int? limit, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        if (await databases.For(demo).Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        if (Query(state, limit) is { } bad)
        {
            return bad;
        }

        var rows = await notifications.Outbox(demo).ListAsync(tenant_id, Parse(state), limit ?? 100, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new JsonObject
        {
            ["tenant_id"] = tenant_id,
            ["notifications"] = new JsonArray([.. rows.Select(r => (JsonNode)Json(r.Entry, r.Attempts))]),
        });
    }

    private static async Task<IResult> ListVisible(HttpContext http, TenantNotifications notifications, string? state, int? limit, CancellationToken cancellationToken)
    {
        if (Query(state, limit) is { } bad)
        {
            return bad;
        }

        // A tenant key reads its own tenant's rows only; an admin (or the open demo) reads every tenant's.
        var caller = ApiKeyFilter.CallerOf(http);
        if (!caller.Admin && caller.Tenant is null)
        {
            return Problems.Forbidden(caller);
        }

        var rows = await notifications.Outbox(DemoModeFilter.IsDemo(http)).ListAsync(caller.Admin ? null : caller.Tenant, Parse(state), limit ?? 20, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new JsonObject
        {
            ["notifications"] = new JsonArray([.. rows.Select(r =>
            {
                var row = Json(r.Entry, r.Attempts);
                row["tenant_id"] = r.Entry.TenantId;
                return (JsonNode)row;
            })]),
        });
    }

    // The checks both lists make of ?state= and ?limit=: a 400 naming the parameter, or null.
    private static ProblemHttpResult? Query(string? state, int? limit)
    {
        if (state is not null)
        {
            try
            {
                _ = WireName.Parse<OutboxState>(state);
            }
            catch (FormatException e)
            {
                return TypedResults.Problem(statusCode: 400, title: "Unknown notification state", detail: e.Message, type: "https://keelson.dev/problems/400");
            }
        }

        return limit is < 1 or > 1000
            ? TypedResults.Problem(statusCode: 400, title: "Bad limit", detail: $"limit must be 1–1000; got {limit}.", type: "https://keelson.dev/problems/400")
            : null;
    }

    private static OutboxState? Parse(string? state) => state is null ? null : WireName.Parse<OutboxState>(state);

    /// <summary>A notification as the API shows it: the receiver by its redacted name, never its URL.</summary>
    internal static JsonObject Json(OutboxEntry e, IReadOnlyList<AttemptRecord> attempts) => new()
    {
        ["id"] = e.Id,
        ["receiver"] = e.ReceiverName,
        ["receiver_kind"] = e.ReceiverKind,
        ["group_key"] = e.GroupKey,
        ["status"] = e.Status,
        ["alerts"] = e.AlertCount,
        ["idempotency_key"] = e.IdempotencyKey,
        ["state"] = WireName.Of(e.State),
        ["attempts"] = e.Attempts,
        ["created_at"] = Time(e.CreatedAt),
        ["next_attempt_at"] = e.State is OutboxState.Pending or OutboxState.Failed ? Time(e.NextAttemptAt) : null,
        ["sent_at"] = e.SentAt is { } sent ? Time(sent) : null,
        ["claimed_by"] = e.ClaimedBy,
        ["last_error"] = e.LastError,
        ["attempt_log"] = new JsonArray([.. attempts.Select(a => (JsonNode)new JsonObject
        {
            ["attempt"] = a.Attempt,
            ["at"] = Time(a.At),
            ["duration_ms"] = Math.Round(a.Duration.TotalMilliseconds, 1),
            ["outcome"] = a.Delivered ? "delivered" : "failed",
            ["status_code"] = a.StatusCode,
            ["reply"] = a.Reply,
            ["error"] = a.Error,
            ["sender"] = a.Sender,
        })]),
    };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
