namespace Keelson.Sandbox.Server.Protobuf;

/// <summary>A protobuf body or a JSON value that cannot be converted; the message names the field path.</summary>
internal sealed class KubernetesProtobufFormatException(string message) : Exception(message);
