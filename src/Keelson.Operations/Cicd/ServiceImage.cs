namespace Keelson.Operations.Cicd;

/// <summary>The image a service runs (the ECP-AI UI's image registration), at its current version.</summary>
public sealed record ServiceImage
{
    /// <summary>The categories the ECP-AI UI offers.</summary>
    public static readonly IReadOnlyList<string> Categories = ["main", "ai_nlp", "analytics", "infrastructure", "data", "specialized"];

    /// <summary>Assigned by the store.</summary>
    public long Id { get; init; }

    /// <summary>The service, unique: for a catalog AI service (<c>callbot</c>, <c>stt</c>, ...) the image its workloads render with.</summary>
    public required string ServiceName { get; init; }

    /// <summary>Shown in lists.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The image's name within the repository, e.g. <c>callbot</c>.</summary>
    public required string ImageName { get; init; }

    /// <summary>The tag, e.g. <c>1.2.0</c>.</summary>
    public required string ImageTag { get; init; }

    /// <summary>The registry host (and port), e.g. <c>harbor.ecp-ai.com</c>.</summary>
    public required string RegistryUrl { get; init; }

    /// <summary>The repository path within the registry; may be empty.</summary>
    public required string Repository { get; init; }

    /// <summary>One of <see cref="Categories"/>.</summary>
    public required string Category { get; init; }

    /// <summary>Free text.</summary>
    public string? Description { get; init; }

    /// <summary>Deactivated images stay on record but are not rendered.</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>1 when registered, one more on every change; the history has one entry per version.</summary>
    public int Version { get; init; }

    /// <summary>When it was registered.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The image reference a container runs: <c>registry/repository/name:tag</c> (a URL scheme on the registry dropped, an empty repository left out).</summary>
    public string Reference => ReferenceOf(RegistryUrl, Repository, ImageName, ImageTag);

    /// <summary>The reference of these parts.</summary>
    public static string ReferenceOf(string registryUrl, string repository, string imageName, string imageTag)
    {
        ArgumentNullException.ThrowIfNull(registryUrl);
        var registry = registryUrl.Contains("://", StringComparison.Ordinal) ? registryUrl[(registryUrl.IndexOf("://", StringComparison.Ordinal) + 3)..] : registryUrl;
        var parts = new[] { registry.TrimEnd('/'), repository?.Trim('/') ?? "", imageName }.Where(p => p.Length > 0);
        return $"{string.Join('/', parts)}:{imageTag}";
    }
}

/// <summary>One recorded change of a service's image: what it became, who changed it and when.</summary>
/// <param name="ServiceName">The service.</param>
/// <param name="Version">The image version this change made.</param>
/// <param name="Action"><c>register</c>, <c>update</c>, <c>deactivate</c> or <c>rollback</c>.</param>
/// <param name="ImageName">The image name after the change.</param>
/// <param name="ImageTag">The tag after the change.</param>
/// <param name="RegistryUrl">The registry after the change.</param>
/// <param name="Repository">The repository after the change.</param>
/// <param name="IsActive">Whether the image was active after the change.</param>
/// <param name="Actor">Who: <c>admin</c> or the key's name.</param>
/// <param name="ChangedAt">When.</param>
public sealed record ImageVersion(
    string ServiceName, int Version, string Action, string ImageName, string ImageTag, string RegistryUrl, string Repository, bool IsActive, string Actor, DateTimeOffset ChangedAt)
{
    /// <summary>The image reference of this version.</summary>
    public string Reference => ServiceImage.ReferenceOf(RegistryUrl, Repository, ImageName, ImageTag);
}

/// <summary>A service has an image registered already (active or not).</summary>
public sealed class DuplicateServiceImageException(string serviceName) : Exception($"An image for service '{serviceName}' is registered already; change it with PUT.")
{
    /// <summary>The service.</summary>
    public string ServiceName { get; } = serviceName;
}
