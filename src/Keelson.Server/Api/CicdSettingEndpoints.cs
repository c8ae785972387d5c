using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Operations.Cicd;
using Keelson.Operations.Storage;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>
/// The ECP-AI UI's CI/CD settings tabs (<c>CICDManagement.tsx</c>): global settings — registries among them — stored
/// with credentials kept apart, the defaults it asks for when there are none, the status card, and the registry
/// "test connection", answered without contacting the registry.
/// </summary>
public static partial class CicdSettingEndpoints
{
    /// <summary>The categories of the UI's four forms.</summary>
    public static readonly IReadOnlyList<string> Categories = ["registry", "security", "monitoring", "devtools"];

    /// <summary>The registry kinds the UI's form offers.</summary>
    public static readonly IReadOnlyList<string> RegistryTypes = ["harbor", "aws_ecr", "docker_hub", "azure_acr", "gcp_gcr"];

    /// <summary>The keys the UI reads and saves, and their categories: a save of one that does not exist yet creates it.</summary>
    private static readonly Dictionary<string, string> KnownKeys = new(StringComparer.Ordinal)
    {
        ["main_registry"] = "registry", ["security_policy"] = "security", ["monitoring_config"] = "monitoring", ["devtools_config"] = "devtools",
    };

    private const int MaxValueChars = 64 * 1024;

    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapCicdSettings(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/cicd/global-settings", List).WithName("ListCicdSettings").WithTags("cicd")
            .WithSummary("Global CI/CD settings ordered by category and key (category filters; active_only=true by default); credentials show as has_<key>: true.")
            .Produces<List<CicdSettingResponse>>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/cicd/global-settings/{setting_key}", Get).WithName("GetCicdSetting").WithTags("cicd")
            .Produces<CicdSettingResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/cicd/global-settings", Create).WithName("CreateCicdSetting").WithTags("cicd")
            .WithSummary("Create a setting: {setting_key, setting_category, setting_value, description?, is_active?}; a registry is a setting of category registry.")
            .Accepts<CicdSettingRequest>("application/json")
            .Produces<CicdSettingResponse>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapPut("/cicd/global-settings/{setting_key}", Save).WithName("SaveCicdSetting").WithTags("cicd")
            .WithSummary("Change a setting, or create it (the UI's four keys, or any key with setting_category): {setting_value?, description?, is_active?, setting_category?}. A credential left out of setting_value keeps the stored one; \"\" removes it.")
            .Accepts<CicdSettingRequest>("application/json")
            .Produces<CicdSettingResponse>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapDelete("/cicd/global-settings/{setting_key}", Delete).WithName("DeleteCicdSetting").WithTags("cicd")
            .Produces<CicdMessage>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapPost("/cicd/initialize-default-settings", Initialize).WithName("InitializeCicdSettings").WithTags("cicd")
            .WithSummary("Create the UI's four settings (main_registry, security_policy, monitoring_config, devtools_config) where missing, with nothing switched on that Keelson does not do.")
            .Produces<CicdDefaults>().ProducesProblem(StatusCodes.Status403Forbidden).RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/cicd/system-status", Status).WithName("CicdSystemStatus").WithTags("cicd")
            .WithSummary("The CI/CD status card from stored settings and the alert engine; registries are never probed, so their status is unknown.")
            .Produces<JsonObject>();
        api.MapPost("/cicd/test-registry-connection", TestConnection).WithName("TestRegistryConnection").WithTags("cicd")
            .WithSummary("Check a registry form without contacting the registry: the address is parsed and the answer says it was not checked (success false, checked false, reachable null).")
            .Accepts<RegistryConnectionRequest>("application/json")
            .Produces<RegistryConnectionResult>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    private static async Task<IResult> List(HttpContext http, TenantDatabases databases, string? category, string? active_only, CancellationToken cancellationToken)
    {
        if (!CicdAccess.TryFlag(active_only, out var activeOnly))
        {
            return CicdAccess.BadParameter("active_only", active_only);
        }

        // The UI calls "…/global-settings?" with an empty query; an empty category is no filter.
        if (category is { Length: > 0 } && !Categories.Contains(category))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["category"] = [$"'{category}' is not a category; use one of {string.Join(", ", Categories)}"] },
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var settings = await databases.For(DemoModeFilter.IsDemo(http)).CicdSettings
            .ListAsync(category is { Length: > 0 } ? category : null, activeOnly ?? true, cancellationToken).ConfigureAwait(false);
        return Results.Ok(settings.Select(CicdSettingResponse.From).ToList());
    }

    private static async Task<IResult> Get(HttpContext http, TenantDatabases databases, string setting_key, CancellationToken cancellationToken) =>
        await databases.For(DemoModeFilter.IsDemo(http)).CicdSettings.GetAsync(setting_key, cancellationToken).ConfigureAwait(false) is { } setting
            ? Results.Ok(CicdSettingResponse.From(setting))
            : NotFound(setting_key);

    private static Task<IResult> Create(HttpContext http, TenantDatabases databases, CancellationToken cancellationToken) =>
        WriteAsync(http, databases, null, cancellationToken);

    private static Task<IResult> Save(HttpContext http, TenantDatabases databases, string setting_key, CancellationToken cancellationToken) =>
        WriteAsync(http, databases, setting_key, cancellationToken);

    private static async Task<IResult> WriteAsync(HttpContext http, TenantDatabases databases, string? pathKey, CancellationToken cancellationToken)
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

        var create = pathKey is null;
        var fields = new CicdFields(body);
        fields.OnlyKnown(create ? ["setting_key", "setting_category", "setting_value", "description", "is_active"] : ["setting_category", "setting_value", "description", "is_active"]);
        var key = create ? fields.Text("setting_key", true, 100) : pathKey!;
        if (key is not null && !SettingKey().IsMatch(key))
        {
            fields.Fail(create ? "setting_key" : "setting_key (path)", $"'{key}' is not a setting key: 1–100 of lower-case letters, digits, '_', '.', '-', starting with a letter or digit");
        }

        var category = fields.OneOf("setting_category", create, [.. Categories]);
        var value = fields.ObjectMember("setting_value", MaxValueChars);
        if (create && value is null && !fields.Errors.ContainsKey("setting_value"))
        {
            fields.Fail("setting_value", "is required: a JSON object");
        }

        var description = fields.Text("description", false, StackFromRequest.MaxDescriptionLength);
        var active = fields.Bool("is_active");
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        var current = key is null || !fields.Valid ? null : await stores.CicdSettings.GetAsync(key, cancellationToken).ConfigureAwait(false);
        category ??= current?.Category ?? (key is not null && KnownKeys.TryGetValue(key, out var known) ? known : null);
        if (fields.Valid && category is null)
        {
            fields.Fail("setting_category", $"is required to create setting '{key}'; use one of {string.Join(", ", Categories)}");
        }

        if (value is not null && category == "registry")
        {
            CheckRegistry(fields, value);
        }

        if (!fields.Valid)
        {
            return CicdAccess.Invalid("The setting is not valid", fields);
        }

        var audit = CicdAccess.Audit(http, create || current is null ? "cicd.setting.create" : "cicd.setting.update", new JsonObject { ["setting_key"] = key, ["setting_category"] = category });
        try
        {
            var (saved, created) = await stores.CicdSettings.SaveAsync(new CicdSettingChange(key!, category, value?.ToJsonString(), description, active), create, false, audit, cancellationToken).ConfigureAwait(false);
            var response = CicdSettingResponse.From(saved);
            return create ? Results.Created($"/api/v1/cicd/global-settings/{saved.Key}", response) : Results.Ok(response);
        }
        catch (DuplicateCicdSettingException e)
        {
            return Problems.Conflict($"Setting '{key}' exists already", e.Message);
        }
    }

    private static async Task<IResult> Delete(HttpContext http, TenantDatabases databases, string setting_key, CancellationToken cancellationToken)
    {
        if (CicdAccess.AdminOnly(http) is { } forbidden)
        {
            return forbidden;
        }

        var deleted = await databases.For(DemoModeFilter.IsDemo(http)).CicdSettings
            .DeleteAsync(setting_key, CicdAccess.Audit(http, "cicd.setting.delete", new JsonObject { ["setting_key"] = setting_key }), cancellationToken).ConfigureAwait(false);
        return deleted ? Results.Ok(new CicdMessage(true, $"Setting '{setting_key}' deleted, with its credentials.")) : NotFound(setting_key);
    }

    private static async Task<IResult> Initialize(HttpContext http, TenantDatabases databases, CancellationToken cancellationToken)
    {
        if (CicdAccess.AdminOnly(http) is { } forbidden)
        {
            return forbidden;
        }

        var settings = databases.For(DemoModeFilter.IsDemo(http)).CicdSettings;
        var created = 0;
        foreach (var (key, category, description, value) in CicdDefaults.Settings)
        {
            try
            {
                await settings.SaveAsync(new CicdSettingChange(key, category, value, description, true), true, false,
                    CicdAccess.Audit(http, "cicd.setting.create", new JsonObject { ["setting_key"] = key, ["default"] = true }), cancellationToken).ConfigureAwait(false);
                created++;
            }
            catch (DuplicateCicdSettingException)
            {
                // Kept as it is: defaults never overwrite a saved setting.
            }
        }

        return Results.Ok(new CicdDefaults($"{created} of {CicdDefaults.Settings.Count} default CI/CD settings created; existing ones were left as they are.", created, CicdDefaults.Settings.Count));
    }

    private static async Task<IResult> Status(HttpContext http, TenantDatabases databases, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        var settings = await stores.CicdSettings.ListAsync(null, true, cancellationToken).ConfigureAwait(false);
        var firing = (await stores.AlertRules.ActiveAsync(null, cancellationToken).ConfigureAwait(false)).Count(a => a.State.Phase == Operations.Alerts.AlertPhase.Firing);
        return Results.Ok(CicdStatus.Of(settings, firing));
    }

    private static async Task<IResult> TestConnection(HttpContext http, TenantDatabases databases, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        // The form may carry anything the stored setting held; only what a connection needs is checked. Nothing is stored.
        var fields = new CicdFields(body);
        var url = fields.Text("url", true, 255);
        var type = fields.OneOf("registry_type", false, [.. RegistryTypes]);
        var password = fields.Text("password", false, 1024);
        RegistryAddress? address = null;
        if (url is not null)
        {
            (address, var error) = RegistryAddress.Parse(url);
            if (error is not null)
            {
                fields.Fail("url", error);
            }
        }

        if (!fields.Valid)
        {
            return CicdAccess.Invalid("The registry form is not valid", fields);
        }

        var stored = await databases.For(DemoModeFilter.IsDemo(http)).CicdSettings.SecretAsync("main_registry", "password", cancellationToken).ConfigureAwait(false);
        var credentials = password is { Length: > 0 } ? "provided" : stored is not null ? "stored" : "none";
        return Results.Ok(new RegistryConnectionResult(false, false, null,
            $"Not checked: Keelson's API server does not contact registries. The address is well-formed ({address!.Scheme}://{address.Prefix}); " +
            $"check it where images are pulled, e.g. `docker login {address.Prefix}` or `crane catalog {address.Prefix}`.",
            new RegistryConnectionTarget(url!, address.Scheme, address.Host, address.Port, address.Path, type, credentials)));
    }

    private static void CheckRegistry(CicdFields fields, JsonObject value)
    {
        if (value["url"] is JsonValue url && url.GetValueKind() == JsonValueKind.String && url.GetValue<string>() is { Length: > 0 } text && RegistryAddress.Parse(text).Error is { } error)
        {
            fields.Fail("setting_value.url", error);
        }

        if (value["registry_type"] is JsonValue type && (type.GetValueKind() != JsonValueKind.String || !RegistryTypes.Contains(type.GetValue<string>())))
        {
            fields.Fail("setting_value.registry_type", $"must be one of {string.Join(", ", RegistryTypes)}");
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string key) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: $"Setting '{key}' not found",
        detail: "No CI/CD setting has this key in the selected database; PUT /api/v1/cicd/global-settings/{setting_key} with setting_category creates it.",
        type: "https://keelson.dev/problems/404");

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,99}$")]
    private static partial Regex SettingKey();
}
