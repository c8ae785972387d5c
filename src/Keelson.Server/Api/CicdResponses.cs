using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Keelson.Operations.Cicd;

namespace Keelson.Server.Api;

/// <summary>A global CI/CD setting as the ECP-AI UI reads it; credentials appear only as <c>has_&lt;key&gt;: true</c>.</summary>
public sealed record CicdSettingResponse(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("setting_key")] string SettingKey,
    [property: JsonPropertyName("setting_category")] string SettingCategory,
    [property: JsonPropertyName("setting_value")] JsonObject SettingValue,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("is_active")] bool IsActive,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    /// <summary>The response for a stored setting.</summary>
    public static CicdSettingResponse From(CicdSetting s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Key, s.Category, JsonNode.Parse(s.ValueJson)!.AsObject(), s.Description, s.IsActive, s.CreatedAt, s.UpdatedAt);
    }
}

/// <summary>A service image as the ECP-AI UI's image table reads it, plus Keelson's <c>version</c> and full <c>image</c> reference.</summary>
public sealed record ServiceImageResponse(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("service_name")] string ServiceName,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("image_name")] string ImageName,
    [property: JsonPropertyName("image_tag")] string ImageTag,
    [property: JsonPropertyName("registry_url")] string RegistryUrl,
    [property: JsonPropertyName("repository")] string Repository,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("is_active")] bool IsActive,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    /// <summary>The response for a stored image.</summary>
    public static ServiceImageResponse From(ServiceImage i)
    {
        ArgumentNullException.ThrowIfNull(i);
        return new(i.Id, i.ServiceName, i.DisplayName, i.ImageName, i.ImageTag, i.RegistryUrl, i.Repository, i.Category, i.Description, i.IsActive, i.Version, i.Reference, i.CreatedAt, i.UpdatedAt);
    }
}

/// <summary>The answer of register, update, rollback: <c>{success, message, image}</c>.</summary>
public sealed record ServiceImageChange(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("image")] ServiceImageResponse Image);

/// <summary><c>GET /cicd/list</c>: <c>{success, total_count, category_stats, images}</c>.</summary>
public sealed record ServiceImageList(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("total_count")] int TotalCount,
    [property: JsonPropertyName("category_stats")] IReadOnlyDictionary<string, int> CategoryStats,
    [property: JsonPropertyName("images")] IReadOnlyList<ServiceImageResponse> Images);

/// <summary><c>GET /cicd/stats/overview</c>: <c>{success, stats}</c>.</summary>
public sealed record ServiceImageStats(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("stats")] ServiceImageStatsBody Stats);

/// <summary>The figures of the image page's cards.</summary>
public sealed record ServiceImageStatsBody(
    [property: JsonPropertyName("total_images")] int TotalImages,
    [property: JsonPropertyName("active_images")] int ActiveImages,
    [property: JsonPropertyName("inactive_images")] int InactiveImages,
    [property: JsonPropertyName("category_stats")] IReadOnlyDictionary<string, int> CategoryStats,
    [property: JsonPropertyName("recent_images")] IReadOnlyList<RecentImage> RecentImages);

/// <summary>One of the five newest registrations.</summary>
public sealed record RecentImage(
    [property: JsonPropertyName("service_name")] string ServiceName,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

/// <summary><c>GET /cicd/{service_name}/history</c>: every change of the service's image, newest first.</summary>
public sealed record ImageHistory(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("service_name")] string ServiceName,
    [property: JsonPropertyName("current_version")] int CurrentVersion,
    [property: JsonPropertyName("versions")] IReadOnlyList<ImageVersionResponse> Versions);

/// <summary>One version: what the image became, who changed it and when.</summary>
public sealed record ImageVersionResponse(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("image_name")] string ImageName,
    [property: JsonPropertyName("image_tag")] string ImageTag,
    [property: JsonPropertyName("registry_url")] string RegistryUrl,
    [property: JsonPropertyName("repository")] string Repository,
    [property: JsonPropertyName("is_active")] bool IsActive,
    [property: JsonPropertyName("changed_by")] string ChangedBy,
    [property: JsonPropertyName("changed_at")] DateTimeOffset ChangedAt);

/// <summary>A plain <c>{success, message}</c> answer.</summary>
public sealed record CicdMessage(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message);

/// <summary>The image registration form (<c>POST /cicd/register</c>); <c>PUT /cicd/{service_name}</c> takes any of its fields plus <c>is_active</c>.</summary>
public sealed record ServiceImageRequest(
    [property: JsonPropertyName("service_name")] string? ServiceName,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("image_name")] string? ImageName,
    [property: JsonPropertyName("image_tag")] string? ImageTag,
    [property: JsonPropertyName("registry_url")] string? RegistryUrl,
    [property: JsonPropertyName("repository")] string? Repository,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("is_active")] bool? IsActive);

/// <summary>The body of <c>POST /cicd/{service_name}/rollback</c>.</summary>
public sealed record ImageRollbackRequest([property: JsonPropertyName("version")] int Version);

/// <summary>The body of the settings routes: <c>setting_key</c> only on <c>POST</c>; <c>setting_category</c> required to create a key the UI does not know.</summary>
public sealed record CicdSettingRequest(
    [property: JsonPropertyName("setting_key")] string? SettingKey,
    [property: JsonPropertyName("setting_category")] string? SettingCategory,
    [property: JsonPropertyName("setting_value")] JsonObject? SettingValue,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("is_active")] bool? IsActive);

/// <summary>The UI's registry form as "test connection" sends it; members other than these are ignored.</summary>
public sealed record RegistryConnectionRequest(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("registry_type")] string? RegistryType,
    [property: JsonPropertyName("ssl_verify")] bool? SslVerify);

/// <summary>The answer of "test connection": never a success, as nothing was contacted.</summary>
public sealed record RegistryConnectionResult(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("checked")] bool Checked,
    [property: JsonPropertyName("reachable")] bool? Reachable,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("registry")] RegistryConnectionTarget Registry);

/// <summary>The registry address as understood, and whether credentials were provided, stored or absent.</summary>
public sealed record RegistryConnectionTarget(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("scheme")] string Scheme,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("port")] int? Port,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("registry_type")] string? RegistryType,
    [property: JsonPropertyName("credentials")] string Credentials);
