namespace Keelson.Console.Api;

/// <summary>An issued key in <c>GET /api/v1/api-keys</c> (never its secret).</summary>
public sealed record ApiKeyRow(string Id, string Prefix, string Name, string? TenantId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, bool Revoked, DateTimeOffset? RevokedAt);

/// <summary>The answer of <c>GET /api/v1/api-keys</c>.</summary>
public sealed record ApiKeyListView(IReadOnlyList<ApiKeyRow> ApiKeys);

/// <summary>The answer of <c>POST /api/v1/api-keys</c>: the one answer that carries the secret.</summary>
public sealed record CreatedApiKeyView(string Id, string Key, string Prefix, string Name, string? TenantId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>The answer of <c>GET /api/v1/settings</c>.</summary>
public sealed record ServerSettingsView(IReadOnlyList<ConfigurationValueView> Retention, RetentionChangeView? RetentionSet, IReadOnlyList<ClusterConfigurationView>? Clusters, string ApiKeyStore);

/// <summary>Who set the retention through the API, and when.</summary>
public sealed record RetentionChangeView(DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>One configured value and the key that sets it.</summary>
public sealed record ConfigurationValueView(string Key, string Value, string Meaning);

/// <summary>Where one mode's cluster is configured.</summary>
public sealed record ClusterConfigurationView(string Mode, bool Configured, string? Kubeconfig, string? Context, bool InCluster, string Meaning);

/// <summary>A cluster of the mode with what its view said: node counts when it answered, the problem when it did not.</summary>
public sealed record ClusterHealthRow(string Name, string Kind, string? Description, bool Reachable, int Nodes, int ReadyNodes, string? Version, string? Problem);

/// <summary><c>GET /api/v1/clusters/{name}/version</c>.</summary>
public sealed record ClusterVersionView(string Name, string GitVersion);
