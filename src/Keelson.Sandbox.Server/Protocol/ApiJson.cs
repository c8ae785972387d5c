using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Rendering.Output;
using Keelson.Sandbox.Server.Clock;
using Keelson.Sandbox.Server.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>JSON in and out of the facade, always through KubernetesClient's serializer options.</summary>
internal static class ApiJson
{
    /// <summary>A model as a JSON tree; a stored object also gets the apiVersion and kind of its resource.</summary>
    public static JsonNode ToNode(object model) => JsonSerializer.SerializeToNode(model, model.GetType(), ManifestYaml.JsonOptions)!;

    /// <summary>A stored object as a JSON tree that names its apiVersion and kind, as list items and watch events must.</summary>
    public static JsonObject ToNode(IKubernetesObject<V1ObjectMeta> resource, string apiVersion, string kind)
    {
        var node = ToNode((object)resource).AsObject();
        node["apiVersion"] ??= apiVersion;
        node["kind"] ??= kind;
        MicroTimes.Format(node, kind);
        return node;
    }

    /// <summary>A JSON tree as the model <paramref name="type"/>; unreadable bodies are a 400.</summary>
    public static IKubernetesObject<V1ObjectMeta> ToModel(JsonNode node, Type type)
    {
        try
        {
            return (IKubernetesObject<V1ObjectMeta>)(node.Deserialize(type, ManifestYaml.JsonOptions) ?? throw ApiException.BadRequest("the body is null"));
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the body is not a valid {type.Name}: {e.Message}");
        }
    }

    /// <summary>Reads the request body as a JSON object; an empty or non-object body is a 400.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Typed clients send protobuf (read for the built-in kinds); anything else that is not JSON is refused.
        var contentType = (request.ContentType ?? "application/json").Split(';')[0].Trim();
        if (ProtobufBodies.IsProtobuf(contentType))
        {
            return FromWall(request, await ProtobufBodies.ReadAsync(request, cancellationToken).ConfigureAwait(false));
        }

        if (!contentType.EndsWith("json", StringComparison.Ordinal))
        {
            throw ApiException.UnsupportedMediaType(contentType);
        }

        try
        {
            return FromWall(request, await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
                ?? throw ApiException.BadRequest("the body must be a JSON object"));
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the body is not JSON: {e.Message}");
        }
    }

    /// <summary>
    /// A body's times as the virtual times they stand for: a client writes wall-clock times (read from responses,
    /// which serve times mapped to the wall clock, or from its own clock). The body's kind, else the resource the
    /// path names, says where its times are.
    /// </summary>
    public static JsonObject FromWall(HttpRequest request, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        if (request.HttpContext.RequestServices.GetService<ServedClock>()?.Map is { IsIdentity: false } map)
        {
            ServedTimes.FromWall(body, map, PathModel(request.HttpContext));
        }

        return body;
    }

    private static Type? PathModel(HttpContext context)
    {
        if (context.Request.RouteValues["resource"] is null)
        {
            return null;
        }

        try
        {
            return ResourceTarget.From(context).Resource.ModelType;
        }
        catch (ApiException)
        {
            return null;
        }
    }

    /// <summary>A JSON response with a status code (protobuf when that is all the client accepts).</summary>
    public static IResult Result(JsonNode body, int statusCode = StatusCodes.Status200OK) => new NegotiatedResult(body, statusCode);

    /// <summary>A model as a JSON response.</summary>
    public static IResult Result(object model, int statusCode = StatusCodes.Status200OK) => new NegotiatedResult(ToNode(model), statusCode, model.GetType());
}
