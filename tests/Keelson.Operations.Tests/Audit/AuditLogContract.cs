using System.Text.Json.Nodes;
using Keelson.Operations.Audit;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Audit;

/// <summary>What every <see cref="IAuditLog"/> must do, on each provider.</summary>
public abstract class AuditLogContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Appended_entries_get_increasing_ids_and_list_newest_first()
    {
        var log = new SqlAuditLog(Database);
        var first = await log.AppendAsync(new AuditEntry { Actor = "admin", Action = "tenant.create", TenantId = "a", DetailsJson = """{"preset": "large"}""" }, None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await log.AppendAsync(new AuditEntry { Actor = "admin", Action = "tenant.delete", TenantId = "a" }, None);

        var listed = await log.ListAsync(null, 0, 10, None);

        Assert.True(second.Id > first.Id);
        Assert.Equal([second.Id, first.Id], listed.Select(e => e.Id));
        Assert.Equal(Clock.GetUtcNow(), listed[0].Time);
        Assert.Equal(("admin", "tenant.create", "a"), (listed[1].Actor, listed[1].Action, listed[1].TenantId));
        Assert.Equal("large", JsonNode.Parse(listed[1].DetailsJson)!["preset"]!.GetValue<string>());
        Assert.Equal("{}", listed[0].DetailsJson);
    }

    [Fact]
    public async Task List_filters_by_tenant_and_pages()
    {
        var log = new SqlAuditLog(Database);
        foreach (var tenant in new[] { "a", "b", "a", "a", "b" })
        {
            await log.AppendAsync(new AuditEntry { Actor = "system", Action = "deployment.start", TenantId = tenant }, None);
        }

        var aFirstPage = await log.ListAsync("a", 0, 2, None);
        var aSecondPage = await log.ListAsync("a", 2, 2, None);

        Assert.Equal(2, aFirstPage.Count);
        Assert.Single(aSecondPage);
        Assert.All(aFirstPage.Concat(aSecondPage), e => Assert.Equal("a", e.TenantId));
        Assert.Equal(5, (await log.ListAsync(null, 0, 100, None)).Count);
    }

    [Fact]
    public async Task Secrets_in_details_are_masked_before_they_are_stored()
    {
        var log = new SqlAuditLog(Database);
        await log.AppendAsync(
            new AuditEntry
            {
                Actor = "admin",
                Action = "tenant.update",
                DetailsJson = """{"password": "hunter2", "nested": {"apiKey": "k-123", "keep": "visible"}, "items": [{"Token": "t"}]}""",
            },
            None);

        var stored = (await log.ListAsync(null, 0, 1, None))[0].DetailsJson;

        Assert.DoesNotContain("hunter2", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("k-123", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"t\"", stored, StringComparison.Ordinal);
        Assert.Contains("visible", stored, StringComparison.Ordinal);
    }
}

/// <summary>The audit contract on SQLite.</summary>
public sealed class SqliteAuditLogTests() : AuditLogContract(new SqliteTestDatabase());

/// <summary>The audit contract on PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresAuditLogTests(PostgresServer server) : AuditLogContract(new PostgresTestDatabase(server));
