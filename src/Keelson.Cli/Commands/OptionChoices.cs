using System.CommandLine;

namespace Keelson.Cli.Commands;

/// <summary>Restricts an option to fixed values with an error that names the option, the value given and every value allowed.</summary>
internal static class OptionChoices
{
    /// <summary>Accept only <paramref name="allowed"/> (offered as completions too).</summary>
    public static Option<string> OnlyFrom(this Option<string> option, params string[] allowed)
    {
        option.CompletionSources.Add(allowed);
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !allowed.Contains(t.Value, StringComparer.Ordinal)))
            {
                result.AddError($"{option.Name} '{token.Value}' is not allowed; use one of {string.Join(", ", allowed)}");
            }
        });
        return option;
    }
}
