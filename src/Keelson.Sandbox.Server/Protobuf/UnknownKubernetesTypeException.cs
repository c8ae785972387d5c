namespace Keelson.Sandbox.Server.Protobuf;

/// <summary>An apiVersion and kind with no protobuf schema in the sandbox (a custom resource, or a group not generated).</summary>
internal sealed class UnknownKubernetesTypeException(string apiVersion, string kind)
    : Exception($"there is no protobuf schema for {(apiVersion.Length == 0 ? "(no apiVersion)" : apiVersion)}/{(kind.Length == 0 ? "(no kind)" : kind)} in the sandbox; send it as application/json")
{
    /// <summary>The apiVersion the body or object named.</summary>
    public string ApiVersion { get; } = apiVersion;

    /// <summary>The kind the body or object named.</summary>
    public string Kind { get; } = kind;
}
