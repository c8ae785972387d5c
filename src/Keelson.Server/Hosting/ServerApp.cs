using System.Text.Json;
using Keelson.Server.Api;
using Keelson.Server.Http;
using Prometheus;
using Scalar.AspNetCore;

namespace Keelson.Server;

/// <summary>Builds the orchestrator's web application: configuration, problem details, OpenAPI, health, metrics and the API.</summary>
public static class ServerApp
{
    /// <summary>The application for <paramref name="args"/> (configuration: appsettings.json, <c>KEELSON__…</c> variables, flags).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["request_id"] = context.HttpContext.TraceIdentifier);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DictionaryKeyPolicy = null;
        });
        builder.Services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Keelson orchestrator API";
            document.Info.Description = "ECP-AI compatible tenant API: plan, render, validate and deliver AI call-center platforms.";
            return Task.CompletedTask;
        }));
        builder.Services.AddHealthChecks();

        var app = builder.Build();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHttpMetrics(options => options.ReduceStatusCodeCardinality());

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithOpenApiRoutePattern("/openapi/{documentName}.json").WithTitle("Keelson API"));
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready");
        app.MapMetrics("/metrics");

        var api = app.MapGroup("/api/v1").AddEndpointFilter<DemoModeFilter>().WithTags("tenants");
        api.MapPlanning();
        return app;
    }
}
