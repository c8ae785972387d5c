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

    public static DateTimeOffset Time(this DbDataReader reader, string column) => reader.Time(reader.GetOrdinal(column));

    /// <summary>
    /// The time in a column: SQLite's text in the exact form <see cref="SqlDialect"/> writes is read by position (the
    /// provider's general parser is the cost of a large read), anything else by the provider.
    /// </summary>
    public static DateTimeOffset Time(this DbDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(string) && TryParseStored(reader.GetString(ordinal), out var stored)
            ? stored
            : ToUtc(reader.GetFieldValue<DateTimeOffset>(ordinal));

    public static DateTimeOffset? NullableTime(this DbDataReader reader, string column)
    {
        var i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? null : ToUtc(reader.GetFieldValue<DateTimeOffset>(i));
    }

    private static DateTimeOffset ToUtc(DateTimeOffset value) => value.ToUniversalTime();

    // yyyy-MM-ddTHH:mm:ss.fffffffZ, 28 characters.
    private static bool TryParseStored(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 28 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[27] != 'Z')
        {
            return false;
        }

        int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2), hour = Digits(text, 11, 2), minute = Digits(text, 14, 2),
            second = Digits(text, 17, 2), ticks = Digits(text, 20, 7);
        if ((year | month | day | hour | minute | second | ticks) < 0 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)
            || year < 1 || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks), TimeSpan.Zero);
        return true;
    }

    private static int Digits(ReadOnlySpan<char> text, int start, int count)
    {
        var value = 0;
        foreach (var c in text.Slice(start, count))
        {
            if (c is < '0' or > '9')
            {
                return -1;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
