using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Notifications;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>
/// Silences in Alertmanager's API v2 shape (<c>matchers: [{name, value, isRegex, isEqual}]</c>, <c>startsAt</c>,
/// <c>endsAt</c>, <c>createdBy</c>, <c>comment</c>): create, list by state, read, expire. A tenant-scoped key works only
/// with silences that carry the matcher <c>tenant="its tenant"</c>.
/// </summary>
public static class SilenceEndpoints
{
    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapSilences(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/silences", Create).WithName("CreateSilence").WithTags("alerts")
            .WithSummary("Mute alerts whose labels match every matcher between startsAt and endsAt; 201 with the id.").Produces<JsonObject>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/silences", List).WithName("ListSilences").WithTags("alerts")
            .WithSummary("Every silence, newest first; ?state=active|pending|expired filters.").Produces<JsonArray>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/silences/{id}", Get).WithName("GetSilence").WithTags("alerts").WithSummary("One silence.").Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/silences/{id}", Expire).WithName("ExpireSilence").WithTags("alerts")
            .WithSummary("Expire a silence now (Alertmanager's DELETE); it stays listed as expired.").Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> Create(HttpContext http, TenantNotifications notifications, CancellationToken cancellationToken)
    {
        // The same strict reading as every other body: a content type, UTF-8, no repeated keys.
        var (read, problem) = await Http.JsonBody.ReadDocumentAsync(http.Request, cancellationToken).ConfigureAwait(false);
        using var document = read;
        if (document is null)
        {
            return problem!;
        }

        var body = document.RootElement;

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Invalid(new() { [""] = ["The body must be a JSON object with matchers, startsAt, endsAt, createdBy and comment."] });
        }

        var matchers = new List<LabelMatcher>();
        if (!body.TryGetProperty("matchers", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            errors["matchers"] = ["matchers must be an array of {name, value, isRegex, isEqual}."];
        }
        else
        {
            var i = 0;
            foreach (var m in list.EnumerateArray())
            {
                var path = $"matchers[{i++}]";
                var name = String(m, "name");
                var value = String(m, "value");
                if (name is null || value is null)
                {
                    errors[path] = ["A matcher needs a string name and value."];
                    continue;
                }

                var regex = Bool(m, "isRegex") ?? false;
                var equal = Bool(m, "isEqual") ?? true;
                var type = (regex, equal) switch { (false, true) => MatcherType.Equal, (false, false) => MatcherType.NotEqual, (true, true) => MatcherType.Regex, _ => MatcherType.NotRegex };
                var (matcher, error) = LabelMatcher.Create(name, type, value);
                if (matcher is null)
                {
                    errors[path] = [error!];
                }
                else
                {
                    matchers.Add(matcher);
                }
            }
        }

        var now = TimeProvider.System.GetUtcNow();
        var startsAt = Time(body, "startsAt", errors) ?? now;
        var endsAt = Time(body, "endsAt", errors);
        if (!body.TryGetProperty("endsAt", out _))
        {
            errors["endsAt"] = ["endsAt is required (RFC 3339, e.g. 2024-01-15T12:00:00Z)."];
        }

        var createdBy = String(body, "createdBy") ?? "";
        var comment = String(body, "comment") ?? "";
        if (errors.Count == 0)
        {
            foreach (var (key, value) in Silence.Validate(matchers, startsAt, endsAt!.Value, createdBy, now))
            {
                errors[key] = value;
            }
        }

        var caller = ApiKeyFilter.CallerOf(http);
        if (errors.Count == 0 && !caller.Admin && !Scoped(matchers, caller.Tenant))
        {
            errors["matchers"] = [$"A tenant key may only silence its own tenant's alerts: add the matcher {{\"name\": \"tenant\", \"value\": \"{caller.Tenant}\"}}."];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var silence = await notifications.Silences(DemoModeFilter.IsDemo(http)).CreateAsync(matchers, startsAt, endsAt!.Value, createdBy, comment, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new JsonObject { ["silenceID"] = silence.Id, ["silence"] = Json(silence, now) }, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> List(HttpContext http, TenantNotifications notifications, string? state, CancellationToken cancellationToken)
    {
        SilenceState? wanted = null;
        if (state is not null)
        {
            if (!Enum.TryParse<SilenceState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
            {
                return TypedResults.Problem(statusCode: 400, title: "Unknown silence state", detail: $"state must be active, pending or expired; got '{state}'.", type: "https://keelson.dev/problems/400");
            }

            wanted = parsed;
        }

        var now = TimeProvider.System.GetUtcNow();
        var caller = ApiKeyFilter.CallerOf(http);
        var silences = await notifications.Silences(DemoModeFilter.IsDemo(http)).ListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new JsonArray([.. silences
            .Where(s => caller.Admin || Scoped(s.Matchers, caller.Tenant))
            .Where(s => wanted is null || s.StateAt(now) == wanted)
            .Select(s => (JsonNode)Json(s, now))]));
    }

    private static async Task<IResult> Get(HttpContext http, TenantNotifications notifications, string id, CancellationToken cancellationToken)
    {
        var silence = await notifications.Silences(DemoModeFilter.IsDemo(http)).GetAsync(id, cancellationToken).ConfigureAwait(false);
        var caller = ApiKeyFilter.CallerOf(http);
        return silence is null || !(caller.Admin || Scoped(silence.Matchers, caller.Tenant)) ? NotFound(id) : TypedResults.Json(Json(silence, TimeProvider.System.GetUtcNow()));
    }

    private static async Task<IResult> Expire(HttpContext http, TenantNotifications notifications, string id, CancellationToken cancellationToken)
    {
        var store = notifications.Silences(DemoModeFilter.IsDemo(http));
        var caller = ApiKeyFilter.CallerOf(http);
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } silence || !(caller.Admin || Scoped(silence.Matchers, caller.Tenant)))
        {
            return NotFound(id);
        }

        var expired = await store.ExpireAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(Json(expired!, TimeProvider.System.GetUtcNow()));
    }

    private static JsonObject Json(Silence s, DateTimeOffset now) => new()
    {
        ["id"] = s.Id,
        ["status"] = new JsonObject { ["state"] = s.StateAt(now).ToString().ToLowerInvariant() },
        ["matchers"] = JsonNode.Parse(SqlSilenceStore.Write(s.Matchers)),
        ["startsAt"] = s.StartsAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["endsAt"] = s.EndsAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["updatedAt"] = s.UpdatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["createdBy"] = s.CreatedBy,
        ["comment"] = s.Comment,
    };

    private static bool Scoped(IEnumerable<LabelMatcher> matchers, string? tenant) =>
        tenant is not null && matchers.Any(m => m.Name == "tenant" && m.Type == MatcherType.Equal && m.Value == tenant);

    private static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static DateTimeOffset? Time(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var v))
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return t.ToUniversalTime();
        }

        errors[name] = [$"{name} must be an RFC 3339 time such as 2024-01-15T12:00:00Z; got {v.GetRawText()}."];
        return null;
    }

    private static IResult Invalid(Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            title: "The silence is not valid; nothing was stored", type: "https://keelson.dev/problems/422", statusCode: StatusCodes.Status422UnprocessableEntity);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: 404, title: $"Silence '{id}' not found", detail: "No silence has this id in the selected database (X-Demo-Mode chooses demo or production).", type: "https://keelson.dev/problems/404");
}
