using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json.Nodes;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Notifications;

/// <summary>Silences in the operations database (table <c>silences</c>); matchers stored as Alertmanager's JSON (<c>name</c>, <c>value</c>, <c>isRegex</c>, <c>isEqual</c>).</summary>
public sealed class SqlSilenceStore(Database database) : ISilenceStore
{
    private const string Columns = "id, matchers, starts_at, ends_at, created_by, comment, updated_at";

    /// <inheritdoc />
    public async Task<Silence> CreateAsync(IReadOnlyList<LabelMatcher> matchers, DateTimeOffset startsAt, DateTimeOffset endsAt, string createdBy, string comment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        var dialect = database.Dialect;
        var now = database.Now();
        var silence = new Silence(Guid.CreateVersion7(now).ToString(), [.. matchers], Trim(startsAt), Trim(endsAt), createdBy, comment, now);
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var insert = connection.Command(transaction,
                $"INSERT INTO silences ({Columns}, created_at) VALUES (@id, {dialect.Json("@matchers")}, @starts, @ends, @by, @comment, @now, @now)",
                ("@id", silence.Id), ("@matchers", Write(silence.Matchers)), ("@starts", dialect.Time(silence.StartsAt)), ("@ends", dialect.Time(silence.EndsAt)),
                ("@by", createdBy), ("@comment", comment), ("@now", dialect.Time(now)));
            return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return silence;
    }

    /// <inheritdoc />
    public async Task<Silence?> GetAsync(string id, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM silences WHERE id = @id", cancellationToken, ("@id", id)).ConfigureAwait(false) is [var silence, ..] ? silence : null;

    /// <inheritdoc />
    public Task<IReadOnlyList<Silence>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM silences ORDER BY starts_at DESC, id DESC", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Silence>> CurrentAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM silences WHERE ends_at > @now ORDER BY id", cancellationToken, ("@now", database.Dialect.Time(database.Now())));

    /// <inheritdoc />
    public async Task<Silence?> ExpireAsync(string id, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        var now = database.Now();
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            // Alertmanager: an active silence ends now; a pending one gets start = end = now, so it never mutes.
            await using var update = connection.Command(transaction,
                "UPDATE silences SET starts_at = CASE WHEN starts_at > @now THEN @now ELSE starts_at END, ends_at = @now, updated_at = @now WHERE id = @id AND ends_at > @now",
                ("@id", id), ("@now", dialect.Time(now)));
            return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Matchers in Alertmanager's API form.</summary>
    public static string Write(IEnumerable<LabelMatcher> matchers) =>
        new JsonArray([.. matchers.Select(m => (JsonNode)new JsonObject
        {
            ["name"] = m.Name,
            ["value"] = m.Value,
            ["isRegex"] = m.Type is MatcherType.Regex or MatcherType.NotRegex,
            ["isEqual"] = m.Type is MatcherType.Equal or MatcherType.Regex,
        })]).ToJsonString();

    private static ImmutableArray<LabelMatcher> Read(string json) =>
        [.. JsonNode.Parse(json)!.AsArray().Select(m =>
        {
            var regex = m!["isRegex"]!.GetValue<bool>();
            var equal = m["isEqual"]!.GetValue<bool>();
            var type = (regex, equal) switch { (false, true) => MatcherType.Equal, (false, false) => MatcherType.NotEqual, (true, true) => MatcherType.Regex, _ => MatcherType.NotRegex };
            return LabelMatcher.Create(m["name"]!.GetValue<string>(), type, m["value"]!.GetValue<string>()).Matcher
                ?? throw new FormatException($"Stored matcher {m.ToJsonString()} is not valid.");
        })];

    // Stored times keep whole microseconds (PostgreSQL's precision), so what is returned equals what is read back.
    private static DateTimeOffset Trim(DateTimeOffset t) => t.ToUniversalTime().AddTicks(-(t.UtcTicks % 10));

    private async Task<IReadOnlyList<Silence>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null, sql, parameters);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var silences = new List<Silence>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            silences.Add(ReadSilence(reader));
        }

        return silences;
    }

    private static Silence ReadSilence(DbDataReader reader) => new(
        reader.GetString(0), Read(reader.GetString(1)), reader.Time("starts_at"), reader.Time("ends_at"), reader.GetString(4), reader.GetString(5), reader.Time("updated_at"));
}
