using System.Text.RegularExpressions;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Secrets written as plain env values end up in manifests, Git and <c>kubectl describe</c> output.</summary>
public sealed partial class EnvSecretLiteralCheck : ICheck
{
    [GeneratedRegex("(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    /// <inheritdoc/>
    public string Id => "env-secret-literal";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Secret-looking environment variables come from Secrets, not literal values.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        foreach (var c in context.Containers())
        {
            if (CheckContext.Get(c.Node, "env") is not YamlSeq env)
            {
                continue;
            }

            for (var i = 0; i < env.Count; i++)
            {
                var name = CheckContext.Value(env[i], "name") ?? "";
                if (SecretName().IsMatch(name) && CheckContext.Value(env[i], "value") is { Length: > 0 })
                {
                    // The value itself is never repeated in the finding.
                    yield return context.Finding(this, CheckContext.Get(env[i], "value"), $"{c.Path}.env[{i}].value",
                        $"container '{c.Name}' sets {name} as a literal value", "Move it to a Secret and use valueFrom.secretKeyRef.");
                }
            }
        }
    }
}
