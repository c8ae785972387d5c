using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keelson.Operations;
using Keelson.Operations.Storage;
using Keelson.Operations.Thresholds;
using Keelson.Server.Alerts;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>
/// The ECP-AI UI's threshold settings under <c>/thresholds</c>: the default, the presets, apply, save and list. A setting
/// is database-wide, or a tenant's own with <c>?tenant_id=</c>. Storing or applying a default writes the alert engine's
/// rules for the tenants it governs (<see cref="ThresholdRules"/>), so crossing a threshold raises a real alert.
/// </summary>
public static class ThresholdEndpoints
{
    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapThresholds(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/thresholds/presets", Presets).WithName("ThresholdPresets").WithTags("thresholds")
            .WithSummary("The four SLA presets (basic, standard, premium, enterprise) with their levels and availability targets.")
            .Produces<PresetList>();
        api.MapPost("/thresholds/presets/{preset_name}/apply", Apply).WithName("ApplyThresholdPreset").WithTags("thresholds")
            .WithSummary("Store the preset as the new default setting (of the database, or of ?tenant_id=) and write its alert rules.")
            .Produces<ApplyResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/thresholds/default", Default).WithName("DefaultThresholds").WithTags("thresholds")
            .WithSummary("The setting in force: the tenant's own (?tenant_id=), else the database-wide one, else the built-in defaults (not stored until saved).")
            .Produces<SettingResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/thresholds/", List).WithName("ListThresholds").WithTags("thresholds")
            .WithSummary("Stored settings, defaults first; ?category=, ?active_only=true|false.")
            .Produces<IReadOnlyList<SettingResponse>>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/thresholds/", Create).WithName("CreateThresholds").WithTags("thresholds")
            .WithSummary("Store a setting; with is_default true it replaces the default of its scope and writes its alert rules.")
            .Accepts<SettingRequest>("application/json").Produces<SaveResponse>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapPut("/thresholds/{setting_id}", Replace).WithName("ReplaceThresholds").WithTags("thresholds")
            .WithSummary("Replace a setting (the built-in default's id stores it the first time); a default rewrites its alert rules.")
            .Accepts<SettingRequest>("application/json").Produces<SaveResponse>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapDelete("/thresholds/{setting_id}", Delete).WithName("DeleteThresholds").WithTags("thresholds")
            .WithSummary("Deactivate a setting that is not the default (its alert rules stay until another default is applied).")
            .Produces<DeleteResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        return api;
    }

    /// <summary>The save body, for the OpenAPI document.</summary>
    public sealed record SettingRequest(string Name, string? Description, string? Category, IReadOnlyDictionary<string, ThresholdLevel> Thresholds,
        bool? NotificationsEnabled, bool? EmailEnabled, bool? SmsEnabled, bool? SlackEnabled, bool? IsDefault);

    /// <summary>A setting as the UI reads it (the original's ThresholdSetting plus tenant_id, preset_name and sla_level).</summary>
    public sealed record SettingResponse(long? Id, string SettingId, string? TenantId, string Name, string? Description, string Category,
        IReadOnlyDictionary<string, ThresholdLevel> Thresholds, bool NotificationsEnabled, bool EmailEnabled, bool SmsEnabled, bool SlackEnabled,
        string? CreatedBy, string? UpdatedBy, bool IsActive, bool IsDefault, string? PresetName, double? SlaLevel, bool Stored, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt)
    {
        /// <summary>The response for a stored setting.</summary>
        public static SettingResponse From(ThresholdSetting s) => new(s.Id, s.SettingId, s.TenantId, s.Name, s.Description, s.Category, s.Thresholds,
            s.NotificationsEnabled, s.EmailEnabled, s.SmsEnabled, s.SlackEnabled, null, null, s.IsActive, s.IsDefault, s.PresetName, s.SlaLevel, true, s.CreatedAt, s.UpdatedAt);
    }

    /// <summary>One preset.</summary>
    public sealed record PresetResponse(string Name, string Description, double SlaLevel, IReadOnlyDictionary<string, ThresholdLevel> Thresholds,
        bool NotificationsEnabled, bool EmailEnabled, bool SmsEnabled, bool SlackEnabled);

    /// <summary>The presets by name.</summary>
    public sealed record PresetList(bool Success, IReadOnlyDictionary<string, PresetResponse> Presets, string Message);

    /// <summary>The alert rules a default wrote.</summary>
    public sealed record RulesResponse(IReadOnlyList<string> Tenants, int Written, int Removed, IReadOnlyList<string> Conflicts);

    /// <summary>The answer to applying a preset.</summary>
    public sealed record ApplyResponse(bool Success, string SettingId, string PresetName, double SlaLevel, string Message, IReadOnlyDictionary<string, ThresholdLevel> Thresholds, RulesResponse Rules);

    /// <summary>The answer to a save.</summary>
    public sealed record SaveResponse(bool Success, string SettingId, string Message, bool IsDefault, RulesResponse? Rules);

    /// <summary>The answer to a delete.</summary>
    public sealed record DeleteResponse(bool Success, string SettingId, string Message);

    private static IResult Presets() => Results.Ok(new PresetList(true,
        ThresholdCatalog.Presets.ToImmutableSortedDictionary(p => p.Key, p => PresetOf(p.Value), StringComparer.Ordinal),
        $"{ThresholdCatalog.Presets.Count} presets"));

    private static PresetResponse PresetOf(ThresholdCatalog.Preset p) =>
        new(p.Name, p.Description, p.SlaLevel, p.Thresholds, p.NotificationsEnabled, p.EmailEnabled, p.SmsEnabled, p.SlackEnabled);

    private static async Task<IResult> Apply(HttpContext http, TenantDatabases databases, string preset_name, string? tenant_id, CancellationToken cancellationToken)
    {
        if (!ThresholdCatalog.Presets.TryGetValue(preset_name, out var preset))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Preset '{preset_name}' not found",
                detail: $"The presets are {string.Join(", ", ThresholdCatalog.Presets.Keys)}; GET /api/v1/thresholds/presets lists them.", type: "https://keelson.dev/problems/404");
        }

        var (stores, denied) = await ScopeAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return denied!;
        }

        var setting = await stores.Thresholds.CreateAsync(new ThresholdSetting
        {
            SettingId = $"sla-preset-{preset.Name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}",
            TenantId = tenant_id,
            Name = $"{preset.Name} preset",
            Description = preset.Description,
            Thresholds = preset.Thresholds,
            NotificationsEnabled = preset.NotificationsEnabled,
            EmailEnabled = preset.EmailEnabled,
            SmsEnabled = preset.SmsEnabled,
            SlackEnabled = preset.SlackEnabled,
            PresetName = preset.Name,
            SlaLevel = preset.SlaLevel,
            IsDefault = true,
        }, cancellationToken).ConfigureAwait(false);
        var rules = await WriteRulesAsync(http, stores, setting, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new ApplyResponse(true, setting.SettingId, preset.Name, preset.SlaLevel,
            $"Preset '{preset.Name}' ({preset.SlaLevel}% availability) is the default; {rules.Written} alert rules written for {rules.Tenants.Count} tenants.",
            setting.Thresholds, rules));
    }

    private static async Task<IResult> Default(HttpContext http, TenantDatabases databases, string? tenant_id, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (tenant_id is not null && await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        var current = (tenant_id is null ? null : await stores.Thresholds.DefaultAsync(tenant_id, cancellationToken).ConfigureAwait(false))
            ?? await stores.Thresholds.DefaultAsync(null, cancellationToken).ConfigureAwait(false);
        return Results.Ok(current is not null ? SettingResponse.From(current) : BuiltIn());
    }

    // The original stores this row on first read; Keelson answers it unstored so a GET writes nothing, and stores it on the UI's save (PUT of this id).
    private static SettingResponse BuiltIn() => new(null, ThresholdCatalog.DefaultSettingId, null, "Default monitoring thresholds", "Keelson's built-in levels; not stored until saved.",
        "monitoring", ThresholdCatalog.Defaults, true, false, false, false, null, null, true, true, null, null, false, null, null);

    private static async Task<IResult> List(HttpContext http, TenantDatabases databases, string? category, string? active_only, CancellationToken cancellationToken)
    {
        if (active_only is not null && DemoModeFilter.Parse(active_only) is null)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["active_only"] = [$"active_only must be true or false; got '{active_only}'"] },
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var caller = ApiKeyFilter.CallerOf(http);
        var settings = await databases.For(DemoModeFilter.IsDemo(http)).Thresholds.ListAsync(category, DemoModeFilter.Parse(active_only) ?? true, cancellationToken).ConfigureAwait(false);
        return Results.Ok(settings.Where(s => s.TenantId is null || caller.MayAccess(s.TenantId)).Select(SettingResponse.From).ToList());
    }

    private static async Task<IResult> Create(HttpContext http, TenantDatabases databases, string? tenant_id, CancellationToken cancellationToken)
    {
        var (stores, denied) = await ScopeAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return denied!;
        }

        var (setting, problem) = await ThresholdInput.ReadAsync(http.Request, $"threshold_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}", tenant_id, cancellationToken).ConfigureAwait(false);
        if (setting is null)
        {
            return problem!;
        }

        var created = await stores.Thresholds.CreateAsync(setting, cancellationToken).ConfigureAwait(false);
        var rules = created.IsDefault ? await WriteRulesAsync(http, stores, created, cancellationToken).ConfigureAwait(false) : null;
        return Results.Ok(new SaveResponse(true, created.SettingId, Saved(created, rules), created.IsDefault, rules));
    }

    private static async Task<IResult> Replace(HttpContext http, TenantDatabases databases, string setting_id, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        var current = await stores.Thresholds.GetAsync(setting_id, cancellationToken).ConfigureAwait(false);
        if (current is not { IsActive: true } && setting_id != ThresholdCatalog.DefaultSettingId)
        {
            return SettingNotFound(setting_id);
        }

        var tenant = current?.TenantId;
        var (scoped, denied) = await ScopeAsync(http, databases, tenant, cancellationToken).ConfigureAwait(false);
        if (scoped is null)
        {
            return denied!;
        }

        var (setting, problem) = await ThresholdInput.ReadAsync(http.Request, setting_id, tenant, cancellationToken).ConfigureAwait(false);
        if (setting is null)
        {
            return problem!;
        }

        ThresholdSetting? saved;
        if (current is null)
        {
            saved = await stores.Thresholds.CreateAsync(setting, cancellationToken).ConfigureAwait(false);
        }
        else if (!current.IsActive)
        {
            return SettingNotFound(setting_id);
        }
        else
        {
            saved = await stores.Thresholds.ReplaceAsync(setting, cancellationToken).ConfigureAwait(false);
            if (saved is null)
            {
                return SettingNotFound(setting_id);
            }
        }

        var rules = saved.IsDefault ? await WriteRulesAsync(http, stores, saved, cancellationToken).ConfigureAwait(false) : null;
        return Results.Ok(new SaveResponse(true, saved.SettingId, Saved(saved, rules), saved.IsDefault, rules));
    }

    private static async Task<IResult> Delete(HttpContext http, TenantDatabases databases, string setting_id, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Thresholds.GetAsync(setting_id, cancellationToken).ConfigureAwait(false) is not { IsActive: true } current)
        {
            return SettingNotFound(setting_id);
        }

        var (scoped, denied) = await ScopeAsync(http, databases, current.TenantId, cancellationToken).ConfigureAwait(false);
        if (scoped is null)
        {
            return denied!;
        }

        if (current.IsDefault)
        {
            return Problems.Conflict($"Threshold setting '{setting_id}' is the default",
                "The setting in force cannot be deleted; make another setting the default (save with is_default true, or apply a preset) first.");
        }

        return await stores.Thresholds.DeactivateAsync(setting_id, cancellationToken).ConfigureAwait(false)
            ? Results.Ok(new DeleteResponse(true, setting_id, $"Threshold setting '{setting_id}' deactivated."))
            : SettingNotFound(setting_id);
    }

    // A database-wide setting governs every tenant, so only an admin (or the open demo) may change it; a tenant key may change its tenant's own.
    private static async Task<(OperationsStores? Stores, IResult? Problem)> ScopeAsync(HttpContext http, TenantDatabases databases, string? tenantId, CancellationToken cancellationToken)
    {
        var caller = ApiKeyFilter.CallerOf(http);
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (tenantId is null)
        {
            return caller.Admin
                ? (stores, null)
                : (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Database-wide thresholds need an admin key",
                    detail: $"The key is scoped to tenant '{caller.Tenant}'; add ?tenant_id={caller.Tenant} to change that tenant's own thresholds.", type: "https://keelson.dev/problems/403"));
        }

        if (!caller.MayAccess(tenantId))
        {
            return (null, Problems.Forbidden(caller));
        }

        return await stores.Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is null ? (null, Problems.NotFound(tenantId)) : (stores, null);
    }

    private static async Task<RulesResponse> WriteRulesAsync(HttpContext http, OperationsStores stores, ThresholdSetting setting, CancellationToken cancellationToken)
    {
        var tenants = await VisibleTenants.ListAsync(stores.Tenants, new Caller(true, null), cancellationToken).ConfigureAwait(false);
        var outcome = await ThresholdRules.ApplyAsync(stores, setting, tenants, cancellationToken).ConfigureAwait(false);
        foreach (var tenant in outcome.Tenants)
        {
            await TenantEndpoints.Audit(stores.Audit, http, "thresholds.apply", tenant,
                new JsonObject { ["setting_id"] = setting.SettingId, ["preset_name"] = setting.PresetName }, cancellationToken).ConfigureAwait(false);
        }

        return new RulesResponse(outcome.Tenants, outcome.RulesWritten, outcome.RulesRemoved, outcome.Conflicts);
    }

    private static string Saved(ThresholdSetting setting, RulesResponse? rules) => rules is null
        ? $"Threshold setting '{setting.SettingId}' saved (not the default, so no alert rules changed)."
        : $"Threshold setting '{setting.SettingId}' saved as the default; {rules.Written} alert rules written for {rules.Tenants.Count} tenants.";

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult SettingNotFound(string settingId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: $"Threshold setting '{settingId}' not found",
        detail: "No active setting has this id in the selected database; GET /api/v1/thresholds/ lists them.", type: "https://keelson.dev/problems/404");
}
