using System.Text.Json.Serialization;

namespace Keelson.Server.Api;

/// <summary>
/// The answer of <c>initialize-default-settings</c>, and the defaults it creates: the four settings the UI's forms read,
/// with the UI's own form defaults, except that nothing Keelson does not do (image scanning and signing, log shipping,
/// SonarQube) is switched on, so the status card does not claim it.
/// </summary>
public sealed record CicdDefaults(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("created_count")] int CreatedCount,
    [property: JsonPropertyName("total_settings")] int TotalSettings)
{
    /// <summary>Key, category, description and value of each default.</summary>
    public static readonly IReadOnlyList<(string Key, string Category, string Description, string Value)> Settings =
    [
        ("main_registry", "registry", "Main container registry",
            """{"url": "", "username": "", "is_default": true, "ssl_verify": true, "registry_type": "harbor"}"""),
        ("security_policy", "security", "Image security policy (stored; Keelson does not scan or sign images)",
            """{"enabled": false, "cve_threshold": 7.0, "scan_on_build": false, "block_on_high_cve": false, "malware_scan_enabled": false, "license_check_enabled": false, "image_signing_enabled": false, "cosign_enabled": false, "registry_whitelist_enabled": false, "approved_registries": []}"""),
        ("monitoring_config", "monitoring", "Monitoring (metrics are Keelson's own store; logs are not collected)",
            """{"log_collection_enabled": false, "retention_days": 15, "log_level": "INFO", "slack_notifications": {"enabled": false, "channels": []}, "email_notifications": {"enabled": false, "recipients": []}, "metrics_collection": {"enabled": true}}"""),
        ("devtools_config", "devtools", "Developer tools (stored; Keelson runs no code analysis)",
            """{"sonarqube": {"enabled": false, "quality_gate_required": false, "coverage_threshold": 80}, "automated_testing": {"unit_tests_required": false, "integration_tests_required": false, "e2e_tests_required": false, "coverage_threshold": 70}, "code_analysis": {"eslint_enabled": false, "prettier_enabled": false, "security_scan_enabled": false}}"""),
    ];
}
