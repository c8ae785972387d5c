using Keelson.Planning;

namespace Keelson.Server.Api;

/// <summary><c>POST /tenants/calculate-detailed-hardware</c>: the ECP-AI hardware calculator, answered by Keelson's planner on both price lists.</summary>
public static class HardwareEndpoints
{
    /// <summary>Maps the route on the <c>/api/v1</c> group (before <c>/tenants/{tenant_id}</c> routes matter: a literal segment always wins).</summary>
    public static RouteGroupBuilder MapHardware(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/tenants/calculate-detailed-hardware", Calculate)
            .WithName("CalculateDetailedHardware")
            .WithSummary("The ECP-AI hardware calculator: servers by role from the plan's node pools, the same services planned on aws-gpu and ncp with monthly cost, and per-service replicas. "
                + "Flat body of sessions per service (0 = not used); gpu_type, tenancy_mode and cloud_provider in the body or the query string.")
            .Accepts<Dictionary<string, object>>("application/json")
            .Produces<HardwareCalculation>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static async Task<IResult> Calculate(HttpContext http, string? gpu_type, string? tenancy_mode, string? cloud_provider, CancellationToken cancellationToken)
    {
        var (body, problem) = await Http.JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var (request, errors) = FlatServiceBody.Read(body, PlanningEndpoints.CalculationTenant, new QueryOptions(gpu_type, tenancy_mode, cloud_provider));
        if (request is null)
        {
            return FlatServiceBody.Invalid("The hardware request is not valid", errors);
        }

        var (stack, invalid) = FlatServiceBody.Build(request);
        if (stack is null)
        {
            return FlatServiceBody.Invalid("The hardware request is not valid", invalid);
        }

        var (main, unplannable) = FlatServiceBody.Plan(stack);
        if (main is null)
        {
            return FlatServiceBody.Invalid("The services cannot be planned on their cluster", unplannable);
        }

        // The comparison plans the very same request on each price list; a cloud without the pinned GPU has no list.
        var (aws, awsUnavailable) = On(request, "aws", main);
        var (ncp, ncpUnavailable) = On(request, "ncp", main);
        return Results.Ok(HardwareCalculation.From(request, main, new CloudPlan(aws, awsUnavailable), new CloudPlan(ncp, ncpUnavailable)));
    }

    private static (Plan? Plan, string? Unavailable) On(TenantRequest request, string cloud, Plan main)
    {
        if (main.Spec.Cluster.Name == StackFromRequest.ProfileOfCloud(cloud))
        {
            return (main, null);
        }

        var (stack, errors) = FlatServiceBody.Build(request with { CloudProvider = cloud });
        if (stack is null)
        {
            return (null, Describe(errors));
        }

        var (plan, problems) = FlatServiceBody.Plan(stack);
        return plan is null ? (null, $"the services cannot be planned on {stack.Cluster.Name}: {Describe(problems)}") : (plan, null);
    }

    private static string Describe(Dictionary<string, string[]> errors) =>
        string.Join("; ", errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
