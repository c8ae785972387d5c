using System.CommandLine;
using Keelson.Spec.Profiles;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson profiles [NAME]</c>: lists the built-in cluster profiles, or prints one as YAML to copy.</summary>
internal static class ProfilesCommand
{
    public static Command Create(Terminal terminal)
    {
        var name = new Argument<string?>("name") { Description = "Profile to print.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("profiles", "List the built-in cluster profiles or print one.");
        command.Arguments.Add(name);
        command.SetAction(async (parse, _) =>
        {
            if (parse.GetValue(name) is not { } wanted)
            {
                foreach (var profileName in ClusterProfiles.Names)
                {
                    var p = ClusterProfiles.Get(profileName);
                    await terminal.Out.WriteLineAsync($"{p.Name}\t{p.Provider}\tprices {p.PricesAsOf}\tpools: {string.Join(", ", p.Pools.Select(x => $"{x.Name} ({x.Instance.Name})"))}").ConfigureAwait(false);
                }

                return KeelsonCli.Ok;
            }

            if (ClusterProfiles.Find(wanted) is null)
            {
                await terminal.Error.WriteLineAsync($"keelson: no built-in profile '{wanted}'; built-in: {string.Join(", ", ClusterProfiles.Names)}").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            await terminal.Out.WriteAsync(ClusterProfiles.Text(wanted)).ConfigureAwait(false);
            return KeelsonCli.Ok;
        });
        return command;
    }
}
