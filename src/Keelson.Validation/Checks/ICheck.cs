namespace Keelson.Validation.Checks;

/// <summary>A best-practice check on one object. Adding a check means adding one class (and one test class).</summary>
public interface ICheck
{
    /// <summary>Stable id, used in output, configuration and the skip annotation.</summary>
    string Id { get; }

    /// <summary>Severity of its findings unless configured otherwise.</summary>
    Severity Severity { get; }

    /// <summary>One line: what it checks and why.</summary>
    string Description { get; }

    /// <summary>Whether the check runs without being named in a config file; an opt-in check runs once config gives it a severity.</summary>
    bool EnabledByDefault => true;

    /// <summary>Findings for the object in <paramref name="context"/>.</summary>
    IEnumerable<Finding> Run(CheckContext context);
}
