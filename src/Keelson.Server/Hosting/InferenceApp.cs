using Keelson.Server.Inference;
using Prometheus;

namespace Keelson.Server;

/// <summary>
/// The web application of <c>keelson serve --role inference</c>: one registry model version pulled from a Keelson
/// server (<c>Keelson:Models:Registry</c>, <c>:Tenant</c>, <c>:Model</c>, <c>:Version</c>) and served on the Open
/// Inference Protocol V2 (REST, and gRPC when <c>Keelson:Models:GrpcPort</c> is set), with <c>/metrics</c>. Nothing else: no databases, tenant or deployment APIs, console or workers.
/// </summary>
public static class InferenceApp
{
    /// <summary>The application for <paramref name="args"/>; <see cref="ArgumentException"/> naming the flags missing.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.Configure<ServerOptions>(builder.Configuration.GetSection("Keelson"));
        var settings = builder.Configuration.GetSection("Keelson").Get<ServerOptions>() ?? new ServerOptions();
        Check(settings.Models);
        HttpBasics.AddProblemsAndJson(builder.Services);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<ModelMetrics>();
        builder.Services.AddSingleton<PinnedModel>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PinnedModel>());
        builder.Services.AddSingleton<IV2Models, PinnedV2Models>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBytes);
        GrpcEndpoint.Add(builder, settings);

        var app = builder.Build();
        app.UseMiddleware<Http.RequestIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        HttpBasics.UseHttpMetrics(app, metrics.Registry);
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapPinnedInference();
        GrpcEndpoint.Map(app, settings);
        return app;
    }

    private static void Check(ModelSettings models)
    {
        var missing = new List<string>();
        if (models.Registry is not { Scheme: "http" or "https" })
        {
            missing.Add("--Keelson:Models:Registry URL (the Keelson server holding the model, http:// or https://)");
        }

        if (string.IsNullOrEmpty(models.Tenant))
        {
            missing.Add("--Keelson:Models:Tenant TENANT");
        }

        if (models.Model is not { } model || !Api.ModelEndpoints.IsModelName(model))
        {
            missing.Add("--Keelson:Models:Model NAME (1-63 lowercase letters, digits, '.', '_' or '-')");
        }

        if (missing.Count > 0)
        {
            throw new ArgumentException("The inference role serves one registry model; give " + string.Join(", ", missing) + ".");
        }
    }
}
