using System.Text.Json;
using Prometheus;

namespace Keelson.Server;

/// <summary>What every Keelson web application shares: problem details with the request id, snake_case JSON without duplicate members, and HTTP metrics in its registry.</summary>
internal static class HttpBasics
{
    /// <summary>
    /// RFC 7807 problems carrying <c>request_id</c> and a <c>detail</c> (a bad request's own message, else the status's
    /// explanation), route binding failures as 400s, and the JSON conventions of the API; <paramref name="describe"/>
    /// may fill in a problem first (true: it did).
    /// </summary>
    public static void AddProblemsAndJson(IServiceCollection services, Func<ProblemDetailsContext, bool>? describe = null)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["request_id"] = context.HttpContext.TraceIdentifier;
            if (describe?.Invoke(context) == true)
            {
                return;
            }

            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Detail = bad.Message;
            }

            context.ProblemDetails.Detail ??= Http.Problems.DetailOf(context.ProblemDetails);
        });
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DictionaryKeyPolicy = null;
            options.SerializerOptions.AllowDuplicateProperties = false;
        });
    }

    /// <summary>Request counts, durations and in-flight requests, by route and status class, into <paramref name="registry"/>.</summary>
    public static void UseHttpMetrics(IApplicationBuilder app, CollectorRegistry registry) =>
        app.UseHttpMetrics(options =>
        {
            options.InProgress.Registry = registry;
            options.RequestCount.Registry = registry;
            options.RequestDuration.Registry = registry;
            options.ReduceStatusCodeCardinality();
        });
}
