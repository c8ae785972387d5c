using System.Text.Json.Nodes;
using Keelson.Operations.Audit;
using Keelson.Operations.Cicd;
using Keelson.Operations.Storage;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>
/// The ECP-AI UI's image registration page (<c>cicd/ImageRegistration.tsx</c>): register, list, stats, read, change and
/// deactivate a service's image, plus Keelson's version history and rollback. Records are in the mode's database.
/// </summary>
public static class CicdImageEndpoints
{
    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapCicdImages(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/cicd/register", Register).WithName("RegisterServiceImage").WithTags("cicd")
            .WithSummary("Register the image a service runs (version 1); an active image of a catalog AI service is what its workloads render with.")
            .Accepts<ServiceImageRequest>("application/json")
            .Produces<ServiceImageChange>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/cicd/list", List).WithName("ListServiceImages").WithTags("cicd")
            .WithSummary("Service images newest first (inactive ones too unless is_active filters), with counts per category.")
            .Produces<ServiceImageList>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/cicd/stats/overview", Stats).WithName("ServiceImageStats").WithTags("cicd")
            .WithSummary("Counts of all, active and inactive images, per category, and the five newest registrations.")
            .Produces<ServiceImageStats>();
        api.MapGet("/cicd/{service_name}", Get).WithName("GetServiceImage").WithTags("cicd")
            .Produces<ServiceImageChange>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/cicd/{service_name}", Update).WithName("UpdateServiceImage").WithTags("cicd")
            .WithSummary("Change any field of a service's image (a new version, recorded with who and when); the UI sends its whole form.")
            .Accepts<ServiceImageRequest>("application/json")
            .Produces<ServiceImageChange>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapDelete("/cicd/{service_name}", Deactivate).WithName("DeactivateServiceImage").WithTags("cicd")
            .WithSummary("Deactivate a service's image (kept on record with its history; workloads go back to the catalog's image).")
            .Produces<CicdMessage>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/cicd/{service_name}/history", History).WithName("ServiceImageHistory").WithTags("cicd")
            .WithSummary("Every change of a service's image, newest first: version, action, image, who and when.")
            .Produces<ImageHistory>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/cicd/{service_name}/rollback", Rollback).WithName("RollbackServiceImage").WithTags("cicd")
            .WithSummary("Make the service run what an earlier version recorded, as a new version.")
            .Accepts<ImageRollbackRequest>("application/json")
            .Produces<ServiceImageChange>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        return api;
    }

    private static async Task<IResult> Register(HttpContext http, TenantDatabases databases, CancellationToken cancellationToken)
    {
        if (CicdAccess.AdminOnly(http) is { } forbidden)
        {
            return forbidden;
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var fields = new CicdFields(body);
        if (ServiceImageInput.Read(fields, null, null) is not { } image)
        {
            return CicdAccess.Invalid("The image registration is not valid", fields);
        }

        try
        {
            var created = await databases.For(DemoModeFilter.IsDemo(http)).Images
                .RegisterAsync(image, CicdAccess.Actor(http), CicdAccess.Audit(http, "cicd.image.register", Details(image)), cancellationToken).ConfigureAwait(false);
            return Results.Created($"/api/v1/cicd/{created.ServiceName}",
                new ServiceImageChange(true, $"Image of '{created.ServiceName}' registered: {created.Reference}", ServiceImageResponse.From(created)));
        }
        catch (DuplicateServiceImageException e)
        {
            return Problems.Conflict($"Service '{image.ServiceName}' has an image already", $"{e.Message} An inactive one is reactivated with PUT and \"is_active\": true.");
        }
    }

    private static async Task<IResult> List(HttpContext http, TenantDatabases databases, string? category, string? is_active, CancellationToken cancellationToken)
    {
        // Bound as text: a value that is not a boolean is a 400 naming the parameter, not a binding failure.
        if (!CicdAccess.TryFlag(is_active, out var active))
        {
            return CicdAccess.BadParameter("is_active", is_active);
        }

        if (category is not null && !ServiceImage.Categories.Contains(category))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["category"] = [$"'{category}' is not a category; use one of {string.Join(", ", ServiceImage.Categories)}"] },
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var images = await databases.For(DemoModeFilter.IsDemo(http)).Images.ListAsync(category, active, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new ServiceImageList(true, images.Count, CountByCategory(images), [.. images.Select(ServiceImageResponse.From)]));
    }

    private static async Task<IResult> Stats(HttpContext http, TenantDatabases databases, CancellationToken cancellationToken)
    {
        var images = await databases.For(DemoModeFilter.IsDemo(http)).Images.ListAsync(null, null, cancellationToken).ConfigureAwait(false);
        var active = images.Count(i => i.IsActive);
        return Results.Ok(new ServiceImageStats(true, new ServiceImageStatsBody(
            images.Count, active, images.Count - active, CountByCategory(images),
            [.. images.Take(5).Select(i => new RecentImage(i.ServiceName, i.DisplayName, i.Category, i.CreatedAt))])));
    }

    private static async Task<IResult> Get(HttpContext http, TenantDatabases databases, string service_name, CancellationToken cancellationToken) =>
        await databases.For(DemoModeFilter.IsDemo(http)).Images.GetAsync(service_name, cancellationToken).ConfigureAwait(false) is { } image
            ? Results.Ok(new ServiceImageChange(true, $"Image of '{service_name}'", ServiceImageResponse.From(image)))
            : NotFound(service_name);

    private static async Task<IResult> Update(HttpContext http, TenantDatabases databases, string service_name, CancellationToken cancellationToken)
    {
        if (CicdAccess.AdminOnly(http) is { } forbidden)
        {
            return forbidden;
        }

        var images = databases.For(DemoModeFilter.IsDemo(http)).Images;
        if (await images.GetAsync(service_name, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return NotFound(service_name);
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var fields = new CicdFields(body);
        if (ServiceImageInput.Read(fields, current, service_name) is not { } changed)
        {
            return CicdAccess.Invalid("The image change is not valid", fields);
        }

        try
        {
            var updated = await images.UpdateAsync(service_name, _ => changed, "update", CicdAccess.Actor(http),
                CicdAccess.Audit(http, "cicd.image.update", Details(changed)), cancellationToken).ConfigureAwait(false);
            return Results.Ok(new ServiceImageChange(true, $"Image of '{service_name}' is now {updated.Reference} (version {updated.Version})", ServiceImageResponse.From(updated)));
        }
        catch (RecordNotFoundException)
        {
            return NotFound(service_name);
        }
    }

    private static async Task<IResult> Deactivate(HttpContext http, TenantDatabases databases, string service_name, CancellationToken cancellationToken)
    {
        if (CicdAccess.AdminOnly(http) is { } forbidden)
        {
            return forbidden;
        }

        try
        {
            var updated = await databases.For(DemoModeFilter.IsDemo(http)).Images.UpdateAsync(service_name, i => i with { IsActive = false }, "deactivate", CicdAccess.Actor(http),
                CicdAccess.Audit(http, "cicd.image.deactivate", new JsonObject { ["service_name"] = service_name }), cancellationToken).ConfigureAwait(false);
            return Results.Ok(new CicdMessage(true, $"Image of '{service_name}' deactivated (version {updated.Version}); its workloads render with the catalog's image again."));
        }
        catch (RecordNotFoundException)
        {
            return NotFound(service_name);
        }
    }

    private static async Task<IResult> History(HttpContext http, TenantDatabases databases, string service_name, CancellationToken cancellationToken)
    {
        var images = databases.For(DemoModeFilter.IsDemo(http)).Images;
        if (await images.GetAsync(service_name, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return NotFound(service_name);
        }

        var versions = await images.HistoryAsync(service_name, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new ImageHistory(true, service_name, current.Version, [.. versions.Select(v => new ImageVersionResponse(
            v.Version, v.Action, v.Reference, v.ImageName, v.ImageTag, v.RegistryUrl, v.Repository, v.IsActive, v.Actor, v.ChangedAt))]));
    }

    private static async Task<IResult> Rollback(HttpContext http, TenantDatabases databases, string service_name, CancellationToken cancellationToken)
    {
        if (CicdAccess.AdminOnly(http) is { } forbidden)
        {
            return forbidden;
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var fields = new CicdFields(body);
        fields.OnlyKnown(["version"]);
        var version = fields.Number("version", true, 1, int.MaxValue);
        if (!fields.Valid)
        {
            return CicdAccess.Invalid("The rollback is not valid", fields);
        }

        var images = databases.For(DemoModeFilter.IsDemo(http)).Images;
        if (await images.GetAsync(service_name, cancellationToken).ConfigureAwait(false) is null)
        {
            return NotFound(service_name);
        }

        try
        {
            var restored = await images.RollbackAsync(service_name, version!.Value, CicdAccess.Actor(http),
                CicdAccess.Audit(http, "cicd.image.rollback", new JsonObject { ["service_name"] = service_name, ["to_version"] = version }), cancellationToken).ConfigureAwait(false);
            return Results.Ok(new ServiceImageChange(true, $"Image of '{service_name}' rolled back to version {version}: {restored.Reference} (now version {restored.Version})", ServiceImageResponse.From(restored)));
        }
        catch (RecordNotFoundException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Service '{service_name}' has no image version {version}",
                detail: $"See GET /api/v1/cicd/{service_name}/history for its versions.", type: "https://keelson.dev/problems/404");
        }
    }

    private static SortedDictionary<string, int> CountByCategory(IEnumerable<ServiceImage> images) =>
        new(images.GroupBy(i => i.Category).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), StringComparer.Ordinal);

    private static JsonObject Details(ServiceImage image) => new()
    {
        ["service_name"] = image.ServiceName, ["image"] = image.Reference, ["is_active"] = image.IsActive,
    };

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string serviceName) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: $"Service '{serviceName}' has no image",
        detail: "No image is registered for this service in the selected database (X-Demo-Mode chooses demo or production); register one with POST /api/v1/cicd/register.",
        type: "https://keelson.dev/problems/404");
}
