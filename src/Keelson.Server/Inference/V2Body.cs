using System.Globalization;
using System.Text.Json;
using Keelson.Server.Http;

namespace Keelson.Server.Inference;

/// <summary>
/// Reads an inference request body: JSON alone, or — with <c>Inference-Header-Content-Length</c> (the binary tensor
/// data extension) — that many bytes of JSON followed by the binary tensor data.
/// </summary>
public static class V2Body
{
    /// <summary>The header giving the length of the JSON before the binary tensor data, in requests and responses.</summary>
    public const string HeaderLength = "Inference-Header-Content-Length";

    /// <summary>The JSON document and the binary data after it (null without the header), or the problem.</summary>
    public static async Task<(JsonDocument? Document, ReadOnlyMemory<byte>? Binary, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(HeaderLength, out var header))
        {
            var (text, problem) = await JsonBody.ReadTextAsync(request, cancellationToken).ConfigureAwait(false);
            if (text is null)
            {
                return (null, null, problem);
            }

            var document = JsonBody.ParseDocument(text, out var notJson);
            return (document, null, notJson);
        }

        if (!int.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return (null, null, InferenceEndpoints.Error(400, "The inference request is not valid", $"{HeaderLength}: '{header}' is not a number of bytes"));
        }

        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            return (null, null, InferenceEndpoints.Error(e.StatusCode, "The body could not be read", e.Message));
        }

        if (length > bytes.Length)
        {
            return (null, null, InferenceEndpoints.Error(400, "The inference request is not valid",
                string.Create(CultureInfo.InvariantCulture, $"{HeaderLength}: {length} bytes of JSON, but the body has only {bytes.Length}")));
        }

        try
        {
            return (JsonDocument.Parse(bytes.AsMemory(0, length), JsonBody.DocumentOptions), bytes.AsMemory(length), null);
        }
        catch (JsonException e)
        {
            return (null, null, InferenceEndpoints.Error(400, "The inference request is not valid",
                string.Create(CultureInfo.InvariantCulture, $"the first {length} bytes ({HeaderLength}) are not a JSON object: {e.Message}")));
        }
    }
}
