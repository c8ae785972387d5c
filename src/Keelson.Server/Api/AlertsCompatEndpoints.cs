using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Keelson.Operations;
using Keelson.Operations.Alerts;
using Keelson.Operations.Notifications;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>
/// The ECP-AI alerts router, <c>/api/v1/alerts/</c>, over Keelson's alert engine: each time a rule fired is one alert
/// (<see cref="SqlAlertOccurrenceStore"/>), active while it fires, resolved when the engine resolved it, acknowledged while
/// a silence mutes it. Acknowledging creates such a silence; nothing here invents or stores alerts of its own.
/// </summary>
public static class AlertsCompatEndpoints
{
    /// <summary>How long an acknowledgement mutes the alert's notifications.</summary>
    public static readonly TimeSpan AcknowledgeFor = TimeSpan.FromHours(24);

    /// <summary>An alert counts as recent (<c>is_recent</c>, highlighted by the UI) this long after it fired.</summary>
    public static readonly TimeSpan Recent = TimeSpan.FromMinutes(10);

    private static readonly string[] Statuses = ["active", "resolved", "acknowledged"];

    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapAlertsCompat(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/alerts/", List).WithName("ListAlerts").WithTags("alerts")
            .WithSummary("Alerts of every tenant the caller sees, newest first: ?page=1&page_size=50 (1–200), severity, category, tenant_id, status (active, resolved, acknowledged); include_recent and cursor are accepted.")
            .Produces<AlertPage>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPut("/alerts/{alert_id}/status", SetStatus).WithName("SetAlertStatus").WithTags("alerts")
            .WithSummary("{\"status\": \"acknowledged\"} silences a firing alert for 24 h (alertname and tenant matchers); \"resolved\" is accepted only for an alert the engine has resolved.")
            .Accepts<StatusRequest>("application/json").Produces<StatusResponse>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        return api;
    }

    /// <summary>One alert in the original's AlertResponse shape, plus <c>is_recent</c> and <c>acknowledged</c>.</summary>
    public sealed record AlertItem(long Id, string AlertId, string Title, string Message, string Severity, string Category, string TenantId, string? ServiceName,
        string? ResourceType, double MetricValue, double? ThresholdValue, string Status, bool Resolved, DateTimeOffset? ResolvedAt, string? ResolvedBy, string Source,
        IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, string> AlertMetadata, DateTimeOffset Timestamp, DateTimeOffset CreatedAt,
        DateTimeOffset? UpdatedAt, bool IsRecent, bool Acknowledged);

    /// <summary>A page: <c>alerts</c>, <c>total_count</c>, <c>page</c>, <c>page_size</c>, <c>has_more</c>, <c>next_cursor</c>.</summary>
    public sealed record AlertPage(IReadOnlyList<AlertItem> Alerts, long TotalCount, int Page, int PageSize, bool HasMore, string? NextCursor);

    /// <summary>The status change body.</summary>
    public sealed record StatusRequest(string Status, string? ResolvedBy);

    /// <summary>The answer to a status change.</summary>
    public sealed record StatusResponse(bool Success, string Message, string AlertId, string Status, string? SilenceId);

    private static async Task<IResult> List(HttpContext http, TenantDatabases databases, TenantNotifications notifications, TimeProvider time,
        string? page, string? page_size, string? severity, string? category, string? tenant_id, string? status, string? include_recent, string? cursor, CancellationToken cancellationToken)
    {
        _ = cursor;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var number = Integer(page, "page", 1, 1, int.MaxValue / 200, errors);
        var size = Integer(page_size, "page_size", 50, 1, 200, errors);
        if (status is not null && !Statuses.Contains(status))
        {
            errors["status"] = [$"'{status}' is not a status; use {string.Join(", ", Statuses)}"];
        }

        if (include_recent is not null && DemoModeFilter.Parse(include_recent) is null)
        {
            errors["include_recent"] = [$"include_recent must be true or false; got '{include_recent}'"];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The alert query is not valid", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var caller = ApiKeyFilter.CallerOf(http);
        if (tenant_id is not null && !caller.MayAccess(tenant_id))
        {
            return Problems.Forbidden(caller);
        }

        var demo = DemoModeFilter.IsDemo(http);
        var stores = databases.For(demo);
        var now = time.GetUtcNow();
        var filter = new AlertOccurrenceFilter(tenant_id ?? (caller.Admin ? null : caller.Tenant ?? ""), severity, status switch
        {
            "active" or "acknowledged" => true,
            "resolved" => false,
            _ => null,
        }, null, category);
        var silences = await notifications.Silences(demo).CurrentAsync(cancellationToken).ConfigureAwait(false);
        var builder = new AlertItemBuilder(stores, silences, now);
        var offset = (number - 1) * size;
        if (status is "active" or "acknowledged")
        {
            // Whether a firing alert is acknowledged depends on the silences, which live beside the history: filter the firing ones here.
            var (firing, _) = await stores.AlertOccurrences.PageAsync(filter, 0, 10_000, cancellationToken).ConfigureAwait(false);
            var wanted = new List<AlertItem>();
            foreach (var occurrence in firing)
            {
                var item = await builder.BuildAsync(occurrence, cancellationToken).ConfigureAwait(false);
                if (item.Status == status)
                {
                    wanted.Add(item);
                }
            }

            var slice = wanted.Skip(offset).Take(size).ToList();
            return Results.Ok(Page(slice, wanted.Count, number, size, offset));
        }

        var (items, total) = await stores.AlertOccurrences.PageAsync(filter, offset, size, cancellationToken).ConfigureAwait(false);
        var alerts = new List<AlertItem>(items.Count);
        foreach (var occurrence in items)
        {
            alerts.Add(await builder.BuildAsync(occurrence, cancellationToken).ConfigureAwait(false));
        }

        return Results.Ok(Page(alerts, total, number, size, offset));
    }

    private static AlertPage Page(List<AlertItem> items, long total, int page, int size, int offset)
    {
        var more = offset + items.Count < total;
        return new AlertPage(items, total, page, size, more, more ? (page + 1).ToString(CultureInfo.InvariantCulture) : null);
    }

    private static async Task<IResult> SetStatus(HttpContext http, TenantDatabases databases, TenantNotifications notifications, TimeProvider time, string alert_id, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, _) in body)
        {
            if (key is not ("status" or "resolved_by"))
            {
                errors[key] = [$"'{key}' is not a field; allowed: status, resolved_by"];
            }
        }

        var status = body["status"] is JsonValue s && s.TryGetValue<string>(out var text) ? text : null;
        if (status is not ("acknowledged" or "resolved"))
        {
            errors["status"] = [$"status must be acknowledged or resolved{(status is null ? "" : $"; got '{status}'")} (Keelson's engine decides when an alert is active)"];
        }

        var by = body["resolved_by"] is JsonValue r && r.TryGetValue<string>(out var who) ? who : null;
        if (body["resolved_by"] is not null && (by is null || by.Length is 0 or > 200 || by.Any(char.IsControl)))
        {
            errors["resolved_by"] = ["resolved_by must be text of 1–200 characters"];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The status change is not valid", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var demo = DemoModeFilter.IsDemo(http);
        var stores = databases.For(demo);
        var caller = ApiKeyFilter.CallerOf(http);
        if (IdOf(alert_id) is not { } id || await stores.AlertOccurrences.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } occurrence
            || !caller.MayAccess(occurrence.TenantId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Alert '{alert_id}' not found",
                detail: "No alert has this id in the selected database; GET /api/v1/alerts/ lists them (alert_id is alert-<id>).", type: "https://keelson.dev/problems/404");
        }

        var publicId = $"alert-{occurrence.Id}";
        if (status == "resolved")
        {
            return occurrence.Firing
                ? Problems.Conflict($"Alert '{publicId}' is still firing",
                    $"Keelson resolves an alert when its rule's condition stops holding ({occurrence.RuleName} of {occurrence.TenantId}); acknowledge it to mute its notifications, or change the rule.")
                : Results.Ok(new StatusResponse(true, $"Alert '{publicId}' was resolved by the alert engine.", publicId, "resolved", null));
        }

        if (!occurrence.Firing)
        {
            return Problems.Conflict($"Alert '{publicId}' is not firing", "Only a firing alert can be acknowledged; this one has ended.");
        }

        var now = time.GetUtcNow();
        var matchers = new[] { Operations.Notifications.LabelMatcher.Create("alertname", MatcherType.Equal, occurrence.RuleName).Matcher!, Operations.Notifications.LabelMatcher.Create("tenant", MatcherType.Equal, occurrence.TenantId).Matcher! };
        var silence = await notifications.Silences(demo).CreateAsync(matchers, now, now + AcknowledgeFor, by ?? (caller.Admin ? "admin" : $"tenant-key:{caller.Tenant}"),
            $"Acknowledged {publicId} through PUT /api/v1/alerts/{publicId}/status", cancellationToken).ConfigureAwait(false);
        await TenantEndpoints.Audit(stores.Audit, http, "alert.acknowledge", occurrence.TenantId,
            new JsonObject { ["alert_id"] = publicId, ["alert_name"] = occurrence.RuleName, ["silence_id"] = silence.Id }, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new StatusResponse(true, $"Alert '{publicId}' acknowledged: its notifications are silenced until {silence.EndsAt:O}.", publicId, "acknowledged", silence.Id));
    }

    private static long? IdOf(string alertId)
    {
        var digits = alertId.StartsWith("alert-", StringComparison.Ordinal) ? alertId[6..] : alertId;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    private static int Integer(string? text, string field, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[field] = [$"{field} must be a whole number from {min} to {max}; got '{text}'"];
        return fallback;
    }

    /// <summary>Builds <see cref="AlertItem"/>s, reading each tenant's rules once for titles and messages.</summary>
    internal sealed class AlertItemBuilder(OperationsStores stores, IReadOnlyList<Silence> silences, DateTimeOffset now)
    {
        private readonly Dictionary<string, IReadOnlyDictionary<string, AlertRuleRecord>> rules = new(StringComparer.Ordinal);

        /// <summary>The item for one occurrence.</summary>
        public async Task<AlertItem> BuildAsync(AlertOccurrence occurrence, CancellationToken cancellationToken)
        {
            if (!rules.TryGetValue(occurrence.TenantId, out var ofTenant))
            {
                ofTenant = (await stores.AlertRules.ListAsync(occurrence.TenantId, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Name, StringComparer.Ordinal);
                rules[occurrence.TenantId] = ofTenant;
            }

            var annotations = ofTenant.TryGetValue(occurrence.RuleName, out var record) ? Annotations(record, occurrence.Value) : ImmutableSortedDictionary<string, string>.Empty;
            var acknowledged = occurrence.Firing && silences.Any(s => s.Mutes(occurrence.Labels, now));
            var status = occurrence.Firing ? acknowledged ? "acknowledged" : "active" : "resolved";
            var labels = occurrence.Labels;
            var message = annotations.GetValueOrDefault("summary") ?? annotations.GetValueOrDefault("description")
                ?? string.Create(CultureInfo.InvariantCulture, $"{occurrence.RuleName} fired for tenant {occurrence.TenantId} at {occurrence.Value}");
            var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["rule"] = occurrence.RuleName, ["fired_at"] = occurrence.FiredAt.ToString("O", CultureInfo.InvariantCulture) };
            if (record is not null)
            {
                metadata["condition"] = record.Condition;
            }

            return new AlertItem(
                occurrence.Id, $"alert-{occurrence.Id}", occurrence.RuleName, message, occurrence.Severity ?? "warning",
                labels.GetValueOrDefault("category") ?? (labels.ContainsKey(Alerts.ThresholdRules.ManagedLabel) ? "resource" : "tenant"),
                occurrence.TenantId, labels.GetValueOrDefault("service"), labels.GetValueOrDefault("metric"), occurrence.Value,
                double.TryParse(annotations.GetValueOrDefault("threshold"), NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) ? threshold : null,
                status, !occurrence.Firing, occurrence.ResolvedAt, null, "keelson-alert-engine", labels, metadata,
                occurrence.FiredAt, occurrence.FiredAt, occurrence.ResolvedAt, now - occurrence.FiredAt <= Recent, acknowledged);
        }

        private static ImmutableSortedDictionary<string, string> Annotations(AlertRuleRecord record, double value)
        {
            try
            {
                return record.ToRule().AlertAnnotations(value);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                return record.Annotations;
            }
        }
    }
}
