using System.Globalization;
using System.Text.Json.Nodes;

namespace Keelson.Operations.Notifications;

/// <summary>Builds the bodies receivers get: Alertmanager's webhook payload (version "4") and Slack incoming-webhook JSON.</summary>
public static class Payloads
{
    // Alertmanager sends Go's zero time for alerts that have not ended.
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    /// <summary>Alertmanager's webhook payload for one notification.</summary>
    public static JsonObject Webhook(Notification notification, string externalUrl)
    {
        var alerts = notification.Alerts;
        return new JsonObject
        {
            ["receiver"] = notification.ReceiverName,
            ["status"] = notification.Status,
            ["alerts"] = new JsonArray(alerts.Select(a => (JsonNode)new JsonObject
            {
                ["status"] = a.Resolved ? "resolved" : "firing",
                ["labels"] = Map(a.Labels),
                ["annotations"] = Map(a.Annotations),
                ["startsAt"] = Time(a.StartsAt),
                ["endsAt"] = a.EndsAt is { } end ? Time(end) : ZeroTime,
                ["generatorURL"] = "",
                ["fingerprint"] = Fingerprints.Of(a.Labels),
            }).ToArray()),
            ["groupLabels"] = Map(notification.GroupLabels),
            ["commonLabels"] = Map(Common(alerts.Select(a => a.Labels))),
            ["commonAnnotations"] = Map(Common(alerts.Select(a => a.Annotations))),
            ["externalURL"] = externalUrl,
            ["version"] = "4",
            ["groupKey"] = notification.GroupKey,
            ["truncatedAlerts"] = 0,
        };
    }

    /// <summary>Slack incoming-webhook JSON: a text line plus one attachment coloured by status.</summary>
    public static JsonObject Slack(Notification notification, string? channel)
    {
        var firing = notification.Status == "firing";
        var title = $"[{notification.Status.ToUpperInvariant()}:{notification.Alerts.Count(a => a.Resolved != firing)}] "
            + string.Join(' ', notification.GroupLabels.Select(p => p.Value));
        var lines = notification.Alerts.Select(a =>
            $"{(a.Resolved ? "resolved" : "firing")}: {a.RuleName} {string.Join(", ", a.Labels.Select(p => $"{p.Key}={p.Value}"))}"
            + (a.Annotations.TryGetValue("summary", out var summary) ? $" — {summary}" : ""));
        var body = new JsonObject
        {
            ["text"] = title,
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["color"] = firing ? "danger" : "good",
                ["title"] = title,
                ["text"] = string.Join('\n', lines),
                ["fallback"] = title,
            }),
        };
        if (channel is not null)
        {
            body["channel"] = channel;
        }

        return body;
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Map(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new JsonObject();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            map[key] = value;
        }

        return map;
    }

    private static IEnumerable<KeyValuePair<string, string>> Common(IEnumerable<IReadOnlyDictionary<string, string>> sets)
    {
        var list = sets.ToList();
        if (list.Count == 0)
        {
            return [];
        }

        return list[0].Where(p => list.All(s => s.TryGetValue(p.Key, out var v) && v == p.Value));
    }
}
