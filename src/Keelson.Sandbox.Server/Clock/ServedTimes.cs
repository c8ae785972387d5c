using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Sandbox.Server.Resources;

namespace Keelson.Sandbox.Server.Clock;

/// <summary>
/// Rewrites the times in a JSON body through a map (virtual → wall on the way out, wall → virtual on the way in),
/// finding them by the models' types: an object by its apiVersion and kind, list items, Table rows, watch events;
/// objects of kinds without a model (custom resources) have only their metadata's times mapped. Each time keeps
/// its written precision (seconds for a Time, microseconds for a MicroTime), rounded down.
/// </summary>
internal static class ServedTimes
{
    /// <summary>
    /// Maps the times of a response or request body in place through <paramref name="map"/>, each rounded down to its
    /// written precision; <paramref name="type"/> names the model of a body whose kind does not (a patch, a metrics list).
    /// </summary>
    public static void Rewrite(JsonNode? body, Func<DateTime, DateTime> map, Type? type = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        Apply(body, (time, unit) => Floor(map(time).Ticks, unit), type);
    }

    /// <summary>
    /// Maps a client's wall-clock times back to the sandbox times they stand for: the latest served at or before
    /// each, kept at the written precision (rounded up when that still serves the same time), so that reading the
    /// object back gives the time as written.
    /// </summary>
    public static void FromWall(JsonNode? body, WallTimeMap map, Type? type = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        Apply(body, (time, unit) =>
        {
            var exact = map.ToVirtual(time.Ticks);
            var up = Floor(exact + unit - 1, unit);
            return Floor(map.ToWall(up), unit) == Floor(time.Ticks, unit) ? up : Floor(exact, unit);
        }, type);
    }

    private static void Apply(JsonNode? body, Func<DateTime, long, long> map, Type? type)
    {
        if (body is not JsonObject json)
        {
            return;
        }

        var kind = Text(json["kind"]);
        var apiVersion = Text(json["apiVersion"]) ?? "";
        if (kind == "Table" && json["rows"] is JsonArray rows)
        {
            foreach (var row in rows)
            {
                Apply(row?["object"], map, null);
            }

            return;
        }

        if (kind is null && Text(json["type"]) is not null && json["object"] is JsonObject watched)
        {
            // A watch event.
            Apply(watched, map, null);
            return;
        }

        var known = kind is null ? null : ModelOf(apiVersion, kind);
        if (known is null && type is not null)
        {
            // A body of a kind the catalogue does not serve (metrics), or without a kind (a patch): its model says.
            Walk(json, TimeFields.Of(type), map);
            return;
        }

        if (kind is { Length: > 4 } && kind.EndsWith("List", StringComparison.Ordinal) && json["items"] is JsonArray items)
        {
            var itemType = ModelOf(apiVersion, kind[..^4]);
            foreach (var item in items)
            {
                Apply(item, map, item?["kind"] is null ? itemType : null);
            }

            return;
        }

        if (known is not null)
        {
            Walk(json, TimeFields.Of(known), map);
        }
        else if (json["metadata"] is JsonObject metadata)
        {
            // A kind without a model (PartialObjectMetadata, a custom resource): its metadata is still ObjectMeta.
            Walk(metadata, TimeFields.Of(typeof(V1ObjectMeta)), map);
        }
    }

    // A time as written, mapped (given its precision in ticks), in the same form; null when it is not a time.
    private static string? Map(string text, Func<DateTime, long, long> map)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return null;
        }

        var digits = FractionDigits(text);
        var unit = (long)Math.Pow(10, 7 - digits);
        var mapped = map(time.UtcDateTime, unit);
        var format = digits == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss." + new string('f', digits) + "'Z'";
        return new DateTime(mapped, DateTimeKind.Utc).ToString(format, CultureInfo.InvariantCulture);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static Type? ModelOf(string apiVersion, string kind) =>
        Delivery.Clusters.KubeObjects.TypeOf(apiVersion, kind) ?? ResourceCatalog.OfKind(apiVersion, kind)?.ModelType;

    private static long Floor(long ticks, long unit) => ticks - (((ticks % unit) + unit) % unit);

    private static void Walk(JsonObject json, TimeFields fields, Func<DateTime, long, long> map)
    {
        foreach (var name in fields.Times)
        {
            if (Text(json[name]) is { } text && Map(text, map) is { } mapped)
            {
                json[name] = mapped;
            }
        }

        foreach (var (name, type) in fields.Nested)
        {
            switch (json[name])
            {
                case JsonObject child:
                    Walk(child, TimeFields.Of(type), map);
                    break;
                case JsonArray list:
                    foreach (var element in list.OfType<JsonObject>())
                    {
                        Walk(element, TimeFields.Of(type), map);
                    }

                    break;
            }
        }
    }

    // The digits after the seconds, at most 7 (a tick).
    private static int FractionDigits(string text)
    {
        var t = text.IndexOf('T', StringComparison.Ordinal);
        var dot = t < 0 ? -1 : text.IndexOf('.', t);
        if (dot < 0)
        {
            return 0;
        }

        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        return Math.Min(end - dot - 1, 7);
    }
}
