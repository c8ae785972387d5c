using System.Collections.Immutable;
using Keelson.Operations.Notifications;

namespace Keelson.Operations.Alerts;

/// <summary>One of the seed's alert actions as stored: <c>webhook</c> (url, method), <c>slack</c> (url, channel) or <c>email</c> (recipients).</summary>
/// <param name="Type">webhook, slack or email.</param>
/// <param name="Url">The receiver URL; may hold a secret, so it is shown only through <see cref="AlertRuleChecks.Redact"/>.</param>
/// <param name="Method">The webhook's HTTP method (POST or PUT).</param>
/// <param name="Recipients">The e-mail addresses.</param>
/// <param name="Channel">The Slack channel override.</param>
public sealed record AlertAction(string Type, string? Url = null, string? Method = null, IReadOnlyList<string>? Recipients = null, string? Channel = null)
{
    /// <summary>The receiver the notifier sends to; throws <see cref="ArgumentException"/> for an action that is not valid.</summary>
    public ReceiverSpec ToReceiver() => AlertRuleChecks.ToReceiver(Type, Url, Method, Recipients, Channel);
}

/// <summary>A stored alert rule: the seed's fields, the switch, and the bookkeeping (version for optimistic concurrency, times).</summary>
public sealed record AlertRuleRecord
{
    /// <summary>The owning tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The seed's <c>alert_name</c>, unique per tenant.</summary>
    public required string Name { get; init; }

    /// <summary>The condition as written.</summary>
    public required string Condition { get; init; }

    /// <summary>A PromQL expression that replaces the condition in the rendered PrometheusRule.</summary>
    public string? Expr { get; init; }

    /// <summary>The seed's <c>duration</c> (Prometheus's <c>for</c>).</summary>
    public TimeSpan For { get; init; }

    /// <summary>Prometheus's <c>keep_firing_for</c>.</summary>
    public TimeSpan KeepFiringFor { get; init; }

    /// <summary>The <c>severity</c> label.</summary>
    public string Severity { get; init; } = "warning";

    /// <summary>Extra labels (templates allowed).</summary>
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Annotations (templates allowed).</summary>
    public ImmutableSortedDictionary<string, string> Annotations { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Where notifications go.</summary>
    public IReadOnlyList<AlertAction> Actions { get; init; } = [];

    /// <summary>Disabled rules are kept but not evaluated.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Starts at 1 and grows with every change; a replace carrying an older one is refused.</summary>
    public long Version { get; init; }

    /// <summary>When the rule was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the rule last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The evaluable rule: the condition parsed and the actions as receivers (both were checked when the rule was stored).</summary>
    public AlertRule ToRule() => new(TenantId, Name, Condition, ConditionParser.Parse(Condition), For, KeepFiringFor, Severity, Labels, Annotations, Enabled,
        [.. Actions.Select(a => a.ToReceiver())], Expr);
}

/// <summary>A rule with this name already exists for the tenant.</summary>
public sealed class DuplicateAlertRuleException : Exception
{
    /// <summary>Creates the exception for a tenant's rule name.</summary>
    public DuplicateAlertRuleException(string tenantId, string name)
        : base($"Tenant '{tenantId}' already has an alert rule named '{name}'.")
    {
        TenantId = tenantId;
        Name = name;
    }

    /// <summary>Creates the exception.</summary>
    public DuplicateAlertRuleException()
    {
        TenantId = string.Empty;
        Name = string.Empty;
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public DuplicateAlertRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
        TenantId = string.Empty;
        Name = string.Empty;
    }

    /// <summary>The tenant.</summary>
    public string TenantId { get; }

    /// <summary>The name that is taken.</summary>
    public string Name { get; }
}

/// <summary>A pending or firing alert as stored, with its rule's severity: what <c>/alerts/active</c> and the <c>ALERTS</c> series show.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="RuleName">The rule.</param>
/// <param name="Severity">The rule's severity (empty when the rule is gone).</param>
/// <param name="State">The stored state.</param>
/// <param name="Series">A PromQL rule's series key (<see cref="AlertKey.Series"/>); empty for a condition rule's alert.</param>
public sealed record ActiveAlertState(string TenantId, string RuleName, string Severity, AlertState State, string Series = "")
{
    /// <summary>The state's key.</summary>
    public AlertKey Key => new(RuleName, Series);
}

/// <summary>The outcome of asking for a tenant's evaluation lease: whether this replica holds it, the interval, and the last evaluation.</summary>
public sealed record AlertEvaluationLease(bool Held, TimeSpan Interval, DateTimeOffset? EvaluatedAt);
