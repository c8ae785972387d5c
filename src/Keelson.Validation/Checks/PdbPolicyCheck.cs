namespace Keelson.Validation.Checks;

/// <summary>A PodDisruptionBudget that sets neither <c>minAvailable</c> nor <c>maxUnavailable</c> states no budget.</summary>
public sealed class PdbPolicyCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "pdb-policy";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "PodDisruptionBudgets set minAvailable or maxUnavailable.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var document = context.Document;
        if (document.Kind != "PodDisruptionBudget" || !KindGroups.IsBuiltInOrCustom(document))
        {
            yield break;
        }

        var spec = CheckContext.Get(document.Node, "spec");
        if (CheckContext.Get(spec, "minAvailable") is null && CheckContext.Get(spec, "maxUnavailable") is null)
        {
            yield return context.Finding(this, spec, "spec", "the budget sets neither minAvailable nor maxUnavailable, so it protects nothing it can name",
                "Set maxUnavailable: 1 (or a minAvailable below the replica count).");
        }
    }
}
