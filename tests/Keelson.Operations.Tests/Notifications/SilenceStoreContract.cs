using Keelson.Operations.Notifications;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Notifications;

/// <summary>Silences on a real database: round trip of every matcher type, current ones, expiry of active and pending silences.</summary>
public abstract class SilenceStoreContract(TestDatabase target) : StoreContract(target)
{
    private static LabelMatcher M(string name, MatcherType type, string value) => LabelMatcher.Create(name, type, value).Matcher!;

    [Fact]
    public async Task Silences_round_trip_and_expire_like_alertmanager()
    {
        var store = new SqlSilenceStore(Database);
        var now = Clock.GetUtcNow();
        LabelMatcher[] matchers = [M("tenant", MatcherType.Equal, "acme"), M("severity", MatcherType.NotEqual, "critical"), M("instance", MatcherType.Regex, "web-.*"), M("job", MatcherType.NotRegex, "batch|cron")];
        var active = await store.CreateAsync(matchers, now.AddMinutes(-1), now.AddHours(2), "ops@example.com", "maintenance", default);
        var pending = await store.CreateAsync([M("tenant", MatcherType.Equal, "shop")], now.AddHours(1), now.AddHours(3), "ops", "", default);
        var ended = await store.CreateAsync([M("tenant", MatcherType.Equal, "old")], now.AddMinutes(-1), now.AddMinutes(1), "ops", "", default);

        var again = new SqlSilenceStore(OpenAnother());
        Assert.Equal(active, await again.GetAsync(active.Id, default));
        Assert.Equal(matchers, (await again.GetAsync(active.Id, default))!.Matchers);
        Assert.Null(await again.GetAsync("nope", default));
        Assert.Equal(3, (await again.ListAsync(default)).Count);

        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new[] { active.Id, pending.Id }.Order(StringComparer.Ordinal), (await again.CurrentAsync(default)).Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal(SilenceState.Expired, (await again.GetAsync(ended.Id, default))!.StateAt(Clock.GetUtcNow()));

        var expired = await again.ExpireAsync(active.Id, default);
        Assert.Equal(SilenceState.Expired, expired!.StateAt(Clock.GetUtcNow()));
        Assert.Equal(Clock.GetUtcNow(), expired.EndsAt);
        Assert.Equal(active.StartsAt, expired.StartsAt);

        var never = await again.ExpireAsync(pending.Id, default);
        Assert.Equal((Clock.GetUtcNow(), Clock.GetUtcNow()), (never!.StartsAt, never.EndsAt));
        Assert.Empty(await again.CurrentAsync(default));
        Assert.Null(await again.ExpireAsync("nope", default));
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteSilenceStoreTests() : SilenceStoreContract(new SqliteTestDatabase());

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresSilenceStoreTests(PostgresServer server) : SilenceStoreContract(new PostgresTestDatabase(server));
