using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Keelson.Server.Http;

/// <summary>
/// What every API operation shares but no endpoint declares itself: the <c>X-Demo-Mode</c> header, the key schemes
/// (<c>X-API-Key</c> or a bearer token; demo requests from loopback may omit it), and the problems the filters and
/// body reader answer with (400, 401, 403, 415, 429, 503).
/// </summary>
public static class OpenApiConventions
{
    /// <summary>The scheme name of the <c>X-API-Key</c> header.</summary>
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>The scheme name of <c>Authorization: Bearer</c>.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>Applies the conventions to <paramref name="document"/>.</summary>
    public static Task ApplyAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info.Title = "Keelson orchestrator API";
        document.Info.Description = "ECP-AI compatible tenant API: plan, render, validate and deliver AI call-center platforms.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-API-Key",
            Description = "An admin key, or a key scoped to one tenant. Production requests always need one; demo requests need one unless they come from loopback (Keelson:RequireApiKeyInDemo).",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "The same key as Authorization: Bearer KEY.",
        };

        foreach (var (path, item) in document.Paths)
        {
            if (!(path.StartsWith("/api/v1", StringComparison.Ordinal) || path.StartsWith("/ws/", StringComparison.Ordinal) || path.StartsWith("/v2/models", StringComparison.Ordinal)) || item.Operations is null)
            {
                continue;
            }

            foreach (var (method, operation) in item.Operations)
            {
                Apply(document, path, method, operation);
            }
        }

        return Task.CompletedTask;
    }

    private static void Apply(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        if (!operation.Parameters.Any(p => p.Name == DemoModeFilter.Header))
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = DemoModeFilter.Header, In = ParameterLocation.Header, Required = false,
                Description = "true: the demo database and sandbox cluster; false: production. Without it the server's default mode applies (demo unless Keelson:DefaultMode says otherwise); the answer's X-Keelson-Mode says which served it.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true"), JsonValue.Create("false")] },
            });
        }

        // Alternatives: a key header, a bearer token, or nothing (a demo request from loopback).
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            new OpenApiSecurityRequirement(),
        ];

        operation.Responses ??= [];
        Add(document, operation, "400", "X-Demo-Mode is not true or false, or the body is not well-formed UTF-8 JSON (duplicate keys included).");
        Add(document, operation, "401", "No key, or a key that is not valid; production requests always need one.");
        if (path.Contains("{tenant_id}", StringComparison.Ordinal) || path.Contains("{deployment_id}", StringComparison.Ordinal) || operation.RequestBody is not null)
        {
            Add(document, operation, "403", "The key is scoped to another tenant.");
        }

        if (operation.RequestBody is not null)
        {
            Add(document, operation, "415", "The body has no content type.");
        }

        Add(document, operation, "503", "A database or Redis is not answering (the problem names which); retry after the Retry-After seconds.");
        if (method != HttpMethod.Get)
        {
            Add(document, operation, "429", "Too many changes from this client; retry after the Retry-After seconds.");
        }
    }

    private static void Add(OpenApiDocument document, OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) } },
        };
    }
}
