using Keelson.Operations.Deployments;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Deployments;

/// <summary>What every <see cref="IDeploymentStore"/> must do, on each provider: records, steps, and the per-tenant lease.</summary>
public abstract class DeploymentStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Create_assigns_new_ids_and_increasing_revisions_per_tenant()
    {
        var store = await WithTenantsAsync("a", "b");

        var a1 = await store.CreateAsync("a", "{}", null, None);
        var a2 = await store.CreateAsync("a", "{}", null, None);
        var b1 = await store.CreateAsync("b", "{}", null, None);

        Assert.Equal((1, 2, 1), (a1.Revision, a2.Revision, b1.Revision));
        Assert.NotEqual(a1.Id, a2.Id);
        Assert.True(Guid.TryParse(a1.Id, out _));
        Assert.Equal(DeploymentState.Pending, a1.State);
        Assert.Equal(a1, await store.GetAsync(a1.Id, None));
        Assert.Equal([a2.Id, a1.Id], (await store.ListForTenantAsync("a", None)).Select(d => d.Id));
    }

    [Fact]
    public async Task Concurrent_creates_for_one_tenant_get_distinct_revisions()
    {
        await WithTenantsAsync("a");
        var replicas = Enumerable.Range(0, 4).Select(_ => new SqlDeploymentStore(OpenAnother())).ToList();

        var created = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.CreateAsync("a", "{}", null, None))));

        Assert.Equal([1, 2, 3, 4], created.Select(d => d.Revision).Order());
    }

    [Fact]
    public async Task The_action_is_stored_and_read_back_and_defaults_to_deploy()
    {
        var store = await WithTenantsAsync("a");
        var deploy = await store.CreateAsync("a", "{}", null, None);
        var stop = await store.CreateAsync("a", "{}", null, DeploymentAction.Stop, None);

        Assert.Equal((DeploymentAction.Deploy, DeploymentAction.Stop), (deploy.Action, stop.Action));
        Assert.Equal(DeploymentAction.Stop, (await store.GetAsync(stop.Id, None))!.Action);
        Assert.Equal([DeploymentAction.Stop, DeploymentAction.Deploy], (await store.ListForTenantAsync("a", None)).Select(d => d.Action));
    }

    [Fact]
    public async Task Create_for_an_unknown_tenant_throws_RecordNotFoundException()
    {
        var store = await WithTenantsAsync();
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.CreateAsync("nobody", "{}", null, None));
    }

    [Fact]
    public async Task UpdateState_sets_state_error_and_time()
    {
        var store = await WithTenantsAsync("a");
        var created = await store.CreateAsync("a", "{}", null, None);
        Clock.Advance(TimeSpan.FromSeconds(42));

        var failed = await store.UpdateStateAsync(created.Id, DeploymentState.Failed, "workloads: image pull failed", None);

        Assert.Equal(created with { State = DeploymentState.Failed, Error = "workloads: image pull failed", UpdatedAt = Clock.GetUtcNow() }, failed);
        Assert.Equal(failed, await store.GetAsync(created.Id, None));
        Assert.Equal(DeploymentState.RolledBack, (await store.UpdateStateAsync(created.Id, DeploymentState.RolledBack, null, None)).State);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.UpdateStateAsync(Guid.NewGuid().ToString(), DeploymentState.Running, null, None));
    }

    [Fact]
    public async Task Steps_round_trip_in_index_order_and_upsert_replaces_by_index()
    {
        var store = await WithTenantsAsync("a");
        var deployment = await store.CreateAsync("a", "{}", null, None);
        var started = Clock.GetUtcNow();
        foreach (var name in Enum.GetValues<DeploymentStepName>().Reverse())
        {
            await store.UpsertStepAsync(new DeploymentStep { DeploymentId = deployment.Id, Index = (int)name, Name = name, State = DeploymentStepState.Pending }, None);
        }

        var running = new DeploymentStep { DeploymentId = deployment.Id, Index = 2, Name = DeploymentStepName.Namespace, State = DeploymentStepState.Running, StartedAt = started };
        await store.UpsertStepAsync(running, None);
        Clock.Advance(TimeSpan.FromSeconds(2));
        var done = running with { State = DeploymentStepState.Compensated, FinishedAt = Clock.GetUtcNow(), Message = "namespace removed" };
        await store.UpsertStepAsync(done, None);

        var steps = await store.ListStepsAsync(deployment.Id, None);

        Assert.Equal(Enum.GetValues<DeploymentStepName>(), steps.Select(s => s.Name));
        Assert.Equal(Enumerable.Range(0, 10), steps.Select(s => s.Index));
        Assert.Equal(done, steps[2]);
        Assert.Null(steps[0].StartedAt);
    }

    [Fact]
    public async Task Of_concurrent_acquirers_exactly_one_wins_the_lease()
    {
        var store = await WithTenantsAsync();
        var replicas = Enumerable.Range(0, 4).Select(_ => new SqlDeploymentStore(OpenAnother())).ToList();
        for (var round = 0; round < 5; round++)
        {
            var tenant = $"t{round}";
            await new SqlTenantStore(Database).CreateAsync(Tenants.Tenants.Seed(tenant), None);
            var deployment = await store.CreateAsync(tenant, "{}", null, None);
            var until = Clock.GetUtcNow().AddMinutes(1);

            var wins = await Task.WhenAll(replicas.Select((r, i) => Task.Run(() => r.TryAcquireLeaseAsync(tenant, deployment.Id, $"replica-{i}", until, None))));

            Assert.Equal(1, wins.Count(w => w));
            var winner = $"replica-{Array.IndexOf(wins, true)}";
            Assert.Equal((winner, until), ((await store.GetAsync(deployment.Id, None))!.LeaseOwner, (await store.GetAsync(deployment.Id, None))!.LeaseUntil));
        }
    }

    [Fact]
    public async Task An_expired_lease_lets_another_owner_take_over()
    {
        var store = await WithTenantsAsync("a");
        var first = await store.CreateAsync("a", "{}", null, None);
        Assert.True(await store.TryAcquireLeaseAsync("a", first.Id, "replica-1", Clock.GetUtcNow().AddSeconds(30), None));

        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(await store.TryAcquireLeaseAsync("a", first.Id, "replica-2", Clock.GetUtcNow().AddSeconds(30), None));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await store.TryAcquireLeaseAsync("a", first.Id, "replica-2", Clock.GetUtcNow().AddSeconds(30), None));

        Assert.Equal("replica-2", (await store.GetAsync(first.Id, None))!.LeaseOwner);
        Assert.False(await store.TryAcquireLeaseAsync("a", first.Id, "replica-1", Clock.GetUtcNow().AddSeconds(30), None));
    }

    [Fact]
    public async Task Leasing_a_finished_deployment_keeps_the_owner_that_ran_it()
    {
        var store = await WithTenantsAsync("a");
        var deployment = await store.CreateAsync("a", "{}", null, None);
        Assert.True(await store.TryAcquireLeaseAsync("a", deployment.Id, "replica-1", Clock.GetUtcNow().AddSeconds(30), None));
        await store.UpdateStateAsync(deployment.Id, DeploymentState.Succeeded, null, None);
        Assert.True(await store.ReleaseLeaseAsync("a", "replica-1", None));

        Assert.True(await store.TryAcquireLeaseAsync("a", deployment.Id, "replica-2", Clock.GetUtcNow().AddSeconds(30), None));

        Assert.Equal("replica-1", (await store.GetAsync(deployment.Id, None))!.LeaseOwner);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.TryAcquireLeaseAsync("a", "no-such-deployment", "replica-2", Clock.GetUtcNow().AddSeconds(30), None));
    }

    [Fact]
    public async Task The_owner_renews_its_lease_and_release_frees_it_for_others()
    {
        var store = await WithTenantsAsync("a");
        var deployment = await store.CreateAsync("a", "{}", null, None);
        Assert.True(await store.TryAcquireLeaseAsync("a", deployment.Id, "replica-1", Clock.GetUtcNow().AddSeconds(30), None));

        var renewed = Clock.GetUtcNow().AddMinutes(5);
        Assert.True(await store.TryAcquireLeaseAsync("a", deployment.Id, "replica-1", renewed, None));
        Assert.Equal(renewed, (await store.GetAsync(deployment.Id, None))!.LeaseUntil);

        Assert.False(await store.ReleaseLeaseAsync("a", "replica-2", None));
        Assert.True(await store.ReleaseLeaseAsync("a", "replica-1", None));
        Assert.True(await store.TryAcquireLeaseAsync("a", deployment.Id, "replica-2", Clock.GetUtcNow().AddSeconds(30), None));
    }

    [Fact]
    public async Task A_lease_for_a_deployment_of_another_tenant_is_refused()
    {
        var store = await WithTenantsAsync("a", "b");
        var ofB = await store.CreateAsync("b", "{}", null, None);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.TryAcquireLeaseAsync("a", ofB.Id, "replica-1", Clock.GetUtcNow().AddSeconds(30), None));
        Assert.True(await store.TryAcquireLeaseAsync("a", (await store.CreateAsync("a", "{}", null, None)).Id, "replica-2", Clock.GetUtcNow().AddSeconds(30), None));
    }

    [Fact]
    public async Task Unfinished_lists_pending_and_running_deployments_oldest_first()
    {
        var store = await WithTenantsAsync("a", "b");
        var pending = await store.CreateAsync("a", "{}", null, None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var running = await store.CreateAsync("b", "{}", null, None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var succeeded = await store.CreateAsync("a", "{}", null, None);
        var failed = await store.CreateAsync("b", "{}", null, None);
        await store.UpdateStateAsync(running.Id, DeploymentState.Running, null, None);
        await store.UpdateStateAsync(succeeded.Id, DeploymentState.Succeeded, null, None);
        await store.UpdateStateAsync(failed.Id, DeploymentState.Failed, "boom", None);

        var unfinished = await store.ListUnfinishedAsync(None);

        Assert.Equal([pending.Id, running.Id], unfinished.Select(d => d.Id));
    }

    [Fact]
    public async Task Deleting_a_tenant_removes_its_deployments_steps_and_lease()
    {
        var store = await WithTenantsAsync("a");
        var deployment = await store.CreateAsync("a", "{}", null, None);
        await store.UpsertStepAsync(new DeploymentStep { DeploymentId = deployment.Id, Index = 0, Name = DeploymentStepName.Validate, State = DeploymentStepState.Running }, None);
        await store.TryAcquireLeaseAsync("a", deployment.Id, "replica-1", Clock.GetUtcNow().AddMinutes(1), None);

        await new SqlTenantStore(Database).DeleteAsync("a", None);

        Assert.Null(await store.GetAsync(deployment.Id, None));
        Assert.Empty(await store.ListStepsAsync(deployment.Id, None));
        Assert.Empty(await store.ListUnfinishedAsync(None));
    }

    private async Task<SqlDeploymentStore> WithTenantsAsync(params string[] tenantIds)
    {
        var tenants = new SqlTenantStore(Database);
        foreach (var id in tenantIds)
        {
            await tenants.CreateAsync(Tenants.Tenants.Seed(id), None);
        }

        return new SqlDeploymentStore(Database);
    }
}

/// <summary>The deployment contract on SQLite.</summary>
public sealed class SqliteDeploymentStoreTests() : DeploymentStoreContract(new SqliteTestDatabase());

/// <summary>The deployment contract on PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresDeploymentStoreTests(PostgresServer server) : DeploymentStoreContract(new PostgresTestDatabase(server));
