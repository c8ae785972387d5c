namespace Keelson.Operations.Cicd;

/// <summary>
/// A global CI/CD setting (the ECP-AI UI's registry, security, monitoring and devtools forms). <see cref="ValueJson"/>
/// never holds a credential: each secret is kept apart and shown only as <c>has_&lt;key&gt;: true</c> beside where it was.
/// </summary>
public sealed record CicdSetting
{
    /// <summary>Assigned by the store, increasing.</summary>
    public long Id { get; init; }

    /// <summary>The setting's unique key, e.g. <c>main_registry</c>.</summary>
    public required string Key { get; init; }

    /// <summary><c>registry</c>, <c>security</c>, <c>monitoring</c> or <c>devtools</c>; a registry is a setting of category <c>registry</c>.</summary>
    public required string Category { get; init; }

    /// <summary>The value as a JSON object, credentials removed and marked.</summary>
    public required string ValueJson { get; init; }

    /// <summary>Free text.</summary>
    public string? Description { get; init; }

    /// <summary>Inactive settings are left out of lists unless asked for.</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>When it was first stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A change to a setting: the new value (credentials included, the store separates them) and any of the other fields.</summary>
/// <param name="Key">The setting's key.</param>
/// <param name="Category">Its category; required when the setting does not exist yet, ignored otherwise unless given.</param>
/// <param name="ValueJson">The new value as a JSON object; null keeps the stored one.</param>
/// <param name="Description">The new description; null keeps the stored one.</param>
/// <param name="IsActive">The new state; null keeps the stored one (true for a new setting).</param>
public sealed record CicdSettingChange(string Key, string? Category, string? ValueJson, string? Description, bool? IsActive);
