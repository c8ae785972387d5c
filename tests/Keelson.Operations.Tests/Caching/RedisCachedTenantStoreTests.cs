using Keelson.Operations.Caching;
using Keelson.Operations.Tenants;
using Keelson.Operations.Tests.Storage;
using Keelson.Operations.Tests.Tenants;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Caching;

/// <summary>The whole tenant contract through the Redis cache: with the cache, the store behaves the same as without it.</summary>
[Collection(RedisTests.Name)]
public sealed class RedisCachedTenantStoreTests(RedisServer redis) : TenantStoreContract(new SqliteTestDatabase())
{
    private readonly ConnectionMultiplexer connection = ConnectionMultiplexer.Connect(redis.Connection);
    private readonly string prefix = "contract:" + Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    protected override ITenantStore Store(Keelson.Operations.Storage.Database database) =>
        new CachedTenantStore(new SqlTenantStore(database), connection.GetDatabase(), prefix, NullLogger<CachedTenantStore>.Instance);

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await connection.DisposeAsync();
        await base.DisposeAsync();
    }
}
