using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace Keelson.Sandbox.Server.Protobuf;

/// <summary>Reads <c>application/vnd.kubernetes.protobuf</c> request bodies into the JSON object the JSON path reads.</summary>
internal static class ProtobufBodies
{
    // The API server's own limit on a request body.
    private const int MaxBodyBytes = 3 * 1024 * 1024;

    /// <summary>Whether a media type (without parameters) is the Kubernetes protobuf one.</summary>
    public static bool IsProtobuf(string mediaType) => string.Equals(mediaType, KubernetesProtobuf.MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The body as Kubernetes JSON; a malformed body is a 400, a type without a schema a 415 naming it.</summary>
    public static async Task<JsonObject> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new ApiException(StatusCodes.Status413RequestEntityTooLarge, "RequestEntityTooLarge", $"the request body is larger than {MaxBodyBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return KubernetesProtobuf.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (UnknownKubernetesTypeException e)
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", $"the protobuf body could not be decoded: {e.Message}");
        }
        catch (KubernetesProtobufFormatException e)
        {
            throw ApiException.BadRequest($"the protobuf body could not be decoded: {e.Message}");
        }
    }
}
