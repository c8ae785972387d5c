using System.Threading.RateLimiting;
using Keelson.Console;
using Keelson.Operations.Clusters;
using Keelson.Server.Alerts;
using Keelson.Server.Api;
using Keelson.Server.Http;
using Keelson.Server.Inference;
using Keelson.Server.Monitoring;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;
using Scalar.AspNetCore;

namespace Keelson.Server;

/// <summary>Builds the orchestrator's web application: configuration, problem details, OpenAPI, health, metrics and the API.</summary>
public static class ServerApp
{
    /// <summary>The rate-limiting policy of routes that change state.</summary>
    public const string MutationPolicy = "mutations";

    /// <summary>The application for <paramref name="args"/> (configuration: appsettings.json, <c>KEELSON__…</c> variables, flags).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        HttpBasics.AddProblemsAndJson(builder.Services, context =>
            DependencyFailures.Describe(context, context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DependencyFailures))));
        builder.Services.AddOpenApi("v1", options => options.AddDocumentTransformer(Http.OpenApiConventions.ApplyAsync));
        builder.Services.AddSingleton<TenantDatabases>();
        builder.Services.AddSingleton<Api.ManifestDrafts>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TenantDatabases>());
        builder.Services.AddSingleton<Http.IssuedKeys>();
        builder.Services.AddSingleton<DeploymentClusters>();
        // Before the deployments resume, so they find the saved sandboxes served again.
        builder.Services.AddHostedService(services => services.GetRequiredService<DeploymentClusters>());
        builder.Services.AddSingleton(services =>
        {
            var clusters = services.GetRequiredService<IOptions<ServerOptions>>().Value.Clusters;
            return new ClusterViewCache(
                new ClusterViewCacheOptions { IdleAfter = clusters.ViewIdleAfter, MetricsInterval = clusters.ViewMetricsInterval, Time = services.GetRequiredService<TimeProvider>() },
                services.GetRequiredService<ILogger<ClusterViewCache>>());
        });
        builder.Services.AddSingleton<TenantDeployments>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TenantDeployments>());
        builder.Services.AddSingleton<Monitoring.MetricRetention>();
        builder.Services.AddSingleton<Monitoring.TenantMonitoring>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Monitoring.TenantMonitoring>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AlertEvaluation>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AlertEvaluation>());
        builder.Services.AddHostedService<ThresholdSync>();
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddKeelsonConsole();
        builder.Services.AddSingleton<ModelMetrics>();
        builder.Services.AddSingleton<TenantModels>();
        builder.Services.AddSingleton<IV2Models, RegistryV2Models>();
        builder.Services.Configure<NotificationSettings>(builder.Configuration.GetSection("Keelson:Notifications"));
        builder.Services.AddSingleton<TenantNotifications>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TenantNotifications>());
        builder.Services.Configure<JobSettings>(builder.Configuration.GetSection("Keelson:Jobs"));
        builder.Services.AddSingleton<StackQueueCounts>();
        builder.Services.AddSingleton<TenantJobs>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TenantJobs>());
        builder.Services.AddHealthChecks().AddCheck<TenantDatabases>("databases").AddCheck<DeploymentClusters>("clusters");
        builder.Services.Configure<ServerOptions>(builder.Configuration.GetSection("Keelson"));
        var settings = builder.Configuration.GetSection("Keelson").Get<ServerOptions>() ?? new ServerOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBytes);
        GrpcEndpoint.Add(builder, settings);
        // Browsers on another origin (the ECP-AI web UI's dev server) preflight every call that sends X-Demo-Mode or a key;
        // only origins the configuration names are allowed, and without any the middleware is not installed at all.
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. settings.CorsOrigins])
            .AllowAnyMethod()
            .AllowAnyHeader()
            .WithExposedHeaders(Http.DemoModeFilter.ModeHeader, Http.RequestIdMiddleware.Header, "Location", "Content-Disposition")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(MutationPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.MutationsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.ContentType = "application/problem+json";
                await context.HttpContext.Response.WriteAsJsonAsync(
                    new { type = "https://keelson.dev/problems/429", title = "Too many requests", status = 429, detail = $"At most {settings.MutationsPerMinute} changes per minute per client." },
                    cancellationToken).ConfigureAwait(false);
            };
        });

        var app = builder.Build();
        app.UseMiddleware<RequestIdMiddleware>();
        // A query value that does not bind (?offset=abc) is the caller's error in every environment, named in the detail.
        // An outage of a database or Redis is 503 with Retry-After and the dependency's name (DependencyFailures); the
        // middleware's own error log would print the exception's message, which can name hosts, so it is left out for those.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = DependencyFailures.StatusCodeOf,
            SuppressDiagnosticsCallback = context => DependencyFailures.Classify(context.Exception, null) is not null,
        });
        app.UseStatusCodePages();
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        metrics.Observe(app.Services.GetRequiredService<TenantDatabases>(), app.Services.GetRequiredService<StackQueueCounts>());
        HttpBasics.UseHttpMetrics(app, metrics.Registry);
        if (settings.CorsOrigins.Count > 0)
        {
            app.UseCors();
        }

        app.UseWebSockets();
        app.UseWebSocketOriginCheck();
        app.UseRateLimiter();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithOpenApiRoutePattern("/openapi/{documentName}.json").WithTitle("Keelson API"));
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready");
        app.MapCompatibleHealth();
        // The registry's families, then the alert families whose label names vary by alert (ServerMetrics.AlertsExposition).
        app.MapGet("/metrics", async (HttpContext http, CancellationToken cancellationToken) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(http.Response.Body, ExpositionFormat.PrometheusText, cancellationToken).ConfigureAwait(false);
            await http.Response.WriteAsync(metrics.AlertsExposition(), cancellationToken).ConfigureAwait(false);
        }).ExcludeFromDescription();
        app.MapGet("/metrics/pushed", (Monitoring.TenantMonitoring monitoring) => Results.Text(monitoring.Latest.Exposition(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithName("PushedMetrics").WithTags("monitoring").Produces<string>(StatusCodes.Status200OK, "text/plain").WithSummary("Pushgateway-style: the latest pushed value of every series, labelled tenant and mode.");

        var api = app.MapGroup("/api/v1").AddEndpointFilter<DemoModeFilter>().AddEndpointFilter<ApiKeyFilter>().WithTags("tenants");
        api.MapPlanning();
        api.MapHardware();
        api.MapTenants();
        api.MapTenantLifecycle();
        api.MapPackages();
        api.MapDeployments();
        api.MapMonitoring();
        api.MapAlerts();
        api.MapSilences();
        api.MapNotifications();
        api.MapCicd();
        api.MapOverview();
        api.MapAdvancedMonitoring();
        api.MapAlertsCompat();
        api.MapThresholds();
        api.MapSimulatorHealth();
        api.MapJobs();
        api.MapModels();
        api.MapClusters();
        api.MapSimulations();
        api.MapLoadSpikes();
        api.MapApiKeys();
        api.MapSettings();
        app.MapInference();
        GrpcEndpoint.Map(app, settings);
        app.MapGroup("/ws").AddEndpointFilter<DemoModeFilter>().AddEndpointFilter<ApiKeyFilter>().MapDeploymentStream();
        app.MapMonitoringStream();
        app.MapComponentStream();
        app.MapClusterStream();
        app.MapAlertStream();
        app.MapAdvancedMonitoringStream();
        app.MapKeelsonConsole();
        return app;
    }
}
