using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>
/// Where the next page of a chunked list starts: the resourceVersion of the first page and the key
/// (<c>namespace/name</c>) of the last object sent. Opaque to clients: base64url of a small JSON object, as the API
/// server's tokens are; a token that does not decode is a 400.
/// </summary>
/// <param name="ResourceVersion">The first page's resourceVersion, which every page reports.</param>
/// <param name="After">The key of the last object already sent; the next page starts after it.</param>
public sealed record ContinueToken(long ResourceVersion, string After)
{
    /// <summary>The token as it goes into <c>metadata.continue</c>.</summary>
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["start"] = After }.ToJsonString()));

    /// <summary>Reads a <c>continue</c> parameter; one that is not a token this server wrote is a 400.</summary>
    public static ContinueToken Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var json = JsonNode.Parse(Base64Url.DecodeFromChars(text.TrimEnd('=')));
            if (json?["v"]?.GetValue<string>() == "meta.k8s.io/v1" && json["rv"]?.GetValue<long>() is { } version and > 0 && json["start"]?.GetValue<string>() is { Length: > 0 } after)
            {
                return new ContinueToken(version, after);
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {e.Message}");
        }

        throw ApiException.BadRequest("continue key is not valid: it is not a token from this server");
    }
}
