using System.Text.Json.Nodes;
using Keelson.Operations.Audit;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>
/// Who may change CI/CD records and how changes are attributed. Settings and images are global (not any tenant's), so
/// only an admin caller — an admin key, or the open loopback demo — may change them; tenant keys may read.
/// </summary>
public static class CicdAccess
{
    /// <summary>403 for a tenant-scoped key; null for an admin.</summary>
    public static IResult? AdminOnly(HttpContext http)
    {
        var caller = ApiKeyFilter.CallerOf(http);
        return caller.Admin ? null : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "CI/CD records are changed by admins",
            detail: $"Registries, settings and service images are shared by every tenant; the key is scoped to tenant '{caller.Tenant}' and may only read them.",
            type: "https://keelson.dev/problems/403");
    }

    /// <summary>Who a change is recorded as: <c>admin</c>, or the tenant key's tenant.</summary>
    public static string Actor(HttpContext http)
    {
        var caller = ApiKeyFilter.CallerOf(http);
        return caller.Admin ? "admin" : $"tenant-key:{caller.Tenant}";
    }

    /// <summary>The audit entry of a change (no tenant), with the request id; the log masks secret-looking members.</summary>
    public static AuditEntry Audit(HttpContext http, string action, JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(details);
        details["request_id"] = http.TraceIdentifier;
        return new AuditEntry { Time = DateTimeOffset.UtcNow, Actor = Actor(http), Action = action, DetailsJson = details.ToJsonString() };
    }

    /// <summary>A boolean query parameter: absent or empty is null; <c>true</c>/<c>false</c> in any case; anything else fails.</summary>
    public static bool TryFlag(string? text, out bool? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        value = DemoModeFilter.Parse(text);
        return value is not null;
    }

    /// <summary>400 naming a query parameter that is not a boolean.</summary>
    public static IResult BadParameter(string parameter, string? value) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: $"The query parameter {parameter} must be true or false",
        detail: $"{parameter}: '{value}' is not true or false.", type: "https://keelson.dev/problems/400",
        extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    /// <summary>422 with every field's problem.</summary>
    public static IResult Invalid(string title, CicdFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Results.ValidationProblem(fields.Errors, title: title, statusCode: StatusCodes.Status422UnprocessableEntity);
    }
}
