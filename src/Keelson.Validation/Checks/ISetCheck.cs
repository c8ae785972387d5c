namespace Keelson.Validation.Checks;

/// <summary>A check across objects: references, budgets, policies. Adding one means adding one class.</summary>
public interface ISetCheck
{
    /// <summary>Stable id.</summary>
    string Id { get; }

    /// <summary>Severity of its findings.</summary>
    Severity Severity { get; }

    /// <summary>One line: what it checks and why.</summary>
    string Description { get; }

    /// <summary>Findings over the whole manifests.</summary>
    IEnumerable<Finding> Run(ManifestSet manifests);
}
