namespace Keelson.Operations.Storage;

/// <summary>Which database to open: a provider and its connection (a file path or connection string for SQLite, a connection string for PostgreSQL).</summary>
public sealed record DatabaseOptions
{
    /// <summary>The engine.</summary>
    public required DatabaseProvider Provider { get; init; }

    /// <summary>SQLite: a file path or a <c>Data Source=…</c> connection string. PostgreSQL: an Npgsql connection string.</summary>
    public required string Connection { get; init; }

    /// <summary>Parses a provider name as written in configuration and flags: <c>sqlite</c>, <c>postgres</c> or <c>postgresql</c>.</summary>
    public static DatabaseProvider ParseProvider(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "SQLITE" => DatabaseProvider.Sqlite,
            "POSTGRES" or "POSTGRESQL" => DatabaseProvider.Postgres,
            _ => throw new ArgumentException($"Database provider '{name}' is not known; use 'sqlite' or 'postgres'.", nameof(name)),
        };
    }

    /// <summary>Throws with the field named when the options cannot open a database.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Connection))
        {
            throw new ArgumentException(
                Provider == DatabaseProvider.Sqlite
                    ? "Connection: give the SQLite file path (or a 'Data Source=…' connection string)."
                    : "Connection: give the PostgreSQL connection string, e.g. 'Host=127.0.0.1;Username=keelson;Database=keelson'.",
                nameof(Connection));
        }
    }
}
