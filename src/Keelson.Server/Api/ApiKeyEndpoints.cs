using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.ApiKeys;
using Keelson.Operations.Audit;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>
/// API keys issued at run time (docs/api.md, "API keys"): an admin creates one — the secret is in the 201 answer and
/// nowhere else, ever — lists them without secrets, and revokes them. Tenant keys get 403 on every route here.
/// </summary>
public static class ApiKeyEndpoints
{
    /// <summary>The longest key name accepted.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapApiKeys(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/api-keys", Create).WithName("CreateApiKey").WithTags("api-keys")
            .WithSummary("Admin only: issue a key {tenant_id (null for an admin key), name, expires_at?}; 201 with the secret `key`, shown this once.")
            .Produces<CreatedApiKey>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/api-keys", List).WithName("ListApiKeys").WithTags("api-keys")
            .WithSummary("Admin only: every issued key, oldest first, without secrets (configured keys are not listed).").Produces<ApiKeyList>().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapDelete("/api-keys/{key_id}", Revoke).WithName("RevokeApiKey").WithTags("api-keys")
            .WithSummary("Admin only: revoke a key; requests with it get 401 from now on. Answers the key as revoked.")
            .Produces<ApiKeyResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>An issued key as listed: never its secret.</summary>
    /// <param name="Id">Its id, for <c>DELETE /api-keys/{key_id}</c>.</param>
    /// <param name="Prefix">The secret's first characters, e.g. <c>kls_AbCd</c>.</param>
    /// <param name="Name">What it is for.</param>
    /// <param name="TenantId">Its tenant; null for an admin key.</param>
    /// <param name="CreatedAt">When it was issued.</param>
    /// <param name="ExpiresAt">When it stops working; null for never.</param>
    /// <param name="LastUsedAt">When it last authenticated a request (to the minute).</param>
    /// <param name="Revoked">Whether it was revoked.</param>
    /// <param name="RevokedAt">When it was revoked.</param>
    public sealed record ApiKeyResponse(string Id, string Prefix, string Name, string? TenantId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
        DateTimeOffset? LastUsedAt, bool Revoked, DateTimeOffset? RevokedAt)
    {
        /// <summary>The answer for a stored key.</summary>
        public static ApiKeyResponse Of(ApiKeyRecord key)
        {
            ArgumentNullException.ThrowIfNull(key);
            return new(key.Id, key.Prefix, key.Name, key.TenantId, key.CreatedAt, key.ExpiresAt, key.LastUsedAt, key.RevokedAt is not null, key.RevokedAt);
        }
    }

    /// <summary>The 201 answer: the key's fields and, this once, its secret.</summary>
    /// <param name="Id">Its id.</param>
    /// <param name="Prefix">The secret's first characters.</param>
    /// <param name="Name">What it is for.</param>
    /// <param name="TenantId">Its tenant; null for an admin key.</param>
    /// <param name="CreatedAt">When it was issued.</param>
    /// <param name="ExpiresAt">When it stops working; null for never.</param>
    /// <param name="Key">The secret to send as <c>X-API-Key</c>; no later answer or log holds it.</param>
    public sealed record CreatedApiKey(string Id, string Key, string Prefix, string Name, string? TenantId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

    /// <summary>The list answer.</summary>
    public sealed record ApiKeyList(IReadOnlyList<ApiKeyResponse> ApiKeys);

    private static async Task<IResult> Create(HttpContext http, IssuedKeys keys, TenantDatabases databases, TimeProvider time, CancellationToken cancellationToken)
    {
        if (AdminOnly(http) is { } forbidden)
        {
            return forbidden;
        }

        var (read, problem) = await JsonBody.ReadDocumentAsync(http.Request, cancellationToken).ConfigureAwait(false);
        using var document = read;
        if (document is null)
        {
            return problem!;
        }

        var body = document.RootElement;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Invalid(new() { [""] = ["The body must be a JSON object: {\"tenant_id\": \"acme\" or null, \"name\": \"ci deployer\", \"expires_at\": \"2030-01-01T00:00:00Z\"}."] });
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : null;
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            errors["name"] = [$"name is required: a string of 1 to {MaxNameLength} characters saying what the key is for."];
        }

        string? tenant = null;
        if (body.TryGetProperty("tenant_id", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            tenant = t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (string.IsNullOrWhiteSpace(tenant))
            {
                errors["tenant_id"] = ["tenant_id must be a tenant's id, or null for an admin key."];
            }
            else if (await databases.For(true).Tenants.GetAsync(tenant, cancellationToken).ConfigureAwait(false) is null
                && await databases.For(false).Tenants.GetAsync(tenant, cancellationToken).ConfigureAwait(false) is null)
            {
                errors["tenant_id"] = [$"No tenant '{tenant}' exists in the demo or the production database; create it first, or send null for an admin key."];
            }
        }

        DateTimeOffset? expires = null;
        if (body.TryGetProperty("expires_at", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            if (e.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                errors["expires_at"] = ["expires_at must be an ISO-8601 time such as 2030-01-01T00:00:00Z, or null for a key that does not expire."];
            }
            else if (parsed.ToUniversalTime() <= time.GetUtcNow())
            {
                errors["expires_at"] = [$"expires_at must be in the future; {parsed.ToUniversalTime():O} has passed."];
            }
            else
            {
                expires = parsed.ToUniversalTime();
            }
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var secret = ApiKeySecret.New();
        var record = new ApiKeyRecord(ApiKeySecret.NewId(), ApiKeySecret.PrefixOf(secret), name!, tenant, default, expires, null, null);
        var created = await keys.Store.CreateAsync(record, ApiKeySecret.Hash(secret), Audit(http, "api_key.create", record), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/api-keys/{created.Id}",
            new CreatedApiKey(created.Id, secret, created.Prefix, created.Name, created.TenantId, created.CreatedAt, created.ExpiresAt));
    }

    private static async Task<IResult> List(HttpContext http, IssuedKeys keys, CancellationToken cancellationToken)
    {
        if (AdminOnly(http) is { } forbidden)
        {
            return forbidden;
        }

        var listed = await keys.Store.ListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ApiKeyList([.. listed.Select(ApiKeyResponse.Of)]));
    }

    private static async Task<IResult> Revoke(HttpContext http, IssuedKeys keys, string key_id, CancellationToken cancellationToken)
    {
        if (AdminOnly(http) is { } forbidden)
        {
            return forbidden;
        }

        var revoked = await keys.Store.RevokeAsync(key_id, Audit(http, "api_key.revoke", null), cancellationToken).ConfigureAwait(false);
        return revoked is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"API key '{key_id}' not found",
                detail: "No issued key has this id; GET /api/v1/api-keys lists them (configured keys are changed in configuration).", type: "https://keelson.dev/problems/404")
            : TypedResults.Ok(ApiKeyResponse.Of(revoked));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? AdminOnly(HttpContext http)
    {
        var caller = ApiKeyFilter.CallerOf(http);
        return caller.Admin ? null : Problems.AdminOnly(caller, "API keys are managed with an admin key", "issuing, listing and revoking keys");
    }

    // The entry names the key but never holds its secret; the store adds the key's tenant.
    private static AuditEntry Audit(HttpContext http, string action, ApiKeyRecord? key)
    {
        var details = new JsonObject { ["request_id"] = http.TraceIdentifier };
        if (key is not null)
        {
            details["key_id"] = key.Id;
            details["name"] = key.Name;
            details["prefix"] = key.Prefix;
            details["expires_at"] = key.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture);
        }
        else if (http.Request.RouteValues.TryGetValue("key_id", out var id))
        {
            details["key_id"] = id?.ToString();
        }

        return new AuditEntry { Actor = CicdAccess.Actor(http), Action = action, DetailsJson = details.ToJsonString() };
    }

    private static IResult Invalid(Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The API key request is not valid", statusCode: StatusCodes.Status422UnprocessableEntity);
}
