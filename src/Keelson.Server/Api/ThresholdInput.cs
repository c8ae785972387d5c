using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Thresholds;
using Keelson.Server.Alerts;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>
/// The ECP-AI UI's threshold body: <c>{name, description, category, thresholds: {cpu: {warning, critical}, …},
/// notifications_enabled, email_enabled, sms_enabled, slack_enabled, is_default}</c>, checked field by field.
/// </summary>
public static class ThresholdInput
{
    private static readonly string[] Fields = ["name", "description", "category", "thresholds", "notifications_enabled", "email_enabled", "sms_enabled", "slack_enabled", "is_default"];

    /// <summary>The setting the body describes (with <paramref name="settingId"/> and <paramref name="tenantId"/>), or the 4xx problem naming the field.</summary>
    public static async Task<(ThresholdSetting? Setting, IResult? Problem)> ReadAsync(HttpRequest request, string settingId, string? tenantId, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, problem);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, _) in body)
        {
            if (!Fields.Contains(key))
            {
                errors[key] = [$"'{key}' is not a field of a threshold setting; allowed: {string.Join(", ", Fields)}"];
            }
        }

        var name = Text(body, "name", 200, required: true, errors);
        var description = Text(body, "description", 2000, required: false, errors);
        var category = Text(body, "category", 100, required: false, errors) ?? "monitoring";
        var thresholds = Levels(body["thresholds"], errors);
        var setting = new ThresholdSetting
        {
            SettingId = settingId,
            TenantId = tenantId,
            Name = name ?? "",
            Description = description,
            Category = category,
            Thresholds = thresholds,
            NotificationsEnabled = Flag(body, "notifications_enabled", true, errors),
            EmailEnabled = Flag(body, "email_enabled", false, errors),
            SmsEnabled = Flag(body, "sms_enabled", false, errors),
            SlackEnabled = Flag(body, "slack_enabled", false, errors),
            IsDefault = Flag(body, "is_default", false, errors),
        };
        return errors.Count > 0
            ? (null, Results.ValidationProblem(errors, title: "The threshold setting is not valid; nothing was stored", statusCode: StatusCodes.Status422UnprocessableEntity))
            : (setting, null);
    }

    /// <summary>Checks a <c>thresholds</c> object: known metrics only, each <c>{warning, critical}</c> numbers within the metric's range, warning ≤ critical.</summary>
    public static ImmutableSortedDictionary<string, ThresholdLevel> Levels(JsonNode? node, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var levels = ImmutableSortedDictionary.CreateBuilder<string, ThresholdLevel>(StringComparer.Ordinal);
        if (node is not JsonObject metrics || metrics.Count == 0)
        {
            errors["thresholds"] = [$"thresholds is required: an object of {string.Join(", ", ThresholdCatalog.Metrics.Keys)}, each {{\"warning\": number, \"critical\": number}}"];
            return levels.ToImmutable();
        }

        foreach (var (key, value) in metrics)
        {
            var path = $"thresholds.{key}";
            if (!ThresholdCatalog.Metrics.TryGetValue(key, out var metric))
            {
                errors[path] = [$"'{key}' is not a threshold metric; allowed: {string.Join(", ", ThresholdCatalog.Metrics.Keys)}"];
                continue;
            }

            if (value is not JsonObject pair)
            {
                errors[path] = ["must be an object {\"warning\": number, \"critical\": number}"];
                continue;
            }

            foreach (var (field, _) in pair)
            {
                if (field is not ("warning" or "critical"))
                {
                    errors[$"{path}.{field}"] = ["only warning and critical are allowed"];
                }
            }

            var warning = Level(pair, path, "warning", metric, errors);
            var critical = Level(pair, path, "critical", metric, errors);
            if (warning is { } w && critical is { } c)
            {
                if (w > c)
                {
                    errors[$"{path}.warning"] = [$"the warning level ({w}) must not be above the critical level ({c})"];
                }
                else
                {
                    levels[key] = new ThresholdLevel(w, c);
                }
            }
        }

        return levels.ToImmutable();
    }

    private static double? Level(JsonObject pair, string path, string field, ThresholdCatalog.Metric metric, Dictionary<string, string[]> errors)
    {
        var node = pair[field];
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) && number >= 0 && number <= metric.Max)
        {
            return number;
        }

        errors[$"{path}.{field}"] = [$"{field} is required: a number from 0 to {metric.Max} ({metric.Unit}){(node is null ? "" : $"; got {node.ToJsonString()}")}"];
        return null;
    }

    private static string? Text(JsonObject body, string field, int max, bool required, Dictionary<string, string[]> errors)
    {
        var node = body[field];
        if (node is null)
        {
            if (required)
            {
                errors[field] = [$"{field} is required: text of 1–{max} characters"];
            }

            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { } text
            && text.Length <= max && (text.Length > 0 || !required) && !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return text;
        }

        errors[field] = [$"{field} must be text of {(required ? 1 : 0)}–{max} characters without control characters other than line breaks and tabs"];
        return null;
    }

    private static bool Flag(JsonObject body, string field, bool fallback, Dictionary<string, string[]> errors)
    {
        var node = body[field];
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }

        errors[field] = [$"{field} must be true or false; got {node.ToJsonString()}"];
        return fallback;
    }
}
