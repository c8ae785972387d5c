using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Clock;
using Keelson.Sandbox.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Keelson.Sandbox.Server.Protobuf;

/// <summary>
/// A response body that leaves as JSON unless the client accepts nothing but protobuf (client-go's
/// <c>AcceptContentTypes</c> set to protobuf alone); then it leaves as protobuf, or as a 406 when its kind has no schema.
/// Either way its times leave mapped to the wall clock (<see cref="ServedClock"/>): the one place responses are written.
/// </summary>
internal sealed class NegotiatedResult(JsonNode body, int statusCode, Type? model = null) : IResult
{
    /// <summary>The JSON body.</summary>
    public JsonNode Body { get; } = body;

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; } = statusCode;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.RequestServices.GetService<ServedClock>()?.Map is { IsIdentity: false } map)
        {
            ServedTimes.Rewrite(Body, map.ToWall, model);
        }

        if (!OnlyProtobufAccepted(httpContext.Request) || Body is not JsonObject json || !json.ContainsKey("kind"))
        {
            // Bodies without a kind (/version, OpenAPI) are not API objects and have no protobuf form.
            return Results.Text(Body.ToJsonString(), "application/json", Encoding.UTF8, StatusCode).ExecuteAsync(httpContext);
        }

        byte[] bytes;
        var code = StatusCode;
        try
        {
            bytes = KubernetesProtobuf.Encode(json);
        }
        catch (Exception e) when (e is UnknownKubernetesTypeException or KubernetesProtobufFormatException)
        {
            code = StatusCodes.Status406NotAcceptable;
            bytes = KubernetesProtobuf.Encode(ApiException.Status("Failure", code, "NotAcceptable",
                $"only the following media types are accepted for this object: application/json ({e.Message})", null));
        }

        return Results.Bytes(bytes, KubernetesProtobuf.MediaType).ExecuteAsync(WithStatus(httpContext, code));
    }

    private static HttpContext WithStatus(HttpContext context, int code)
    {
        context.Response.StatusCode = code;
        return context;
    }

    /// <summary>Whether every media type the Accept header lists is protobuf (an absent header or a wildcard accepts JSON).</summary>
    public static bool OnlyProtobufAccepted(HttpRequest request)
    {
        var types = request.Headers.Accept.SelectMany(h => (h ?? "").Split(',')).Select(t => t.Split(';')[0].Trim()).Where(t => t.Length > 0).ToList();
        return types.Count > 0 && types.All(ProtobufBodies.IsProtobuf);
    }
}
