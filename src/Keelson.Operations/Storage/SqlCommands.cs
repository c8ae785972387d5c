using System.Data.Common;

namespace Keelson.Operations.Storage;

/// <summary>Builds parameterized commands and reads nullable columns the same way on both providers.</summary>
internal static class SqlCommands
{
    public static DbCommand Command(this DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public static string? NullableString(this DbDataReader reader, string column)
    {
        var i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? null : reader.GetString(i);
    }

    public static DateTimeOffset Time(this DbDataReader reader, string column) =>
        ToUtc(reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal(column)));

    public static DateTimeOffset? NullableTime(this DbDataReader reader, string column)
    {
        var i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? null : ToUtc(reader.GetFieldValue<DateTimeOffset>(i));
    }

    private static DateTimeOffset ToUtc(DateTimeOffset value) => value.ToUniversalTime();
}
