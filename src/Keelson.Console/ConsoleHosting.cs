using Keelson.Console.Api;
using Keelson.Console.Components;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Keelson.Console;

/// <summary>Adds the web console to a host: its services, its browser files, and its pages at <c>/</c>.</summary>
public static class ConsoleHosting
{
    /// <summary>Registers the console's components and the API client its pages call.</summary>
    public static IServiceCollection AddKeelsonConsole(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddFluentUIComponents();
        services.AddHttpClient(KeelsonApi.ClientName, client => client.Timeout = TimeSpan.FromSeconds(100));
        services.AddSingleton<ApiAddress>();
        services.AddScoped<ConsoleSession>();
        services.AddScoped<KeelsonApi>();
        return services;
    }

    /// <summary>Serves the console: <c>/</c> goes to the demo tenants; every page is under <c>/demo/…</c> or <c>/production/…</c>.</summary>
    public static WebApplication MapKeelsonConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        ConsoleAssets.Map(app);
        app.MapGet("/", () => Results.Redirect("/demo/tenants")).ExcludeFromDescription();
        // Pages are interactive over the circuit and post no forms, so there is nothing for antiforgery to check; the
        // middleware is also not in the API's pipeline.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().DisableAntiforgery();
        return app;
    }
}
