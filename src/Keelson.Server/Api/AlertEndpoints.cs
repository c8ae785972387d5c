using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keelson.Operations;
using Keelson.Operations.Alerts;
using Keelson.Operations.Notifications;
using Keelson.Operations.Storage;
using Keelson.Server.Alerts;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>Alert rules under <c>/tenants/{tenant_id}/alerts</c>: the seed's create, plus list, read, replace, delete, enable/disable, test, active alerts and history.</summary>
public static class AlertEndpoints
{
    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapAlerts(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        const string Rule = "/tenants/{tenant_id}/alerts/{alert_name}";
        api.MapPost("/tenants/{tenant_id}/alerts", Create).WithName("CreateAlertRule").WithTags("alerts")
            .WithSummary("The seed's {alert_name, condition, duration, actions}; also keep_firing_for, severity, labels, annotations, expr, enabled.")
            .Accepts<AlertRuleRequest>("application/json").Produces<AlertRuleResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/tenants/{tenant_id}/alerts", List).WithName("ListAlertRules").WithTags("alerts").WithSummary("The tenant's rules by name, receiver URLs redacted.")
            .Produces<AlertRuleList>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/tenants/{tenant_id}/alerts/active", Active).WithName("ActiveAlerts").WithTags("alerts").WithSummary("Pending and firing alerts with their labels, annotations and values.")
            .Produces<ActiveAlertList>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/tenants/{tenant_id}/alerts/events", Events).WithName("AlertEvents").WithTags("alerts")
            .WithSummary("Every state transition, newest first: time, from, to, value, labels; ?alert_name=, offset, limit.")
            .Produces<AlertEventPage>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet(Rule, Get).WithName("GetAlertRule").WithTags("alerts").Produces<AlertRuleResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut(Rule, Replace).WithName("ReplaceAlertRule").WithTags("alerts")
            .WithSummary("Replace the rule's definition; a body carrying version is refused with 409 when the rule changed since.")
            .Accepts<AlertRuleRequest>("application/json").Produces<AlertRuleResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapDelete(Rule, Delete).WithName("DeleteAlertRule").WithTags("alerts").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapPost(Rule + "/enable", (HttpContext http, TenantDatabases databases, string tenant_id, string alert_name, CancellationToken ct) => SetEnabled(http, databases, tenant_id, alert_name, true, ct))
            .WithName("EnableAlertRule").WithTags("alerts").Produces<AlertRuleResponse>().ProducesProblem(StatusCodes.Status404NotFound).RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapPost(Rule + "/disable", (HttpContext http, TenantDatabases databases, string tenant_id, string alert_name, CancellationToken ct) => SetEnabled(http, databases, tenant_id, alert_name, false, ct))
            .WithName("DisableAlertRule").WithTags("alerts").Produces<AlertRuleResponse>().ProducesProblem(StatusCodes.Status404NotFound).RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapPost(Rule + "/test", Test).WithName("TestAlertRule").WithTags("alerts")
            .WithSummary("Send a test notification to each of the rule's actions now; the outcome per action is answered and audited.")
            .Produces<TestNotificationResponse>().ProducesProblem(StatusCodes.Status404NotFound).RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/tenants/{tenant_id}/alert-settings", GetSettings).WithName("GetAlertSettings").WithTags("alerts")
            .Produces<AlertSettingsBody>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/tenants/{tenant_id}/alert-settings", PutSettings).WithName("PutAlertSettings").WithTags("alerts")
            .WithSummary("The tenant's evaluation interval, e.g. {\"evaluation_interval\": \"30s\"} (default 15s, 1s–1h).")
            .Produces<AlertSettingsBody>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        return api;
    }

    /// <summary>The rules of a tenant.</summary>
    public sealed record AlertRuleList(IReadOnlyList<AlertRuleResponse> Alerts, int Total);

    /// <summary>The pending and firing alerts of a tenant.</summary>
    public sealed record ActiveAlertList(IReadOnlyList<ActiveAlertResponse> Alerts, int Total);

    /// <summary>A page of transitions.</summary>
    public sealed record AlertEventPage(IReadOnlyList<AlertEventResponse> Events, long Total, int Offset, int Limit);

    /// <summary>The tenant's evaluation settings.</summary>
    public sealed record AlertSettingsBody(string? EvaluationInterval);

    private static async Task<IResult> Create(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        var series = await KnownSeriesAsync(http, stores, tenant_id, cancellationToken).ConfigureAwait(false);
        var (rule, _, problem) = await AlertRuleInput.ReadAsync(http.Request, tenant_id, null, [.. series], null, cancellationToken).ConfigureAwait(false);
        if (rule is null)
        {
            return problem!;
        }

        try
        {
            var created = await stores.AlertRules.CreateAsync(rule, cancellationToken).ConfigureAwait(false);
            await AuditAsync(stores, http, "alert.create", created, null, cancellationToken).ConfigureAwait(false);
            return Results.Created($"/api/v1/tenants/{tenant_id}/alerts/{created.Name}", AlertRuleResponse.From(created));
        }
        catch (DuplicateAlertRuleException)
        {
            return Problems.Conflict($"Alert rule '{rule.Name}' already exists", $"Use PUT /api/v1/tenants/{tenant_id}/alerts/{rule.Name} to change it, or choose another alert_name.");
        }
        catch (RecordNotFoundException)
        {
            return Problems.NotFound(tenant_id);
        }
    }

    private static async Task<IResult> List(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        var rules = await stores.AlertRules.ListAsync(tenant_id, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new AlertRuleList([.. rules.Select(AlertRuleResponse.From)], rules.Count));
    }

    private static async Task<IResult> Get(HttpContext http, TenantDatabases databases, string tenant_id, string alert_name, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        return await stores.AlertRules.GetAsync(tenant_id, alert_name, cancellationToken).ConfigureAwait(false) is { } rule
            ? Results.Ok(AlertRuleResponse.From(rule))
            : await NotFoundAsync(stores, tenant_id, alert_name, cancellationToken).ConfigureAwait(false);
    }

    // The series a condition may name: those pushed, and in demo mode also those the sandbox reports for a deployed tenant.
    private static async Task<IEnumerable<string>> KnownSeriesAsync(HttpContext http, Operations.OperationsStores stores, string tenantId, CancellationToken cancellationToken)
    {
        var stored = await stores.Metrics.SeriesAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return DemoModeFilter.IsDemo(http) ? stored.Concat(Keelson.Sandbox.Metrics.NamespaceUsage.MetricNames) : stored;
    }

    private static async Task<IResult> Replace(HttpContext http, TenantDatabases databases, string tenant_id, string alert_name, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.AlertRules.GetAsync(tenant_id, alert_name, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return await NotFoundAsync(stores, tenant_id, alert_name, cancellationToken).ConfigureAwait(false);
        }

        var series = await KnownSeriesAsync(http, stores, tenant_id, cancellationToken).ConfigureAwait(false);
        var (rule, version, problem) = await AlertRuleInput.ReadAsync(http.Request, tenant_id, alert_name, [.. series], stored.Actions, cancellationToken).ConfigureAwait(false);
        if (rule is null)
        {
            return problem!;
        }

        try
        {
            var updated = await stores.AlertRules.ReplaceAsync(rule, version, cancellationToken).ConfigureAwait(false);
            await AuditAsync(stores, http, "alert.update", updated, null, cancellationToken).ConfigureAwait(false);
            return Results.Ok(AlertRuleResponse.From(updated));
        }
        catch (ConcurrencyException)
        {
            return Problems.Conflict($"Alert rule '{alert_name}' was changed by another request", $"Version {version} is no longer current; read the rule again and repeat the change.");
        }
        catch (RecordNotFoundException)
        {
            return await NotFoundAsync(stores, tenant_id, alert_name, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> Delete(HttpContext http, TenantDatabases databases, string tenant_id, string alert_name, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.AlertRules.GetAsync(tenant_id, alert_name, cancellationToken).ConfigureAwait(false) is not { } rule
            || !await stores.AlertRules.DeleteAsync(tenant_id, alert_name, cancellationToken).ConfigureAwait(false))
        {
            return await NotFoundAsync(stores, tenant_id, alert_name, cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync(stores, http, "alert.delete", rule, null, cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> SetEnabled(HttpContext http, TenantDatabases databases, string tenantId, string name, bool enabled, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.AlertRules.SetEnabledAsync(tenantId, name, enabled, cancellationToken).ConfigureAwait(false) is not { } rule)
        {
            return await NotFoundAsync(stores, tenantId, name, cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync(stores, http, enabled ? "alert.enable" : "alert.disable", rule, null, cancellationToken).ConfigureAwait(false);
        return Results.Ok(AlertRuleResponse.From(rule));
    }

    private static async Task<IResult> Test(HttpContext http, TenantDatabases databases, TenantNotifications notifications, TimeProvider time, string tenant_id, string alert_name, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.AlertRules.GetAsync(tenant_id, alert_name, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return await NotFoundAsync(stores, tenant_id, alert_name, cancellationToken).ConfigureAwait(false);
        }

        var rule = record.ToRule();
        var now = time.GetUtcNow();
        var labels = rule.AlertLabels(0).SetItem("test", "true");
        var annotations = rule.AlertAnnotations(0).SetItem("summary", $"Test notification for alert rule {rule.Name} of tenant {tenant_id}; no alert is firing.");
        var alert = new NotifiableAlert(tenant_id, rule.Name, labels, annotations, now, null, null, rule.Actions, NotificationPolicy.Default);
        var results = new List<TestDelivery>();
        foreach (var (action, receiver) in record.Actions.Zip(rule.Actions))
        {
            var name = ReceiverNames.Describe(receiver);
            var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var notification = new Notification(tenant_id, $"{tenant_id}/{ReceiverNames.Identity(receiver)}:test", receiver, name,
                ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("alertname", rule.Name)]), [alert], now, key);
            var attempt = await notifications.SendNowAsync(notification, cancellationToken).ConfigureAwait(false);
            results.Add(new TestDelivery(action.Type, name, attempt.Succeeded ? "delivered" : "failed", attempt.StatusCode, attempt.Error, Math.Round(attempt.Duration.TotalMilliseconds, 1)));
        }

        var delivered = results.Count > 0 && results.All(r => r.Outcome == "delivered");
        var details = new JsonObject
        {
            ["delivered"] = delivered,
            ["results"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject { ["receiver"] = r.Receiver, ["outcome"] = r.Outcome, ["status_code"] = r.StatusCode, ["error"] = r.Error })]),
        };
        await AuditAsync(stores, http, "alert.test", record, details, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new TestNotificationResponse(rule.Name, delivered, results));
    }

    private static async Task<IResult> Active(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        var rules = (await stores.AlertRules.ListAsync(tenant_id, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var active = new List<ActiveAlertResponse>();
        foreach (var a in await stores.AlertRules.ActiveAsync(tenant_id, cancellationToken).ConfigureAwait(false))
        {
            var rule = rules.TryGetValue(a.RuleName, out var record) ? record.ToRule() : null;
            // A PromQL rule's alert is one result series: its labels are the stored identity, and they are $labels for the annotations.
            var labels = a.Key.IsSeries ? a.Key.SeriesLabels
                : rule?.AlertLabels(a.State.Value) ?? ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("alertname", a.RuleName), KeyValuePair.Create("tenant", tenant_id)]);
            var annotations = rule?.AlertAnnotations(a.State.Value, a.Key.IsSeries ? labels : null) ?? ImmutableSortedDictionary<string, string>.Empty;
            active.Add(new ActiveAlertResponse(a.RuleName, AlertEventResponse.State(a.State.Phase), a.Severity, a.State.Value, a.State.ActiveAt, a.State.FiredAt, a.State.KeepFiringSince, labels, annotations));
        }

        return Results.Ok(new ActiveAlertList(active, active.Count));
    }

    private static async Task<IResult> Events(HttpContext http, TenantDatabases databases, string tenant_id, string? alert_name, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        var from = Math.Max(offset ?? 0, 0);
        var size = Math.Clamp(limit ?? 100, 1, 1000);
        var (events, total) = await stores.AlertStates.HistoryPageAsync(tenant_id, alert_name, from, size, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new AlertEventPage([.. events.Select(AlertEventResponse.Of)], total, from, size));
    }

    private static async Task<IResult> GetSettings(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        return Results.Ok(new AlertSettingsBody(PromDuration.Format(await stores.AlertRules.IntervalAsync(tenant_id, cancellationToken).ConfigureAwait(false))));
    }

    private static async Task<IResult> PutSettings(HttpContext http, TenantDatabases databases, string tenant_id, AlertSettingsBody body, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        string? error = null;
        var interval = TimeSpan.Zero;
        if (body?.EvaluationInterval is not { } text || !AlertRuleInput.TryDuration(text, out interval, out error)
            || interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromHours(1))
        {
            return AlertRuleInput.Invalid("evaluation_interval", 0,
                $"evaluation_interval must be a duration from 1s to 1h such as 15s or 1m{(body?.EvaluationInterval is null ? "" : $"; got '{body.EvaluationInterval}'")}{(error is null ? "" : $" ({error})")}");
        }

        await stores.AlertRules.SetIntervalAsync(tenant_id, interval, cancellationToken).ConfigureAwait(false);
        await TenantEndpoints.Audit(stores.Audit, http, "alert.settings", tenant_id, new JsonObject { ["evaluation_interval"] = PromDuration.Format(interval) }, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new AlertSettingsBody(PromDuration.Format(interval)));
    }

    private static async Task<IResult> NotFoundAsync(OperationsStores stores, string tenantId, string name, CancellationToken cancellationToken) =>
        await stores.Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is null
            ? Problems.NotFound(tenantId)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Alert rule '{name}' not found",
                detail: $"Tenant '{tenantId}' has no alert rule with this name; GET /api/v1/tenants/{tenantId}/alerts lists them.", type: "https://keelson.dev/problems/404");

    // The audit trail gets the rule's name and redacted receivers, never a URL.
    private static Task<Keelson.Operations.Audit.AuditEntry> AuditAsync(OperationsStores stores, HttpContext http, string action, AlertRuleRecord rule, JsonObject? details, CancellationToken cancellationToken)
    {
        details ??= [];
        details["alert_name"] = rule.Name;
        details["version"] = rule.Version;
        return TenantEndpoints.Audit(stores.Audit, http, action, rule.TenantId, details, cancellationToken);
    }
}
