using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Keelson.Operations.Notifications;

/// <summary>
/// How the outbox stores a notification: the receiver (with its secrets, in its own column that is never shown) and the
/// payload — status, group labels and alerts — from which the sender renders each receiver's body at send time.
/// </summary>
public static class NotificationJson
{
    /// <summary>The receiver's kind as stored: <c>webhook</c>, <c>slack</c> or <c>email</c>.</summary>
    public static string Kind(ReceiverSpec receiver) => receiver switch
    {
        WebhookReceiver => "webhook",
        SlackReceiver => "slack",
        EmailReceiver => "email",
        _ => throw new NotSupportedException($"Receiver type {receiver?.GetType().Name} has no stored form."),
    };

    /// <summary>The receiver as JSON, URLs included: for the outbox's <c>receiver</c> column only.</summary>
    public static string Receiver(ReceiverSpec receiver)
    {
        var node = receiver switch
        {
            WebhookReceiver w => new JsonObject { ["kind"] = "webhook", ["url"] = w.Url.OriginalString, ["method"] = w.Method },
            SlackReceiver s => new JsonObject { ["kind"] = "slack", ["url"] = s.Url.OriginalString, ["channel"] = s.Channel },
            EmailReceiver e => new JsonObject { ["kind"] = "email", ["recipients"] = new JsonArray([.. e.Recipients.Select(r => (JsonNode)r)]) },
            _ => throw new NotSupportedException($"Receiver type {receiver?.GetType().Name} has no stored form."),
        };
        return node.ToJsonString();
    }

    /// <summary>Reads what <see cref="Receiver(ReceiverSpec)"/> wrote.</summary>
    public static ReceiverSpec ReadReceiver(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        return node["kind"]!.GetValue<string>() switch
        {
            "webhook" => new WebhookReceiver(new Uri(node["url"]!.GetValue<string>()), node["method"]?.GetValue<string>() ?? "POST"),
            "slack" => new SlackReceiver(new Uri(node["url"]!.GetValue<string>()), node["channel"]?.GetValue<string>()),
            "email" => new EmailReceiver([.. node["recipients"]!.AsArray().Select(r => r!.GetValue<string>())]),
            var other => throw new FormatException($"Stored receiver kind '{other}' is not known."),
        };
    }

    /// <summary>The payload column: status, group labels and the alerts with their labels, annotations, times and values.</summary>
    public static string Payload(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var node = new JsonObject
        {
            ["status"] = notification.Status,
            ["groupLabels"] = Map(notification.GroupLabels),
            ["alerts"] = new JsonArray([.. notification.Alerts.Select(a => (JsonNode)new JsonObject
            {
                ["rule"] = a.RuleName,
                ["labels"] = Map(a.Labels),
                ["annotations"] = Map(a.Annotations),
                ["startsAt"] = a.StartsAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["endsAt"] = a.EndsAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["value"] = a.Value is { } v && double.IsFinite(v) ? v : null,
            })]),
        };
        return node.ToJsonString();
    }

    /// <summary>The notification stored as <paramref name="payload"/> for <paramref name="receiver"/>.</summary>
    public static Notification ReadNotification(
        string tenantId, string groupKey, ReceiverSpec receiver, string receiverName, string payload, DateTimeOffset createdAt, string idempotencyKey)
    {
        var node = JsonNode.Parse(payload)!.AsObject();
        var alerts = node["alerts"]!.AsArray().Select(a => new NotifiableAlert(
            tenantId,
            a!["rule"]!.GetValue<string>(),
            ReadMap(a["labels"]),
            ReadMap(a["annotations"]),
            DateTimeOffset.Parse(a["startsAt"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            a["endsAt"] is { } end ? DateTimeOffset.Parse(end.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null,
            a["value"] is { } value ? value.GetValue<double>() : null,
            [receiver],
            NotificationPolicy.Default)).ToImmutableArray();
        return new Notification(tenantId, groupKey, receiver, receiverName, ReadMap(node["groupLabels"]), alerts, createdAt, idempotencyKey);
    }

    private static JsonObject Map(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new JsonObject();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            map[key] = value;
        }

        return map;
    }

    private static ImmutableSortedDictionary<string, string> ReadMap(JsonNode? node) =>
        node is JsonObject map
            ? map.ToImmutableSortedDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
            : ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
}
