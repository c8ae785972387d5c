using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Spec.Parsing;
using Microsoft.Net.Http.Headers;

namespace Keelson.Server.Http;

/// <summary>
/// Reads request bodies the same strict way everywhere: a declared content type, well-formed UTF-8, no duplicate
/// object keys at any depth and Keelson's nesting limit. What fails is a 4xx problem, before anything is stored.
/// </summary>
public static class JsonBody
{
    /// <summary>The document options of every JSON body: Keelson's depth limit, and a repeated key is an error rather than "last one wins".</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = NestingLimit.MaxDepth, AllowDuplicateProperties = false };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body's text, or the problem: 415 without a content type, 413 over the size limit, 400 when it is not UTF-8.</summary>
    public static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out _))
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body has no content type",
                detail: "Send Content-Type: application/json (or application/yaml where a stack document is accepted).",
                type: "https://keelson.dev/problems/415"));
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
            // Kestrel's body size limit: the same answer the framework's own binding gives, as a problem document.
            return (null, TypedResults.Problem(statusCode: e.StatusCode, title: "The body could not be read", detail: e.Message, type: $"https://keelson.dev/problems/{e.StatusCode}"));
        }

        try
        {
            return (StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException e)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not UTF-8",
                detail: string.Create(CultureInfo.InvariantCulture, $"byte {e.Index + 1} is not part of a valid UTF-8 sequence; send the body as UTF-8."),
                type: "https://keelson.dev/problems/400"));
        }
    }

    /// <summary>Parses JSON text strictly: the node, or a 400 problem naming line and byte.</summary>
    public static (JsonNode? Node, IResult? Problem) Parse(string text, string hint)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return (JsonNode.Parse(text, documentOptions: DocumentOptions), null);
        }
        catch (JsonException e)
        {
            return (null, NotJson(e, hint));
        }
    }

    /// <summary>As <see cref="Parse"/>, for code that reads a <see cref="JsonDocument"/>: the document, or null and the 400 problem.</summary>
    public static JsonDocument? ParseDocument(string text, out IResult? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            problem = null;
            return JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException e)
        {
            problem = NotJson(e, "");
            return null;
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotJson(JsonException e, string hint) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not JSON",
            detail: string.Create(CultureInfo.InvariantCulture, $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message} {hint}").TrimEnd(),
            type: "https://keelson.dev/problems/400");

    /// <summary>The body read strictly and parsed as a <see cref="JsonDocument"/> (the caller disposes it), or the 4xx problem.</summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadDocumentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (text, unreadable) = await ReadTextAsync(request, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return (null, unreadable);
        }

        var document = ParseDocument(text, out var invalid);
        return (document, invalid);
    }

    /// <summary>A body that must be one JSON object: the object, or the 4xx problem.</summary>
    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (text, problem) = await ReadTextAsync(request, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return (null, problem);
        }

        var (node, invalid) = Parse(text, "");
        return node switch
        {
            JsonObject body => (body, null),
            null when invalid is not null => (null, invalid),
            _ => (null, Results.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["must be a JSON object"] }, statusCode: StatusCodes.Status422UnprocessableEntity)),
        };
    }
}
