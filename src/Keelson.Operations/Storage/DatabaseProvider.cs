namespace Keelson.Operations.Storage;

/// <summary>The database engine behind the stores.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file; the default, no set-up.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server through Npgsql; for production and several server replicas.</summary>
    Postgres,
}
