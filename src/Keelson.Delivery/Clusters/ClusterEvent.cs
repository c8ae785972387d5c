using k8s;
using k8s.Models;

namespace Keelson.Delivery.Clusters;

/// <summary>One change seen by a watch: <c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>, with the object after it.</summary>
public sealed record ClusterEvent(WatchEventType Type, IKubernetesObject<V1ObjectMeta> Resource);
