namespace Keelson.Operations.Deployments;

/// <summary>What a deployment does with the tenant's rendered objects; every action runs the same durable steps.</summary>
public enum DeploymentAction
{
    /// <summary>Deliver the objects as planned.</summary>
    Deploy,

    /// <summary>Deliver them with every Deployment and StatefulSet at zero replicas (autoscalers pause at zero); everything else stays.</summary>
    Stop,

    /// <summary>Deliver them as planned again, restoring the planned replicas after a stop.</summary>
    Start,

    /// <summary>Deliver them with a new pod-template restart stamp, as <c>kubectl rollout restart</c> does.</summary>
    Restart,
}
