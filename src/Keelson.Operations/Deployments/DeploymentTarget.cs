using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;

namespace Keelson.Operations.Deployments;

/// <summary>What one deployment delivers and where, rebuilt from its stored request on every run (rendering is deterministic).</summary>
/// <param name="Cluster">The cluster to deliver to.</param>
/// <param name="Namespace">The namespace holding the stack's inventory.</param>
/// <param name="Objects">The rendered objects.</param>
/// <param name="Checkpoint">Makes the cluster's state durable after a step, when it is not by itself (the embedded sandbox); null for a real cluster.</param>
/// <param name="Capacity">Whether the cluster can hold the objects' pods now, asked in the plan step; null when nothing can tell.</param>
public sealed record DeploymentTarget(
    ICluster Cluster,
    string Namespace,
    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects,
    Func<CancellationToken, Task>? Checkpoint = null,
    Func<CancellationToken, Task<CapacityVerdict>>? Capacity = null);

/// <summary>Whether a cluster can hold a deployment's pods, and a sentence saying so or naming the pool, resource and amount missing.</summary>
public sealed record CapacityVerdict(bool Fits, string Message);

/// <summary>What a deployment does when its cluster cannot hold it (<c>Keelson:Deployments:Capacity</c>).</summary>
public enum CapacityPolicy
{
    /// <summary>Waits in <see cref="DeploymentState.WaitingForCapacity"/>, looking again every retry interval, up to the wait timeout.</summary>
    Wait,

    /// <summary>Fails at once in the plan step with the reason; nothing is applied.</summary>
    Fail,

    /// <summary>Does not look: pods stay pending and the verify step times out, as with plain <c>kubectl apply</c>.</summary>
    Off,
}

/// <summary>Turns a deployment's stored request into its target: plans, renders, and picks the demo or production cluster.</summary>
public interface IDeploymentTargets
{
    /// <summary>The target of <paramref name="deployment"/>; <see cref="DeploymentTargetException"/> when its request cannot be planned or no cluster is configured.</summary>
    Task<DeploymentTarget> ResolveAsync(DeploymentRecord deployment, CancellationToken cancellationToken);
}

/// <summary>A deployment's request cannot be turned into objects, or there is no cluster to deliver them to.</summary>
public sealed class DeploymentTargetException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeploymentTargetException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DeploymentTargetException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DeploymentTargetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
