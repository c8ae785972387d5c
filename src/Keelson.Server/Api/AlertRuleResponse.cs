using System.Collections.Immutable;
using Keelson.Operations.Alerts;

namespace Keelson.Server.Api;

/// <summary>An alert rule as the API shows it: the seed's fields, with every receiver URL reduced to scheme and host.</summary>
public sealed record AlertRuleResponse(
    string TenantId,
    string AlertName,
    string Condition,
    string? Expr,
    string Promql,
    string Duration,
    string KeepFiringFor,
    string Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<AlertActionResponse> Actions,
    bool Enabled,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The response for a stored rule.</summary>
    public static AlertRuleResponse From(AlertRuleRecord rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new AlertRuleResponse(rule.TenantId, rule.Name, rule.Condition, rule.Expr, rule.Expr ?? ConditionParser.Parse(rule.Condition).ToPromQL(),
            PromDuration.Format(rule.For), PromDuration.Format(rule.KeepFiringFor), rule.Severity, rule.Labels, rule.Annotations,
            [.. rule.Actions.Select(AlertActionResponse.From)], rule.Enabled, rule.Version, rule.CreatedAt, rule.UpdatedAt);
    }
}

/// <summary>An action as shown: the URL redacted (it may carry a token in its userinfo, query or path, as Slack's do).</summary>
public sealed record AlertActionResponse(string Type, string? Url, string? Method, IReadOnlyList<string>? Recipients, string? Channel)
{
    /// <summary>The redacted view of a stored action.</summary>
    public static AlertActionResponse From(AlertAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new AlertActionResponse(action.Type, Redact(action.Url), action.Method, action.Recipients, action.Channel);
    }

    /// <summary>Scheme, host and port only (<see cref="AlertRuleChecks.Redact"/>); null stays null.</summary>
    public static string? Redact(string? url) =>
        url is null ? null : Uri.TryCreate(url, UriKind.Absolute, out var uri) ? AlertRuleChecks.Redact(uri) : "…";
}

/// <summary>A pending or firing alert of the tenant.</summary>
public sealed record ActiveAlertResponse(
    string AlertName,
    string State,
    string Severity,
    double Value,
    DateTimeOffset ActiveAt,
    DateTimeOffset? FiredAt,
    DateTimeOffset? KeepFiringSince,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations);

/// <summary>One transition of the tenant's alerts: when, from and to which state, the value and the labels.</summary>
public sealed record AlertEventResponse(string AlertName, DateTimeOffset At, string From, string To, double Value, ImmutableSortedDictionary<string, string> Labels)
{
    /// <summary>The response for a stored transition.</summary>
    public static AlertEventResponse Of(AlertTransition t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new AlertEventResponse(t.RuleName, t.At, State(t.From), State(t.To), t.Value, t.Labels);
    }

    /// <summary>Prometheus's words for the states: inactive, pending, firing.</summary>
    public static string State(AlertPhase phase) => phase.ToString().ToLowerInvariant();
}

/// <summary>The outcome of <c>POST /alerts/{name}/test</c> for one action.</summary>
public sealed record TestDelivery(string Type, string Receiver, string Outcome, int? StatusCode, string? Error, double? DurationMs);

/// <summary>The answer of <c>POST /alerts/{name}/test</c>: delivered when every action's receiver accepted the notification.</summary>
public sealed record TestNotificationResponse(string AlertName, bool Delivered, IReadOnlyList<TestDelivery> Results);
