using System.Data.Common;
using System.Globalization;
using System.CommandLine;
using Keelson.Operations.Storage;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson db migrate</c>: applies the schema migrations the database lacks and prints them.</summary>
internal static class DbCommand
{
    /// <summary>Where the embedded SQLite database lives when no connection is given.</summary>
    public static readonly string DefaultSqliteFile = Path.Combine(".keelson", "keelson.db");

    public static Command Create(Terminal terminal)
    {
        var command = new Command("db", "Manage the operations database (SQLite or PostgreSQL).");
        command.Subcommands.Add(Migrate(terminal));
        return command;
    }

    private static Command Migrate(Terminal terminal)
    {
        var provider = new Option<string>("--provider") { Description = "sqlite or postgres.", DefaultValueFactory = _ => "sqlite" };
        var connection = new Option<string?>("--connection") { Description = $"SQLite file or connection string (default {DefaultSqliteFile}); PostgreSQL connection string (required)." };
        var command = new Command("migrate", "Apply the schema migrations the database lacks; safe to run while servers start.");
        command.Options.Add(provider);
        command.Options.Add(connection);
        command.SetAction(async (parse, cancellationToken) =>
        {
            DatabaseOptions options;
            try
            {
                var kind = DatabaseOptions.ParseProvider(parse.GetValue(provider)!);
                options = new DatabaseOptions { Provider = kind, Connection = parse.GetValue(connection) ?? (kind == DatabaseProvider.Sqlite ? DefaultSqliteFile : string.Empty) };
                options.Validate();
            }
            catch (ArgumentException e)
            {
                await terminal.Error.WriteLineAsync($"keelson: {e.Message}").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            try
            {
                await using var database = Database.Open(options);
                var applied = await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
                foreach (var migration in applied)
                {
                    await terminal.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"applied {migration.Version} {migration.Name}")).ConfigureAwait(false);
                }

                var latest = Database.Migrations(options.Provider)[^1];
                await terminal.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{options.Provider.ToString().ToLowerInvariant()} database at version {latest.Version} ({applied.Count} applied now)"))
                    .ConfigureAwait(false);
                return KeelsonCli.Ok;
            }
            catch (DbException e)
            {
                // Unreachable server, wrong credentials, unwritable file: the user's environment, said plainly.
                await terminal.Error.WriteLineAsync($"keelson: the {options.Provider.ToString().ToLowerInvariant()} database: {e.Message}").ConfigureAwait(false);
                return KeelsonCli.Findings;
            }
        });
        return command;
    }
}
