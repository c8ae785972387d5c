using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Fields;

/// <summary>
/// What an object's field set depends on, as a string: its field names, the items of its lists with the values of
/// their key fields (and the items of scalar lists), and which values are absent or empty, with every other value left
/// out. Two objects of one shape have the same field set, so a write whose shape did not change needs no field set
/// worked out again (the components' frequent writes, <see cref="ComponentWrites"/>).
/// </summary>
public static class FieldShape
{
    /// <summary>The shape of <paramref name="node"/>.</summary>
    public static string Of(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, null, text);
        return text.ToString();
    }

    private static void Write(JsonNode? node, string? name, StringBuilder text)
    {
        switch (node)
        {
            case JsonObject o:
                text.Append('{');
                foreach (var (key, value) in o)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    text.Append(key.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(key);
                    Write(value, key, text);
                }

                text.Append('}');
                break;
            case JsonArray a:
                text.Append('[');
                foreach (var item in a)
                {
                    if (item is JsonObject or JsonArray)
                    {
                        Write(item, null, text);
                    }
                    else
                    {
                        // A scalar item is its own key in a set list.
                        text.Append(item?.ToJsonString() ?? "null").Append(',');
                    }
                }

                text.Append(']');
                break;
            default:
                text.Append(name is not null && FieldSchema.KeyFields.Contains(name) ? node!.ToJsonString() : "·").Append(',');
                break;
        }
    }
}
