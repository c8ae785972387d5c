using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keelson.Operations.Alerts;

namespace Keelson.Server.Api;

/// <summary>The seed's alert request: <c>{"alert_name", "condition", "duration", "actions": [...]}</c>, plus Prometheus's extras.</summary>
public sealed record AlertRuleRequest(
    string? AlertName,
    string? Condition,
    string? Expr,
    string? Duration,
    string? KeepFiringFor,
    string? Severity,
    Dictionary<string, string>? Labels,
    Dictionary<string, string>? Annotations,
    List<AlertActionRequest>? Actions,
    bool? Enabled,
    long? Version);

/// <summary>
/// One of the request's actions: <c>{"type": "webhook", "url", "method"}</c>, <c>{"type": "slack", "url", "channel"}</c> or
/// <c>{"type": "email", "recipients"}</c>; on a replace, <c>keep_url_of</c> names the stored action (by its position in the
/// rule as read) whose URL this one keeps, which the redacted URL alone cannot when two receivers share a host.
/// </summary>
public sealed record AlertActionRequest(string? Type, string? Url, string? Method, List<string>? Recipients, string? Channel, int? KeepUrlOf = null);

/// <summary>Reads and checks an alert request into a rule record, or a 4xx problem naming the field (and the column within a condition).</summary>
public static partial class AlertRuleInput
{
    /// <summary>Metric names a rule may use before any sample of them was pushed: the seed's example metrics.</summary>
    public static readonly ImmutableArray<string> WellKnownMetrics = ["cpu_usage", "memory_usage", "gpu_usage", "request_count", "response_time"];

    /// <summary>Words a rule may not be called, as they are routes under <c>/alerts/</c>.</summary>
    public static readonly ImmutableArray<string> ReservedNames = ["active", "events"];

    private static readonly ImmutableArray<string> ReservedLabels = ["alertname", "alertstate", "tenant", "severity"];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>
    /// The rule a request body describes for <paramref name="tenantId"/>; <paramref name="pathName"/> is the name in the path of a
    /// replace and <paramref name="stored"/> the actions of the rule it replaces (URLs sent back redacted keep theirs).
    /// </summary>
    public static async Task<(AlertRuleRecord? Rule, long? Version, IResult? Problem)> ReadAsync(
        HttpRequest request, string tenantId, string? pathName, IReadOnlyCollection<string> storedSeries, IReadOnlyList<AlertAction>? stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The same strict reading as every other body (415 without a content type, 413, UTF-8, no repeated keys),
        // then the typed reading that names an unknown or mistyped field.
        var (read, unreadable) = await Http.JsonBody.ReadDocumentAsync(request, cancellationToken).ConfigureAwait(false);
        using var document = read;
        if (document is null)
        {
            return (null, null, unreadable);
        }

        AlertRuleRequest? body;
        try
        {
            body = document.Deserialize<AlertRuleRequest>(Json);
        }
        catch (JsonException e)
        {
            // The exception message can quote the body; only the path and position are reported.
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.TrimStart('$', '.');
            return (null, null, Invalid(field, 0, $"{field}: not valid here (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); expected the seed's {{\"alert_name\", \"condition\", \"duration\", \"actions\"}} with string durations and a list of actions"));
        }

        if (body is null)
        {
            return (null, null, Invalid("$", 0, "the body must be a JSON object"));
        }

        var (rule, problem) = Check(body, tenantId, pathName, storedSeries, stored);
        return (rule, body.Version, problem);
    }

    /// <summary>Checks a parsed request; every field is checked before anything is stored.</summary>
    public static (AlertRuleRecord? Rule, IResult? Problem) Check(AlertRuleRequest body, string tenantId, string? pathName, IReadOnlyCollection<string> storedSeries, IReadOnlyList<AlertAction>? stored)
    {
        ArgumentNullException.ThrowIfNull(body);
        var name = body.AlertName ?? pathName;
        if (string.IsNullOrEmpty(name) || !Name().IsMatch(name))
        {
            return Fail("alert_name", 0, $"alert_name is required: 1–128 characters from letters, digits, '_', '-', '.', ':', starting with a letter or digit; got {(name is null ? "nothing" : $"'{Shorten(name)}'")}");
        }

        if (ReservedNames.Contains(name))
        {
            return Fail("alert_name", 0, $"'{name}' is reserved (GET /alerts/{name} is a route); choose another alert_name");
        }

        if (pathName is not null && name != pathName)
        {
            return Fail("alert_name", 0, $"'{Shorten(name)}' does not match the alert in the path, '{pathName}'; rules are renamed by creating a new one and deleting the old");
        }

        if (string.IsNullOrWhiteSpace(body.Condition))
        {
            return Fail("condition", 0, "condition is required, e.g. \"cpu_usage > 80\" or \"avg(cpu_usage[5m]) > 80\"");
        }

        Condition condition;
        try
        {
            condition = ConditionParser.Parse(body.Condition);
        }
        catch (ConditionSyntaxException e)
        {
            return Fail("condition", e.Column, $"condition, column {e.Column}: expected {e.Expected}");
        }

        if (AlertRuleChecks.UnknownMetric(condition, storedSeries.Concat(WellKnownMetrics)) is { } unknown)
        {
            return Fail("condition", unknown.Column, $"condition, {unknown.Detail}. Push a sample of it first (POST /tenants/{{tenant_id}}/monitoring)");
        }

        var holdFor = TimeSpan.Zero;
        if (body.Duration is not null && !TryDuration(body.Duration, out holdFor, out var durationError))
        {
            return Fail("duration", 0, $"duration '{Shorten(body.Duration)}' is not valid: expected {durationError}");
        }

        var keepFiringFor = TimeSpan.Zero;
        if (body.KeepFiringFor is not null && !TryDuration(body.KeepFiringFor, out keepFiringFor, out var keepError))
        {
            return Fail("keep_firing_for", 0, $"keep_firing_for '{Shorten(body.KeepFiringFor)}' is not valid: expected {keepError}");
        }

        if (body.Expr is { } expr && (string.IsNullOrWhiteSpace(expr) || expr.Length > 4096))
        {
            return Fail("expr", 0, "expr must be a non-empty PromQL expression of at most 4096 characters");
        }

        var severity = body.Severity ?? "warning";
        if (!LabelValue().IsMatch(severity))
        {
            return Fail("severity", 0, "severity must be 1–64 characters from letters, digits, '_' and '-', e.g. critical, warning, info");
        }

        foreach (var (field, map) in new[] { ("labels", body.Labels), ("annotations", body.Annotations) })
        {
            foreach (var (key, template) in map ?? [])
            {
                if (!LabelName().IsMatch(key))
                {
                    return Fail($"{field}.{Shorten(key)}", 0, $"{field}: '{Shorten(key)}' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
                }

                if (field == "labels" && ReservedLabels.Contains(key))
                {
                    return Fail($"labels.{key}", 0, $"labels.{key} is set by Keelson; use alert_name, severity or the tenant in the path instead");
                }

                var templateError = template is null ? "must be a string" : AlertTemplate.Validate(template);
                if (templateError is not null)
                {
                    return Fail($"{field}.{key}", 0, $"{field}.{key}: {templateError}");
                }
            }
        }

        var (resolved, urlProblem) = ResolveUrls(body.Actions ?? [], stored);
        if (urlProblem is not null)
        {
            return (null, urlProblem);
        }

        var actions = new List<AlertAction>();
        for (var i = 0; i < resolved.Count; i++)
        {
            var action = resolved[i];
            try
            {
                action.ToReceiver();
            }
            catch (ArgumentException e)
            {
                // The checks' messages never quote the URL.
                return Fail($"actions[{i}]", 0, $"actions[{i}]: {e.Message}");
            }

            actions.Add(action with { Method = action.Type == "webhook" ? (action.Method ?? "POST").ToUpperInvariant() : null });
        }

        return (new AlertRuleRecord
        {
            TenantId = tenantId,
            Name = name,
            Condition = body.Condition,
            Expr = body.Expr,
            For = holdFor,
            KeepFiringFor = keepFiringFor,
            Severity = severity,
            Labels = (body.Labels ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
            Annotations = (body.Annotations ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
            Actions = actions,
            Enabled = body.Enabled ?? true,
        }, null);
    }

    /// <summary>A Prometheus duration (<c>5m</c>, <c>1h30m</c>, <c>0s</c>); negative and unit-less values are refused.</summary>
    public static bool TryDuration(string text, out TimeSpan duration, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        if (text == "0")
        {
            duration = TimeSpan.Zero;
            return true;
        }

        duration = PromDuration.TryParse(text, out error) ?? TimeSpan.Zero;
        return error is null;
    }

    /// <summary>A 422 problem for one field, with the column (1-based) within it when the problem has one.</summary>
    public static IResult Invalid(string field, int column, string detail)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["field"] = field,
            ["errors"] = new Dictionary<string, string[]> { [field] = [detail] },
        };
        if (column > 0)
        {
            extensions["column"] = column;
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The alert rule is not valid; nothing was stored",
            detail: detail, type: "https://keelson.dev/problems/invalid-alert-rule", extensions: extensions);
    }

    // A client edits a rule without ever seeing its receivers' secrets: a URL sent back as the API showed it (redacted,
    // https://host/…) keeps the stored URL of that type with the same redacted form, the one at the same position first,
    // and keep_url_of names the stored action outright.
    private static (IReadOnlyList<AlertAction> Actions, IResult? Problem) ResolveUrls(List<AlertActionRequest> requested, IReadOnlyList<AlertAction>? stored)
    {
        var actions = requested.Select(a => new AlertAction(a?.Type ?? "", a?.Url, a?.Method, a?.Recipients, a?.Channel)).ToArray();
        var used = new HashSet<int>();
        for (var i = 0; i < requested.Count; i++)
        {
            if (requested[i]?.KeepUrlOf is not { } from)
            {
                continue;
            }

            var field = $"actions[{i}].keep_url_of";
            if (stored is null)
            {
                return ([], Invalid(field, 0, $"{field}: only a replace (PUT) keeps a stored URL; a new rule needs its url"));
            }

            if (from < 0 || from >= stored.Count || stored[from].Type != actions[i].Type || stored[from].Url is null || !used.Add(from))
            {
                return ([], Invalid(field, 0, $"{field}: {from} is not the position of a stored {actions[i].Type} action with a URL that no other action keeps (0–{stored.Count - 1}, in the order GET lists them)"));
            }

            if (actions[i].Url is { } sent && sent != AlertActionResponse.Redact(stored[from].Url))
            {
                return ([], Invalid(field, 0, $"{field}: give either a new url or keep_url_of, not both"));
            }

            actions[i] = actions[i] with { Url = stored[from].Url };
        }

        for (var i = 0; i < actions.Length && stored is not null; i++)
        {
            var action = actions[i];
            if (requested[i]?.KeepUrlOf is not null || action.Url is null)
            {
                continue;
            }

            bool Same(int j) => !used.Contains(j) && stored[j].Type == action.Type && stored[j].Url is not null && AlertActionResponse.Redact(stored[j].Url) == action.Url;
            var match = i < stored.Count && Same(i) ? i : Enumerable.Range(0, stored.Count).FirstOrDefault(Same, -1);
            if (match >= 0)
            {
                used.Add(match);
                actions[i] = action with { Url = stored[match].Url };
            }
        }

        return (actions, null);
    }

    private static (AlertRuleRecord?, IResult?) Fail(string field, int column, string detail) => (null, Invalid(field, column, detail));

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();
}
