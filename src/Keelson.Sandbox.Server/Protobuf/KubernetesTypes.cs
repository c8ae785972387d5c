using System.Collections.Frozen;
using Google.Protobuf.Reflection;
using Apps = K8S.Io.Api.Apps.V1;
using Authentication = K8S.Io.Api.Authentication.V1;
using Authorization = K8S.Io.Api.Authorization.V1;
using AutoscalingV1 = K8S.Io.Api.Autoscaling.V1;
using AutoscalingV2 = K8S.Io.Api.Autoscaling.V2;
using Batch = K8S.Io.Api.Batch.V1;
using Coordination = K8S.Io.Api.Coordination.V1;
using Core = K8S.Io.Api.Core.V1;
using Meta = K8S.Io.Apimachinery.Pkg.Apis.Meta.V1;
using Networking = K8S.Io.Api.Networking.V1;
using Policy = K8S.Io.Api.Policy.V1;
using Rbac = K8S.Io.Api.Rbac.V1;

namespace Keelson.Sandbox.Server.Protobuf;

/// <summary>The table from an apiVersion and kind to the generated message that carries it on the wire.</summary>
internal static class KubernetesTypes
{
    // A proto package does not name its API group, so each generated file is paired with its group/version here.
    private static readonly (FileDescriptor File, string ApiVersion)[] Groups =
    [
        (Core.GeneratedReflection.Descriptor, "v1"),
        (Apps.GeneratedReflection.Descriptor, "apps/v1"),
        (Batch.GeneratedReflection.Descriptor, "batch/v1"),
        (Policy.GeneratedReflection.Descriptor, "policy/v1"),
        (AutoscalingV1.GeneratedReflection.Descriptor, "autoscaling/v1"),
        (AutoscalingV2.GeneratedReflection.Descriptor, "autoscaling/v2"),
        (Networking.GeneratedReflection.Descriptor, "networking.k8s.io/v1"),
        (Rbac.GeneratedReflection.Descriptor, "rbac.authorization.k8s.io/v1"),
        (Coordination.GeneratedReflection.Descriptor, "coordination.k8s.io/v1"),
        (Authorization.GeneratedReflection.Descriptor, "authorization.k8s.io/v1"),
        (Authentication.GeneratedReflection.Descriptor, "authentication.k8s.io/v1"),
    ];

    // Objects and lists: the messages with metadata; PodSpec and friends are never a body's type.
    private static readonly FrozenDictionary<(string ApiVersion, string Kind), MessageDescriptor> Kinds = Groups
        .SelectMany(g => g.File.MessageTypes.Where(m => m.FindFieldByName("metadata") is not null).Select(m => (Key: (g.ApiVersion, m.Name), Message: m)))
        .ToFrozenDictionary(e => e.Key, e => e.Message);

    // The meta types (Status, DeleteOptions, ...) are registered in every group version, as the API server does.
    private static readonly FrozenDictionary<string, MessageDescriptor> MetaKinds =
        Meta.GeneratedReflection.Descriptor.MessageTypes.ToFrozenDictionary(m => m.Name, m => m);

    /// <summary>The message of an apiVersion and kind, or null when the sandbox has no protobuf schema for it.</summary>
    public static MessageDescriptor? Find(string apiVersion, string kind) =>
        Kinds.GetValueOrDefault((apiVersion, kind)) ?? (apiVersion.Length > 0 && MetaKinds.TryGetValue(kind, out var meta) ? meta : null);
}
