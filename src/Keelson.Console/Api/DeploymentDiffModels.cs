namespace Keelson.Console.Api;

/// <summary>The answer of <c>GET /api/v1/deployments/{id}/diff</c>: what a revision changed against another.</summary>
public sealed record DeploymentDiffView(string DeploymentId, int Revision, DeploymentRevisionView? Against, DeploymentDiffSummaryView Summary, IReadOnlyList<ObjectChangeView> Objects);

/// <summary>The revision a diff is taken against.</summary>
public sealed record DeploymentRevisionView(string DeploymentId, int Revision, string Action);

/// <summary>How many objects were added, removed, changed and left alone.</summary>
public sealed record DeploymentDiffSummaryView(int Added, int Removed, int Changed, int Unchanged);

/// <summary>One object's change with its unified YAML diff.</summary>
public sealed record ObjectChangeView(string ApiVersion, string Kind, string? Namespace, string Name, string Change, string Diff);
