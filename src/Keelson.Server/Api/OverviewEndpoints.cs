using System.Globalization;
using Keelson.Operations.Tenants;
using Keelson.Server.Http;
using Keelson.Spec.Units;

namespace Keelson.Server.Api;

/// <summary>The ECP-AI statistics route its dashboard calls, <c>GET /api/v1/overview</c>, from the stored tenants and their plans.</summary>
public static class OverviewEndpoints
{
    /// <summary>Maps the route on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapOverview(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/overview", Get).WithName("Overview").WithTags("statistics")
            .WithSummary("Tenant counts, tenants by preset, planned services, and the summed resource limits of running tenants (the ECP-AI dashboard's statistics).")
            .Produces<OverviewResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    /// <summary>The answer: <c>status</c>, <c>timestamp</c> and the <c>overview</c> object the dashboard reads.</summary>
    public sealed record OverviewResponse(string Status, DateTimeOffset Timestamp, Overview Overview);

    /// <summary>The dashboard's figures.</summary>
    /// <param name="TotalTenants">Every tenant the caller sees.</param>
    /// <param name="ActiveTenants">Tenants whose status is running.</param>
    /// <param name="TotalServices">Planned services of every tenant (the original answers a constant 20).</param>
    /// <param name="DeployedServices">Planned services of running tenants.</param>
    /// <param name="TenantsByPreset">Tenants per preset, in preset order, presets with tenants only.</param>
    /// <param name="ResourceUsage">The running tenants' planned limits, summed.</param>
    public sealed record Overview(int TotalTenants, int ActiveTenants, int TotalServices, int DeployedServices, IReadOnlyList<PresetCount> TenantsByPreset, ResourceUsage ResourceUsage);

    /// <summary>How many tenants have a preset.</summary>
    public sealed record PresetCount(string Preset, int Count);

    /// <summary>Summed limits, in the original's units: <c>"&lt;n&gt;m"</c> millicores, <c>"&lt;n&gt;Mi"</c> mebibytes, GPUs.</summary>
    public sealed record ResourceUsage(string TotalCpu, string TotalMemory, int TotalGpu);

    private static readonly string[] PresetOrder = ["micro", "small", "medium", "large"];

    private static async Task<IResult> Get(HttpContext http, TenantDatabases databases, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenants = await VisibleTenants.ListAsync(databases.For(DemoModeFilter.IsDemo(http)).Tenants, ApiKeyFilter.CallerOf(http), cancellationToken).ConfigureAwait(false);
        return Results.Ok(new OverviewResponse("success", time.GetUtcNow(), Summarize(tenants)));
    }

    /// <summary>The overview of <paramref name="tenants"/>.</summary>
    public static Overview Summarize(IReadOnlyList<TenantRecord> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        var running = tenants.Where(t => t.Status == TenantStatus.Running).ToList();
        var cpu = MilliCpu.Zero;
        var memory = ByteSize.Zero;
        var gpus = 0;
        foreach (var tenant in running)
        {
            cpu += tenant.CpuLimit is { } c && MilliCpu.TryParse(c, out var parsedCpu) ? parsedCpu : MilliCpu.Zero;
            memory += tenant.MemoryLimit is { } m && ByteSize.TryParse(m, out var parsedMemory) ? parsedMemory : ByteSize.Zero;
            gpus += tenant.GpuLimit ?? 0;
        }

        var byPreset = tenants.GroupBy(t => t.Preset, StringComparer.Ordinal)
            .OrderBy(g => Array.IndexOf(PresetOrder, g.Key) is var i && i < 0 ? int.MaxValue : i).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PresetCount(g.Key, g.Count())).ToList();
        return new Overview(
            tenants.Count,
            running.Count,
            tenants.Sum(t => TenantResponse.From(t).ServicesCount),
            running.Sum(t => TenantResponse.From(t).ServicesCount),
            byPreset,
            new ResourceUsage(
                string.Create(CultureInfo.InvariantCulture, $"{cpu.Value}m"),
                string.Create(CultureInfo.InvariantCulture, $"{memory.Bytes / (1L << 20)}Mi"),
                gpus));
    }
}
