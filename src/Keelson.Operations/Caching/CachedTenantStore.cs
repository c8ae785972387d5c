using System.Text.Json;
using Keelson.Operations.Audit;
using Keelson.Operations.Tenants;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Keelson.Operations.Caching;

/// <summary>A read-through Redis cache in front of a tenant store: single-tenant reads are cached for <see cref="TimeToLive"/>
/// (five minutes, as the seed's cache), and every write through this store removes the entry. If Redis is unreachable, reads and
/// writes go to the store without waiting on Redis timeouts; the time-to-live bounds any staleness that leaves.</summary>
public sealed partial class CachedTenantStore(ITenantStore inner, IDatabase redis, string keyPrefix, ILogger<CachedTenantStore> logger) : ITenantStore
{
    /// <summary>How long an entry lives.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    /// <summary>The Redis key of a tenant; the prefix keeps demo and production apart when they share one Redis.</summary>
    public string KeyOf(string tenantId) => $"{keyPrefix}:tenant:{tenantId}";

    /// <inheritdoc />
    public async Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var key = KeyOf(tenantId);
        if (!redis.Multiplexer.IsConnected)
        {
            // A disconnected Redis would make every read wait for its timeout; the database answers at once.
            return await inner.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var cached = await redis.StringGetAsync(key).ConfigureAwait(false);
            if (cached.HasValue)
            {
                return JsonSerializer.Deserialize((byte[])cached!, TenantCacheJson.Default.TenantRecord);
            }
        }
        catch (RedisException e)
        {
            LogUnavailable(e, "read", key);
        }

        var tenant = await inner.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (tenant is not null)
        {
            try
            {
                await redis.StringSetAsync(key, JsonSerializer.SerializeToUtf8Bytes(tenant, TenantCacheJson.Default.TenantRecord), TimeToLive).ConfigureAwait(false);
            }
            catch (RedisException e)
            {
                LogUnavailable(e, "fill", key);
            }
        }

        return tenant;
    }

    /// <inheritdoc />
    public Task<TenantPage> ListAsync(int offset, int limit, string? search, CancellationToken cancellationToken) =>
        inner.ListAsync(offset, limit, search, cancellationToken);

    /// <inheritdoc />
    public Task<TenantRecord> CreateAsync(TenantRecord tenant, CancellationToken cancellationToken) => CreateAsync(tenant, null, cancellationToken);

    /// <inheritdoc />
    public Task<TenantRecord> UpdateAsync(TenantRecord tenant, CancellationToken cancellationToken) => UpdateAsync(tenant, null, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string tenantId, CancellationToken cancellationToken) => DeleteAsync(tenantId, null, cancellationToken);

    /// <inheritdoc />
    public async Task<TenantRecord> CreateAsync(TenantRecord tenant, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var created = await inner.CreateAsync(tenant, audit, cancellationToken).ConfigureAwait(false);
        await InvalidateAsync(tenant.TenantId).ConfigureAwait(false);
        return created;
    }

    /// <inheritdoc />
    public async Task<TenantRecord> UpdateAsync(TenantRecord tenant, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        try
        {
            return await inner.UpdateAsync(tenant, audit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also on a conflict: the entry may be the stale copy the caller was working from.
            await InvalidateAsync(tenant.TenantId).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> SetStatusAsync(string tenantId, TenantStatus status, CancellationToken cancellationToken)
    {
        var changed = await inner.SetStatusAsync(tenantId, status, cancellationToken).ConfigureAwait(false);
        await InvalidateAsync(tenantId).ConfigureAwait(false);
        return changed;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string tenantId, AuditEntry? audit, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteAsync(tenantId, audit, cancellationToken).ConfigureAwait(false);
        await InvalidateAsync(tenantId).ConfigureAwait(false);
        return deleted;
    }

    private async Task InvalidateAsync(string tenantId)
    {
        var key = KeyOf(tenantId);
        if (!redis.Multiplexer.IsConnected)
        {
            LogUnavailable(null, "invalidate", key);
            return;
        }

        try
        {
            await redis.KeyDeleteAsync(key).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            LogUnavailable(e, "invalidate", key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable to {Operation} {Key}; using the database")]
    private partial void LogUnavailable(Exception? exception, string operation, string key);
}
