using Keelson.Operations.Caching;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Keelson.Operations.Tests.Caching;

/// <summary>The Redis read-through cache against a real redis-server: hits, invalidation on write, and the same stores without it.</summary>
[Collection(RedisTests.Name)]
public sealed class CachedTenantStoreTests(RedisServer redis) : StoreContract(new SqliteTestDatabase())
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string prefix = "test:" + Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer? connection;

    [Fact]
    public async Task A_read_fills_the_cache_for_five_minutes_and_the_next_read_is_served_from_it()
    {
        var (cached, behind, keys) = await StoresAsync();
        await cached.CreateAsync(Tenants.Tenants.Seed("t1"), None);

        var first = await cached.GetAsync("t1", None);
        // Changed behind the cache's back: a cached read cannot see it.
        await behind.UpdateAsync(first! with { Name = "changed underneath" }, None);
        var second = await cached.GetAsync("t1", None);

        Assert.Equal(first, second);
        var ttl = await keys.KeyTimeToLiveAsync(cached.KeyOf("t1"));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), CachedTenantStore.TimeToLive);
    }

    [Fact]
    public async Task An_update_through_the_cache_removes_the_entry_so_the_next_read_sees_it()
    {
        var (cached, _, keys) = await StoresAsync();
        var created = await cached.CreateAsync(Tenants.Tenants.Seed("t1"), None);
        await cached.GetAsync("t1", None);
        Assert.True(await keys.KeyExistsAsync(cached.KeyOf("t1")));

        await cached.UpdateAsync(created with { Status = TenantStatus.Running }, None);

        Assert.False(await keys.KeyExistsAsync(cached.KeyOf("t1")));
        Assert.Equal(TenantStatus.Running, (await cached.GetAsync("t1", None))!.Status);
    }

    [Fact]
    public async Task A_delete_through_the_cache_removes_the_entry()
    {
        var (cached, _, keys) = await StoresAsync();
        await cached.CreateAsync(Tenants.Tenants.Seed("t1"), None);
        await cached.GetAsync("t1", None);

        Assert.True(await cached.DeleteAsync("t1", None));

        Assert.False(await keys.KeyExistsAsync(cached.KeyOf("t1")));
        Assert.Null(await cached.GetAsync("t1", None));
    }

    [Fact]
    public async Task Opened_with_Redis_the_tenant_store_is_cached_and_without_it_it_is_the_plain_store()
    {
        await using (var withCache = await OperationsStores.OpenAsync(Options, new RedisCacheOptions { Connection = redis.Connection, KeyPrefix = prefix }, Clock, null, None))
        {
            Assert.IsType<CachedTenantStore>(withCache.Tenants);
            await withCache.Tenants.CreateAsync(Tenants.Tenants.Seed("t1"), None);
            Assert.NotNull(await withCache.Tenants.GetAsync("t1", None));
        }

        await using var without = await OperationsStores.OpenAsync(Options, null, Clock, null, None);
        Assert.IsType<SqlTenantStore>(without.Tenants);
        Assert.Equal("t1", (await without.Tenants.GetAsync("t1", None))!.TenantId);
        Assert.True(await without.Database.PingAsync(None));
    }

    [Fact]
    public async Task With_Redis_down_reads_and_writes_go_to_the_database()
    {
        var closed = ConfigurationOptions.Parse($"127.0.0.1:{ExternalProcess.FreePort()},connectTimeout=300");
        closed.AbortOnConnectFail = false;
        connection = await ConnectionMultiplexer.ConnectAsync(closed);
        var cached = new CachedTenantStore(new SqlTenantStore(Database), connection.GetDatabase(), prefix, NullLogger<CachedTenantStore>.Instance);

        var created = await cached.CreateAsync(Tenants.Tenants.Seed("t1"), None);
        var updated = await cached.UpdateAsync(created with { Name = "renamed" }, None);

        Assert.Equal("renamed", (await cached.GetAsync("t1", None))!.Name);
        Assert.Equal(2, updated.Version);
        Assert.True(await cached.DeleteAsync("t1", None));
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private async Task<(CachedTenantStore Cached, SqlTenantStore Behind, IDatabase Keys)> StoresAsync()
    {
        connection = await ConnectionMultiplexer.ConnectAsync(redis.Connection);
        var behind = new SqlTenantStore(Database);
        return (new CachedTenantStore(behind, connection.GetDatabase(), prefix, NullLogger<CachedTenantStore>.Instance), behind, connection.GetDatabase());
    }
}
