using Keelson.Operations.ApiKeys;
using Keelson.Operations.Audit;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.ApiKeys;

/// <summary>What <see cref="SqlApiKeyStore"/> must do, on each provider.</summary>
public abstract class ApiKeyStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_created_key_is_found_by_its_secrets_hash_and_listed_without_it()
    {
        var store = new SqlApiKeyStore(Database);
        var secret = ApiKeySecret.New();
        var expires = Clock.GetUtcNow().AddDays(30);
        var created = await store.CreateAsync(Key("ci deployer", "acme", secret, expires), ApiKeySecret.Hash(secret), Audit("api_key.create"), None);

        var found = await store.FindAsync(ApiKeySecret.Hash(secret), None);
        var listed = await store.ListAsync(None);

        Assert.Equal(Clock.GetUtcNow(), created.CreatedAt);
        Assert.Equal(created, found);
        Assert.Equal(("ci deployer", "acme", expires), (found!.Name, found.TenantId, found.ExpiresAt));
        Assert.Equal(secret[..8], found.Prefix);
        Assert.Equal([created.Id], listed.Select(k => k.Id));
        Assert.Null(await store.FindAsync(ApiKeySecret.Hash(ApiKeySecret.New()), None));
    }

    [Fact]
    public async Task Creating_and_revoking_write_audit_entries_that_never_hold_the_secret()
    {
        var store = new SqlApiKeyStore(Database);
        var secret = ApiKeySecret.New();
        var key = await store.CreateAsync(Key("deployer", "acme", secret, null), ApiKeySecret.Hash(secret), Audit("api_key.create"), None);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var revoked = await store.RevokeAsync(key.Id, Audit("api_key.revoke"), None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await store.RevokeAsync(key.Id, Audit("api_key.revoke"), None);
        var trail = await new SqlAuditLog(Database).ListAsync(null, 0, 10, None);

        Assert.Equal(Clock.GetUtcNow().AddMinutes(-1), revoked!.RevokedAt);
        Assert.Equal(revoked.RevokedAt, again!.RevokedAt);
        Assert.False(revoked.WorksAt(Clock.GetUtcNow()));
        Assert.Equal(["api_key.revoke", "api_key.create"], trail.Select(e => e.Action));
        Assert.All(trail, e => Assert.Equal("acme", e.TenantId));
        Assert.All(trail, e => Assert.DoesNotContain(secret, e.DetailsJson, StringComparison.Ordinal));
        Assert.Null(await store.RevokeAsync("key_0000000000000000", Audit("api_key.revoke"), None));
    }

    [Fact]
    public async Task Admin_keys_have_no_tenant_expiry_is_honoured_and_use_is_recorded()
    {
        var store = new SqlApiKeyStore(Database);
        var secret = ApiKeySecret.New();
        var expires = Clock.GetUtcNow().AddHours(1);
        var key = await store.CreateAsync(Key("ops", null, secret, expires), ApiKeySecret.Hash(secret), Audit("api_key.create"), None);
        Clock.Advance(TimeSpan.FromMinutes(5));

        await store.TouchAsync(key.Id, Clock.GetUtcNow(), None);
        var found = await store.FindAsync(ApiKeySecret.Hash(secret), None);

        Assert.Null(found!.TenantId);
        Assert.Equal(Clock.GetUtcNow(), found.LastUsedAt);
        Assert.True(found.WorksAt(Clock.GetUtcNow()));
        Assert.False(found.WorksAt(expires));
    }

    private static ApiKeyRecord Key(string name, string? tenant, string secret, DateTimeOffset? expires) =>
        new(ApiKeySecret.NewId(), ApiKeySecret.PrefixOf(secret), name, tenant, default, expires, null, null);

    private static AuditEntry Audit(string action) => new() { Actor = "admin", Action = action, DetailsJson = """{"name": "x"}""" };
}

/// <summary>The API key store contract on SQLite.</summary>
public sealed class SqliteApiKeyStoreTests() : ApiKeyStoreContract(new SqliteTestDatabase());

/// <summary>The API key store contract on PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresApiKeyStoreTests(PostgresServer server) : ApiKeyStoreContract(new PostgresTestDatabase(server));
