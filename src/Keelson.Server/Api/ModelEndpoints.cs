using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Operations.Models;
using Keelson.Operations.Storage;
using Keelson.Server.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Keelson.Server.Api;

/// <summary>
/// The model registry of a tenant: upload ONNX versions (streamed, size-limited, checked before anything is kept), list,
/// read and delete them, point aliases at them, and set how the model is served. Records are in the mode's database.
/// </summary>
public static partial class ModelEndpoints
{
    private const string Versions = "/tenants/{tenant_id}/models/{name}/versions";

    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapModels(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost(Versions, Upload).WithName("UploadModelVersion").WithTags("models")
            .WithSummary("Upload an .onnx file as the model's next version (body: the file, application/octet-stream). It is read and loaded before it is kept; identical files are stored once.")
            .AddOpenApiOperationTransformer(DescribeUploadBody)
            .Produces<ModelVersionResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/tenants/{tenant_id}/models", ListModels).WithName("ListModels").WithTags("models")
            .WithSummary("The tenant's models with their newest version number.")
            .Produces<ModelList>();
        api.MapGet(Versions, ListVersions).WithName("ListModelVersions").WithTags("models")
            .WithSummary("The model's versions, newest first, each with what the file declares and the aliases pointing at it.")
            .Produces<ModelVersionList>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet(Versions + "/{version}", GetVersion).WithName("GetModelVersion").WithTags("models")
            .WithSummary("One version, by number or alias (an alias resolves at the time of the request).")
            .Produces<ModelVersionResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet(Versions + "/{version}/file", GetFile).WithName("GetModelVersionFile").WithTags("models")
            .WithSummary("The .onnx file of a version, by number or alias; the version and the file's SHA-256 digest are in the Keelson-Model-Version and Keelson-Model-Digest headers. keelson serve --role inference pulls its model here.")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete(Versions + "/{version}", DeleteVersion).WithName("DeleteModelVersion").WithTags("models")
            .WithSummary("Delete a version (refused while an alias points at it); its file goes once no version uses it. Numbers are not reused.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/tenants/{tenant_id}/models/{name}/aliases", ListAliases).WithName("ListModelAliases").WithTags("models")
            .WithSummary("The model's aliases and the versions they point at.")
            .Produces<ModelAliasList>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPut("/tenants/{tenant_id}/models/{name}/aliases/{alias}", SetAlias).WithName("SetModelAlias").WithTags("models")
            .WithSummary("Point an alias (production, staging, any name) at a version, in one step: a request resolves to the old or the new version, never neither.")
            .Accepts<ModelAliasRequest>("application/json")
            .Produces<ModelAliasResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapDelete("/tenants/{tenant_id}/models/{name}/aliases/{alias}", DeleteAlias).WithName("DeleteModelAlias").WithTags("models")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/tenants/{tenant_id}/models/{name}/serving", GetServing).WithName("GetModelServing").WithTags("models")
            .WithSummary("How the model is served: dynamic batching and the concurrency limit (defaults until set).")
            .Produces<ModelServingBody>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPut("/tenants/{tenant_id}/models/{name}/serving", SetServing).WithName("SetModelServing").WithTags("models")
            .WithSummary("Set dynamic batching (max_batch_size > 1 turns it on for models whose inputs and outputs have an open first dimension), its max queue delay, and the concurrency limit.")
            .Accepts<ModelServingBody>("application/json")
            .Produces<ModelServingBody>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        return api;
    }

    // Described here rather than with Accepts<>, whose content-type matching would answer other types with a bare 415 before the handler can say what to send.
    private static Task DescribeUploadBody(Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
        {
            Required = true, Description = "The .onnx file itself.",
            Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
            {
                ["application/octet-stream"] = new() { Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" } },
            },
        };
        return Task.CompletedTask;
    }

    /// <summary>Response header of a version's file: the version number.</summary>
    public const string ModelVersionHeader = "Keelson-Model-Version";

    /// <summary>Response header of a version's file: its SHA-256 digest, <c>sha256:</c> and 64 hex digits.</summary>
    public const string ModelDigestHeader = "Keelson-Model-Digest";

    /// <summary>Whether a model name is valid: 1–63 of lowercase letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    public static bool IsModelName(string name) => NamePattern().IsMatch(name);

    /// <summary>400 for a model name that is not valid, null for a valid one.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? CheckName(string name) => IsModelName(name) ? null : Bad("The model name is not valid",
        $"name: '{Shorten(name)}' must be 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.");

    private static async Task<IResult> Upload(string tenant_id, string name, HttpContext http, TenantDatabases databases, TenantModels models, CancellationToken cancellationToken)
    {
        if (CheckName(name) is { } invalid)
        {
            return invalid;
        }

        var demo = DemoModeFilter.IsDemo(http);
        if (await databases.For(demo).Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), "application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the model as application/octet-stream",
                detail: $"The body must be the .onnx file itself with Content-Type: application/octet-stream; got '{http.Request.ContentType ?? "none"}'.", type: "https://keelson.dev/problems/415");
        }

        var limit = models.Settings.MaxUploadBytes;
        if (http.Request.ContentLength > limit)
        {
            return TooLarge(new ModelTooLargeException(limit).Message);
        }

        // The server-wide body limit is for JSON; a model may be larger, and the registry counts the bytes itself.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1;
        }

        try
        {
            var version = await models.For(demo).UploadAsync(tenant_id, name, http.Request.Body, limit, CicdAccess.Actor(http), http.TraceIdentifier, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/v1/tenants/{tenant_id}/models/{name}/versions/{version.Version}", ModelVersionResponse.From(version));
        }
        catch (OnnxFormatException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The file is not a usable ONNX model",
                detail: $"Nothing was stored: {e.Message}.", type: "https://keelson.dev/problems/model-invalid");
        }
        catch (ModelTooLargeException e)
        {
            return TooLarge(e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(new ModelTooLargeException(limit).Message);
        }
    }

    private static async Task<IResult> ListModels(string tenant_id, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        var list = await models.For(DemoModeFilter.IsDemo(http)).Store.ListModelsAsync(tenant_id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ModelList(tenant_id, [.. list.Select(m => new ModelSummary(m.Name, m.LatestVersion, m.Versions))]));
    }

    private static async Task<IResult> ListVersions(string tenant_id, string name, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        if (CheckName(name) is { } invalid)
        {
            return invalid;
        }

        var versions = await models.For(DemoModeFilter.IsDemo(http)).Store.ListVersionsAsync(tenant_id, name, cancellationToken).ConfigureAwait(false);
        return versions.Count == 0
            ? ModelNotFound(tenant_id, name)
            : TypedResults.Ok(new ModelVersionList(tenant_id, name, [.. versions.Select(ModelVersionResponse.From)]));
    }

    private static async Task<IResult> GetVersion(string tenant_id, string name, string version, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        if ((CheckName(name) ?? CheckLabel(version)) is { } invalid)
        {
            return invalid;
        }

        var found = await models.For(DemoModeFilter.IsDemo(http)).Store.ResolveAsync(tenant_id, name, version, cancellationToken).ConfigureAwait(false);
        return found is null ? VersionNotFound(tenant_id, name, version) : TypedResults.Ok(ModelVersionResponse.From(found));
    }

    private static async Task<IResult> GetFile(string tenant_id, string name, string version, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        if ((CheckName(name) ?? CheckLabel(version)) is { } invalid)
        {
            return invalid;
        }

        var registry = models.For(DemoModeFilter.IsDemo(http));
        var found = await registry.Store.ResolveAsync(tenant_id, name, version, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return VersionNotFound(tenant_id, name, version);
        }

        FileStream file;
        try
        {
            file = File.OpenRead(registry.Files.PathOf(found.Digest));
        }
        catch (FileNotFoundException)
        {
            // The version was deleted between the lookup and the read.
            return VersionNotFound(tenant_id, name, version);
        }

        http.Response.Headers[ModelVersionHeader] = found.Version.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers[ModelDigestHeader] = found.Digest;
        return TypedResults.Stream(file, "application/octet-stream");
    }

    private static async Task<IResult> DeleteVersion(string tenant_id, string name, string version, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        if (CheckName(name) is { } invalid)
        {
            return invalid;
        }

        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return Bad("Delete a version by its number", $"version: '{Shorten(version)}' is not a version number; aliases are deleted under /aliases/{{alias}}.");
        }

        try
        {
            if (await models.For(DemoModeFilter.IsDemo(http)).DeleteVersionAsync(tenant_id, name, number, CicdAccess.Actor(http), http.TraceIdentifier, cancellationToken)
                .ConfigureAwait(false) is not { } deleted)
            {
                return VersionNotFound(tenant_id, name, version);
            }

            models.Runtime.ForgetVersion(deleted.Version, deleted.FileDeleted);
            return TypedResults.NoContent();
        }
        catch (ModelConflictException e)
        {
            return Problems.Conflict("The version is in use by an alias", e.Message + ".");
        }
    }

    private static async Task<IResult> ListAliases(string tenant_id, string name, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        if (CheckName(name) is { } invalid)
        {
            return invalid;
        }

        var aliases = await models.For(DemoModeFilter.IsDemo(http)).Store.ListAliasesAsync(tenant_id, name, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ModelAliasList(tenant_id, name, [.. aliases.Select(a => new ModelAliasResponse(a.Alias, a.Version, a.UpdatedBy, a.UpdatedAt))]));
    }

    private static async Task<IResult> SetAlias(string tenant_id, string name, string alias, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        if ((CheckName(name) ?? CheckAlias(alias)) is { } invalid)
        {
            return invalid;
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var key in body.Select(p => p.Key).Where(k => k != "version"))
        {
            errors[key] = ["not a member of an alias change; send {\"version\": N}"];
        }

        var version = Integer(body, "version", 1, int.MaxValue, errors);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The alias change is not valid", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        try
        {
            var actor = CicdAccess.Actor(http);
            var audit = ModelRegistry.Audit(actor, "model.alias.set", tenant_id, new JsonObject { ["model"] = name, ["alias"] = alias, ["version"] = version, ["request_id"] = http.TraceIdentifier });
            var set = await models.For(DemoModeFilter.IsDemo(http)).Store.SetAliasAsync(tenant_id, name, alias, version!.Value, actor, audit, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new ModelAliasResponse(set.Alias, set.Version, set.UpdatedBy, set.UpdatedAt));
        }
        catch (RecordNotFoundException)
        {
            return VersionNotFound(tenant_id, name, version!.Value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static async Task<IResult> DeleteAlias(string tenant_id, string name, string alias, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        if ((CheckName(name) ?? CheckAlias(alias)) is { } invalid)
        {
            return invalid;
        }

        var audit = ModelRegistry.Audit(CicdAccess.Actor(http), "model.alias.delete", tenant_id, new JsonObject { ["model"] = name, ["alias"] = alias, ["request_id"] = http.TraceIdentifier });
        return await models.For(DemoModeFilter.IsDemo(http)).Store.DeleteAliasAsync(tenant_id, name, alias, audit, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Alias '{alias}' not found",
                detail: $"Model '{name}' of tenant '{tenant_id}' has no alias '{alias}'.", type: "https://keelson.dev/problems/404");
    }

    private static async Task<IResult> GetServing(string tenant_id, string name, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        if (CheckName(name) is { } invalid)
        {
            return invalid;
        }

        var serving = await models.For(DemoModeFilter.IsDemo(http)).Store.ServingAsync(tenant_id, name, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ModelServingBody(serving.MaxBatchSize, serving.MaxQueueDelayMicroseconds, serving.MaxConcurrency));
    }

    private static async Task<IResult> SetServing(string tenant_id, string name, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        if (CheckName(name) is { } invalid)
        {
            return invalid;
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var key in body.Select(p => p.Key).Where(k => k is not ("max_batch_size" or "max_queue_delay_us" or "max_concurrency")))
        {
            errors[key] = ["not a serving setting (max_batch_size, max_queue_delay_us, max_concurrency)"];
        }

        var defaults = ModelServing.Default;
        var serving = new ModelServing
        {
            MaxBatchSize = Integer(body, "max_batch_size", 1, 1024, errors) ?? defaults.MaxBatchSize,
            MaxQueueDelayMicroseconds = Integer(body, "max_queue_delay_us", 0, 1_000_000, errors) ?? defaults.MaxQueueDelayMicroseconds,
            MaxConcurrency = Integer(body, "max_concurrency", 1, 256, errors) ?? defaults.MaxConcurrency,
        };
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The serving settings are not valid", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        try
        {
            var audit = ModelRegistry.Audit(CicdAccess.Actor(http), "model.serving.set", tenant_id, new JsonObject
            {
                ["model"] = name, ["max_batch_size"] = serving.MaxBatchSize, ["max_queue_delay_us"] = serving.MaxQueueDelayMicroseconds,
                ["max_concurrency"] = serving.MaxConcurrency, ["request_id"] = http.TraceIdentifier,
            });
            await models.For(DemoModeFilter.IsDemo(http)).Store.SetServingAsync(tenant_id, name, serving, audit, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new ModelServingBody(serving.MaxBatchSize, serving.MaxQueueDelayMicroseconds, serving.MaxConcurrency));
        }
        catch (RecordNotFoundException)
        {
            return ModelNotFound(tenant_id, name);
        }
    }

    private static int? Integer(JsonObject body, string key, int min, int max, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetPropertyValue(key, out var node))
        {
            if (key == "version")
            {
                errors[key] = ["required: the version number the alias should point at"];
            }

            return null;
        }

        if (node is JsonValue value && value.TryGetValue<int>(out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors[key] = [string.Create(CultureInfo.InvariantCulture, $"must be an integer from {min} to {max}; got {node?.ToJsonString() ?? "null"}")];
        return null;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? CheckAlias(string alias) => AliasPattern().IsMatch(alias) ? null : Bad("The alias is not valid",
        $"alias: '{Shorten(alias)}' must be 1-63 lowercase letters, digits, '_' or '-', starting with a letter (a number would read as a version).");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? CheckLabel(string label) =>
        int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out _) || AliasPattern().IsMatch(label) ? null
        : Bad("The version is not valid", $"version: '{Shorten(label)}' is neither a version number nor an alias.");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ModelNotFound(string tenant, string name) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: $"Model '{name}' not found", detail: $"Tenant '{tenant}' has no model '{name}' in the selected database (X-Demo-Mode chooses demo or production).",
        type: "https://keelson.dev/problems/404");

    /// <summary>404 naming the model and the version or alias that matched nothing.</summary>
    public static IResult VersionNotFound(string tenant, string name, string label) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: $"Model '{name}' has no version '{label}'",
        detail: $"Tenant '{tenant}' has no version or alias '{label}' of model '{name}' in the selected database; list them at /api/v1/tenants/{tenant}/models/{name}/versions.",
        type: "https://keelson.dev/problems/404");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The model is too large",
        detail: $"Nothing was stored: {detail}.", type: "https://keelson.dev/problems/413");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Bad(string title, string detail) => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail, type: "https://keelson.dev/problems/400");

    private static string Shorten(string text) => text.Length > 64 ? text[..64] + "…" : text;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,62}$")]
    private static partial Regex AliasPattern();
}
