using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Keelson.Server.Http;

/// <summary>The problem documents the API answers with, in one place so their titles and types stay consistent.</summary>
public static class Problems
{
    /// <summary>404 for a tenant id that is not in the selected database.</summary>
    public static ProblemHttpResult NotFound(string tenantId, string? detail = null) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: $"Tenant '{tenantId}' not found",
        detail: detail ?? "No tenant has this id in the selected database (X-Demo-Mode chooses demo or production).", type: "https://keelson.dev/problems/404");

    /// <summary>404 for a deployment id that is not in the selected database.</summary>
    public static ProblemHttpResult DeploymentNotFound(string deploymentId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: $"Deployment '{deploymentId}' not found",
        detail: "No deployment has this id in the selected database (X-Demo-Mode chooses demo or production).", type: "https://keelson.dev/problems/404");

    /// <summary>409 with what to do.</summary>
    public static ProblemHttpResult Conflict(string title, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, type: "https://keelson.dev/problems/409");

    /// <summary>403 for a tenant key used on another tenant.</summary>
    public static ProblemHttpResult Forbidden(Caller caller) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden, title: "This key may not access that tenant",
        detail: $"The key is scoped to tenant '{caller?.Tenant}'.", type: "https://keelson.dev/problems/403");

    /// <summary>403 for a tenant key on a route that needs an admin key; <paramref name="what"/> says what the route does.</summary>
    public static ProblemHttpResult AdminOnly(Caller caller, string title, string what) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden, title: title,
        detail: $"The key is scoped to tenant '{caller?.Tenant}'; {what} needs an admin key.", type: "https://keelson.dev/problems/403");

    /// <summary>
    /// A one-line detail for a problem written without one: the field errors of a validation problem
    /// (<c>field: message; …</c>), else the title. Clients such as the ECP-AI web UI show <c>detail</c> as the error text.
    /// </summary>
    public static string? DetailOf(ProblemDetails problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation)
        {
            return string.Join("; ", validation.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        }

        return problem.Title;
    }
}
