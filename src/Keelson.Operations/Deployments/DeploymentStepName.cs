namespace Keelson.Operations.Deployments;

/// <summary>The steps of a deployment, in the order they run; the numeric value is the step index.</summary>
public enum DeploymentStepName
{
    /// <summary>Validate the rendered objects.</summary>
    Validate,

    /// <summary>Plan sizes and placement.</summary>
    Plan,

    /// <summary>Apply the namespace.</summary>
    Namespace,

    /// <summary>Apply config maps and secrets.</summary>
    Config,

    /// <summary>Apply volumes and claims.</summary>
    Storage,

    /// <summary>Apply deployments, stateful sets, jobs.</summary>
    Workloads,

    /// <summary>Apply services.</summary>
    Services,

    /// <summary>Apply ingresses.</summary>
    Ingress,

    /// <summary>Apply monitoring objects.</summary>
    Monitoring,

    /// <summary>Wait for readiness and check the result.</summary>
    Verify,
}
