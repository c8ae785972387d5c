using System.Collections.Concurrent;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Operations.Deployments;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Keelson.Operations.Tests.Storage;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using DeliveryInventory = Keelson.Delivery.Inventory.Inventory;

namespace Keelson.Operations.Tests.Deployments;

/// <summary>Durable deployments on each provider: every step recorded, resumed where it stopped, compensated on failure, one replica per tenant.</summary>
public abstract class DeploymentWorkflowContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly SandboxTargets targets = new();
    private readonly DeploymentEvents events = new();

    [Fact]
    public async Task A_deployment_runs_every_step_once_in_order_and_delivers_the_stack()
    {
        var (store, tenants) = await WithTenantsAsync("a");
        var deployment = await store.CreateAsync("a", "restaurant", null, None);
        var lines = new ConcurrentQueue<DeploymentEvent>();
        using var subscription = events.Subscribe(deployment.Id, lines.Enqueue);

        var done = await Workflow(store, tenants).RunAsync(deployment, None);

        Assert.Equal(DeploymentState.Succeeded, done.State);
        var steps = await store.ListStepsAsync(deployment.Id, None);
        Assert.Equal(DeploymentWorkflow.Steps, steps.Select(s => s.Name));
        Assert.All(steps, s => Assert.Equal((DeploymentStepState.Succeeded, 1), (s.State, s.Attempts)));
        Assert.All(steps, s => Assert.True(s.StartedAt <= s.FinishedAt));
        Assert.Matches(@"^\d+ objects valid, \d+ warning\(s\)$", Message(steps, DeploymentStepName.Validate));
        Assert.StartsWith($"{Rendered().Count} to create, 0 to change, 0 unchanged, 0 to prune", Message(steps, DeploymentStepName.Plan), StringComparison.Ordinal);
        Assert.Contains("Deployment", Message(steps, DeploymentStepName.Workloads), StringComparison.Ordinal);
        Assert.EndsWith("revision 1 recorded, 0 pruned", Message(steps, DeploymentStepName.Verify), StringComparison.Ordinal);
        Assert.Equal(1, (await InventoryAsync())!.Revision);
        Assert.Equal(TenantStatus.Running, (await tenants.GetAsync("a", None))!.Status);
        Assert.Contains(lines, l => l.Step == DeploymentStepName.Workloads && l.Resource == $"Deployment/{SandboxTargets.Namespace}/gateway" && l.Message == "applied");
        Assert.Contains(lines, l => l.Step == DeploymentStepName.Verify && l.Message.StartsWith("revision 1 recorded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_stopped_mid_way_resumes_at_the_interrupted_step_with_no_duplicate_objects()
    {
        var (store, tenants) = await WithTenantsAsync("a");
        var deployment = await store.CreateAsync("a", "restaurant", null, None);
        using var kill = new CancellationTokenSource();
        using (events.Subscribe(deployment.Id, e =>
               {
                   if (e.Step == DeploymentStepName.Services && e.Message == "started")
                   {
                       kill.Cancel();
                   }
               }))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Workflow(store, tenants).RunAsync(deployment, kill.Token));
        }

        var stopped = await store.ListStepsAsync(deployment.Id, None);
        Assert.Equal(DeploymentState.Running, (await store.GetAsync(deployment.Id, None))!.State);
        Assert.Equal(DeploymentStepState.Succeeded, Step(stopped, DeploymentStepName.Workloads).State);
        Assert.Equal((DeploymentStepState.Running, 1), (Step(stopped, DeploymentStepName.Services).State, Step(stopped, DeploymentStepName.Services).Attempts));
        var uids = Uids();
        var appliesBefore = targets.Cluster.Applies;

        var lines = new ConcurrentQueue<DeploymentEvent>();
        DeploymentRecord resumed;
        using (events.Subscribe(deployment.Id, lines.Enqueue))
        {
            resumed = await Workflow(store, tenants).RunAsync((await store.GetAsync(deployment.Id, None))!, None);
        }

        Assert.Equal(DeploymentState.Succeeded, resumed.State);
        var steps = await store.ListStepsAsync(deployment.Id, None);
        Assert.All(steps, s => Assert.Equal(s.Name == DeploymentStepName.Services ? 2 : 1, s.Attempts));
        Assert.All(steps, s => Assert.Equal(DeploymentStepState.Succeeded, s.State));
        Assert.Contains(lines, l => l.Step == DeploymentStepName.Services && l.Message.StartsWith("started again (attempt 2)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Step < DeploymentStepName.Services);

        // The objects applied before the stop kept their identity, each exists once, and the revision was recorded once.
        Assert.All(uids, u => Assert.Equal(u.Value, Uids()[u.Key]));
        var rendered = Rendered();
        Assert.All(rendered, o => Assert.NotNull(targets.Sandbox.Engine.Store.Get(Sandbox.Store.StoreKey.Of(o))));
        Assert.Equal(rendered.OfType<V1Deployment>().Count(), targets.Sandbox.Engine.Store.List<V1ReplicaSet>(SandboxTargets.Namespace).Count());

        Assert.Equal(1, (await InventoryAsync())!.Revision);
        var appliedAgain = targets.Cluster.Applies - appliesBefore;
        var fromServicesOn = rendered.Count(o => DeliveryPhaseOrder(o.Kind) >= DeliveryPhaseOrder("Service"));
        Assert.Equal(fromServicesOn + 1, appliedAgain);
    }

    [Fact]
    public async Task A_rollout_that_fails_is_compensated_by_restoring_the_previous_revision()
    {
        var (store, tenants) = await WithTenantsAsync("a");
        var first = await store.CreateAsync("a", "restaurant", null, None);
        Assert.Equal(DeploymentState.Succeeded, (await Workflow(store, tenants).RunAsync(first, None)).State);
        const string broken = "restaurant gateway:10.3.0-broken";
        targets.Sandbox.Engine.Context.Faults.Add(new CrashLoop($"gateway-{Names.TemplateHash(targets.Gateway(broken).Spec.Template)}", TimeSpan.FromSeconds(3)));
        var second = await store.CreateAsync("a", broken, null, None);

        var done = await Workflow(store, tenants).RunAsync(second, None);

        Assert.Equal(DeploymentState.Failed, done.State);
        Assert.StartsWith("verify failed: ", done.Error, StringComparison.Ordinal);
        Assert.Contains("exceeded its progress deadline", done.Error, StringComparison.Ordinal);
        Assert.EndsWith("rolled back to revision 1, removed 0 objects it did not have", done.Error, StringComparison.Ordinal);
        var steps = await store.ListStepsAsync(second.Id, None);
        Assert.Equal(DeploymentStepState.Failed, Step(steps, DeploymentStepName.Verify).State);
        Assert.All(steps.Where(s => s.Name is >= DeploymentStepName.Namespace and < DeploymentStepName.Verify), s => Assert.Equal(DeploymentStepState.Compensated, s.State));
        Assert.All(steps.Where(s => s.Name is DeploymentStepName.Validate or DeploymentStepName.Plan), s => Assert.Equal(DeploymentStepState.Succeeded, s.State));
        var gateway = (V1Deployment)(await targets.Cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", SandboxTargets.Namespace, "gateway"), None))!;
        Assert.Equal(targets.Gateway("restaurant").Spec.Template.Spec.Containers[0].Image, gateway.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(1, (await InventoryAsync())!.Revision);
        Assert.Equal(TenantStatus.Running, (await tenants.GetAsync("a", None))!.Status);
    }

    [Fact]
    public async Task A_failed_first_delivery_removes_what_it_applied()
    {
        var (store, tenants) = await WithTenantsAsync("a");
        targets.Sandbox.Engine.Context.Faults.Add(new CrashLoop("gateway-", TimeSpan.FromSeconds(3)));
        var deployment = await store.CreateAsync("a", "restaurant", null, None);

        var done = await Workflow(store, tenants, readyTimeout: TimeSpan.FromMinutes(2)).RunAsync(deployment, None);

        Assert.Equal(DeploymentState.Failed, done.State);
        Assert.Contains("timed out after 00:02:00: Deployment/restaurant-system/gateway", done.Error, StringComparison.Ordinal);
        Assert.Contains($"first delivery: removed the {Rendered().Count} objects it applied", done.Error, StringComparison.Ordinal);
        Assert.Empty(targets.Sandbox.Engine.Store.List<V1Deployment>(SandboxTargets.Namespace));
        Assert.Null(await targets.Cluster.GetAsync(new ObjectKey("v1", "Namespace", null, SandboxTargets.Namespace), None));
        Assert.Equal(TenantStatus.Failed, (await tenants.GetAsync("a", None))!.Status);
    }

    [Fact]
    public async Task Invalid_objects_fail_validation_and_leave_the_cluster_untouched()
    {
        var (store, tenants) = await WithTenantsAsync("a");
        var deployment = await store.CreateAsync("a", "restaurant invalid", null, None);

        var done = await Workflow(store, tenants).RunAsync(deployment, None);

        Assert.Equal(DeploymentState.Failed, done.State);
        // Privileged next to the rendered allowPrivilegeEscalation: false is also what the API server itself refuses.
        Assert.StartsWith("validate failed: 2 validation error(s): ", done.Error, StringComparison.Ordinal);
        Assert.Contains("container-privileged: container 'gateway' runs privileged", done.Error, StringComparison.Ordinal);
        Assert.Contains("schema-value: cannot set allowPrivilegeEscalation to false and privileged to true", done.Error, StringComparison.Ordinal);
        var steps = await store.ListStepsAsync(deployment.Id, None);
        Assert.Equal(DeploymentStepState.Failed, Step(steps, DeploymentStepName.Validate).State);
        Assert.All(steps.Skip(1), s => Assert.Equal((DeploymentStepState.Pending, 0), (s.State, s.Attempts)));
        Assert.Equal(0, targets.Cluster.Applies);
        Assert.Equal(TenantStatus.Failed, (await tenants.GetAsync("a", None))!.Status);
    }

    [Fact]
    public async Task A_cluster_that_fails_transiently_is_tried_again_within_the_step()
    {
        var (store, tenants) = await WithTenantsAsync("a");
        var deployment = await store.CreateAsync("a", "restaurant", null, None);
        var lines = new ConcurrentQueue<DeploymentEvent>();
        using var subscription = events.Subscribe(deployment.Id, lines.Enqueue);
        targets.Cluster.FailingApplies = 2;
        var started = targets.Sandbox.Engine.Clock.GetUtcNow();

        var done = await Workflow(store, tenants).RunAsync(deployment, None);

        Assert.Equal(DeploymentState.Succeeded, done.State);
        var retries = lines.Where(l => l.Message.StartsWith("the cluster failed transiently (Connection refused", StringComparison.Ordinal)).ToList();
        Assert.Equal([DeploymentStepName.Namespace, DeploymentStepName.Namespace], retries.Select(l => l.Step));
        Assert.EndsWith("trying again in 2 s", retries[0].Message, StringComparison.Ordinal);
        Assert.EndsWith("trying again in 4 s", retries[1].Message, StringComparison.Ordinal);
        Assert.Equal(1, Step(await store.ListStepsAsync(deployment.Id, None), DeploymentStepName.Namespace).Attempts);
        Assert.True(targets.Sandbox.Engine.Clock.GetUtcNow() - started >= TimeSpan.FromSeconds(6), "the back-off waits on the cluster's clock");
    }

    [Fact]
    public async Task A_cluster_that_stays_down_or_refuses_the_request_fails_the_step()
    {
        var (store, tenants) = await WithTenantsAsync("a", "b");
        targets.Cluster.FailingApplies = int.MaxValue;
        var down = await Workflow(store, tenants).RunAsync(await store.CreateAsync("a", "restaurant", null, None), None);

        Assert.Equal(DeploymentState.Failed, down.State);
        Assert.StartsWith("namespace failed: Connection refused", down.Error, StringComparison.Ordinal);
        Assert.Equal(4, targets.Cluster.Applies);

        // A 4xx answer is about the request: no second try.
        targets.Cluster.FailingApplies = 1;
        targets.Cluster.ApplyError = () => new Delivery.Kubernetes.ClusterException(422, "Invalid", "Namespace \"x\" is invalid");
        var before = targets.Cluster.Applies;
        var refused = await Workflow(store, tenants).RunAsync(await store.CreateAsync("b", "restaurant", null, None), None);

        Assert.Equal(DeploymentState.Failed, refused.State);
        Assert.StartsWith("namespace failed: Namespace \"x\" is invalid", refused.Error, StringComparison.Ordinal);
        Assert.Equal(1, targets.Cluster.Applies - before);
    }

    [Fact]
    public async Task Two_replicas_on_one_database_deploy_each_tenant_once_and_one_revision_at_a_time()
    {
        var ids = Enumerable.Range(1, 5).Select(i => $"t{i}").ToArray();
        var (store, tenants) = await WithTenantsAsync(ids);
        var created = new List<DeploymentRecord>();
        foreach (var id in ids)
        {
            created.Add(await store.CreateAsync(id, "restaurant", null, None));
        }

        // Two revisions of one tenant: the second must wait for the first, whichever replica runs it.
        created.Add(await store.CreateAsync("t1", "restaurant", null, None));
        using var stop = new CancellationTokenSource();
        var replicas = Enumerable.Range(0, 2).Select(_ => Replica()).ToList();
        var loops = replicas.Select(r => Task.Run(() => r.Dispatcher.RunAsync(stop.Token))).ToList();

        await WaitUntilAsync(async () => (await store.ListUnfinishedAsync(None)).Count == 0, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        foreach (var deployment in created)
        {
            var done = (await store.GetAsync(deployment.Id, None))!;
            Assert.Equal(DeploymentState.Succeeded, done.State);
            Assert.All(await store.ListStepsAsync(deployment.Id, None), s => Assert.Equal((DeploymentStepState.Succeeded, 1), (s.State, s.Attempts)));
            Assert.Contains(done.LeaseOwner, replicas.Select(r => r.Dispatcher.Owner));
        }

        var t1 = (await store.ListForTenantAsync("t1", None)).OrderBy(d => d.Revision).ToList();
        var firstEnded = (await store.ListStepsAsync(t1[0].Id, None)).Max(s => s.FinishedAt);
        var secondStarted = (await store.ListStepsAsync(t1[1].Id, None)).Min(s => s.StartedAt);
        Assert.True(secondStarted >= firstEnded, $"revision 2 started at {secondStarted:O}, before revision 1 ended at {firstEnded:O}");
        foreach (var replica in replicas)
        {
            replica.Dispatcher.Dispose();
        }
    }

    [Fact]
    public async Task A_lease_left_by_a_dead_replica_is_taken_over_when_it_runs_out()
    {
        var (store, tenants) = await WithTenantsAsync("a");
        var deployment = await store.CreateAsync("a", "restaurant", null, None);
        Assert.True(await store.TryAcquireLeaseAsync("a", deployment.Id, "dead-replica", Clock.GetUtcNow().AddSeconds(30), None));
        var replica = Replica();

        await replica.Dispatcher.ScanAsync(None);
        await WaitUntilAsync(() => Task.FromResult(replica.Dispatcher.RunningTenants.Count == 0), TimeSpan.FromSeconds(10));
        Assert.Equal(DeploymentState.Pending, (await store.GetAsync(deployment.Id, None))!.State);
        Assert.Empty(await store.ListStepsAsync(deployment.Id, None));

        Clock.Advance(TimeSpan.FromSeconds(31));
        await replica.Dispatcher.ScanAsync(None);
        await WaitUntilAsync(async () => (await store.GetAsync(deployment.Id, None))!.Finished && replica.Dispatcher.RunningTenants.Count == 0, TimeSpan.FromSeconds(30));

        var done = (await store.GetAsync(deployment.Id, None))!;
        Assert.Equal((DeploymentState.Succeeded, replica.Dispatcher.Owner), (done.State, done.LeaseOwner));
        Assert.True(await store.TryAcquireLeaseAsync("a", deployment.Id, "next-replica", Clock.GetUtcNow().AddSeconds(30), None), "the lease is given up when the run ends");
        replica.Dispatcher.Dispose();
    }

    [Fact]
    public async Task A_deployment_the_cluster_cannot_hold_fails_at_once_naming_the_pool_and_applies_nothing()
    {
        var (store, tenants) = await WithTenantsAsync("a");
        await FillClusterAsync();
        var before = targets.Cluster.Applies;
        var deployment = await store.CreateAsync("a", "restaurant", null, None);

        var done = await Workflow(store, tenants, options: new DeploymentOptions { Capacity = CapacityPolicy.Fail }).RunAsync(deployment, None);

        Assert.Equal(DeploymentState.Failed, done.State);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(done.Error ?? "", @"^plan failed: the cluster cannot hold it: pool \S+ is at \d+ of its maximum \d+ nodes: \d+ pod\(s\) do not fit \((Deployment|StatefulSet)/[a-z-]+ ×\d+.*\), missing [\d.]+ CPU, [\d.]+ GiB memory"), done.Error);
        Assert.Equal(before, targets.Cluster.Applies);
        var steps = await store.ListStepsAsync(deployment.Id, None);
        Assert.Equal(DeploymentStepState.Failed, Step(steps, DeploymentStepName.Plan).State);
        Assert.All(steps.Where(s => s.Name > DeploymentStepName.Plan), s => Assert.Equal((DeploymentStepState.Pending, 0), (s.State, s.Attempts)));
        Assert.Null(await InventoryAsync());
    }

    [Fact]
    public async Task A_deployment_waits_for_capacity_without_applying_and_resumes_when_room_appears()
    {
        var (store, tenants) = await WithTenantsAsync("a");
        var hog = await FillClusterAsync();
        var before = targets.Cluster.Applies;
        var deployment = await store.CreateAsync("a", "restaurant", null, None);
        var lines = new ConcurrentQueue<DeploymentEvent>();
        using var subscription = events.Subscribe(deployment.Id, lines.Enqueue);
        var workflow = Workflow(store, tenants);

        var waiting = await workflow.RunAsync(deployment, None);

        Assert.Equal(DeploymentState.WaitingForCapacity, waiting.State);
        Assert.False(waiting.Finished);
        Assert.StartsWith("waiting for capacity: pool ", waiting.Error, StringComparison.Ordinal);
        Assert.Equal(before, targets.Cluster.Applies);
        var plan = Step(await store.ListStepsAsync(deployment.Id, None), DeploymentStepName.Plan);
        Assert.Equal((DeploymentStepState.Pending, waiting.Error), (plan.State, plan.Message));
        Assert.Contains(await store.ListUnfinishedAsync(None), d => d.Id == deployment.Id);
        Assert.Equal(TenantStatus.Deploying, (await tenants.GetAsync("a", None))!.Status);

        // Looking again while the cluster is still full keeps it waiting, measured from the first look.
        Clock.Advance(TimeSpan.FromMinutes(1));
        var still = await workflow.RunAsync(waiting, None);
        Assert.Equal(DeploymentState.WaitingForCapacity, still.State);
        Assert.Equal(plan.StartedAt, Step(await store.ListStepsAsync(deployment.Id, None), DeploymentStepName.Plan).StartedAt);

        Assert.True(await targets.Cluster.DeleteAsync(ObjectKey.Of(hog), None));
        await targets.Cluster.WaitAsync(TimeSpan.FromSeconds(30), None);
        var done = await workflow.RunAsync(still, None);

        Assert.Equal(DeploymentState.Succeeded, done.State);
        Assert.Null(done.Error);
        Assert.Matches(@"; capacity: \d+ pods fit", Message(await store.ListStepsAsync(deployment.Id, None), DeploymentStepName.Plan));
        Assert.Contains(lines, l => l.Step == DeploymentStepName.Plan && l.Message == "looking for capacity again");
        Assert.Equal(1, (await InventoryAsync())!.Revision);
    }

    [Fact]
    public async Task A_deployment_that_waits_past_the_timeout_fails_with_the_reason()
    {
        var (store, tenants) = await WithTenantsAsync("a");
        await FillClusterAsync();
        var deployment = await store.CreateAsync("a", "restaurant", null, None);
        var workflow = Workflow(store, tenants, options: new DeploymentOptions { CapacityWaitTimeout = TimeSpan.FromMinutes(5) });
        var waiting = await workflow.RunAsync(deployment, None);
        Assert.Equal(DeploymentState.WaitingForCapacity, waiting.State);

        Clock.Advance(TimeSpan.FromMinutes(5));
        var done = await workflow.RunAsync(waiting, None);

        Assert.Equal(DeploymentState.Failed, done.State);
        Assert.StartsWith("plan failed: no capacity appeared within 00:05:00: pool ", done.Error, StringComparison.Ordinal);
        Assert.Equal(TenantStatus.Failed, (await tenants.GetAsync("a", None))!.Status);
    }

    [Fact]
    public async Task One_slot_is_taken_in_turn_by_tenants_not_by_one_tenants_queue()
    {
        var (store, tenants) = await WithTenantsAsync("a", "b", "c");
        var created = new List<DeploymentRecord>();
        foreach (var tenant in new[] { "a", "a", "a", "b", "c" })
        {
            created.Add(await store.CreateAsync(tenant, "restaurant", null, None));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var order = new ConcurrentQueue<string>();
        var subscriptions = created.Select(d => events.Subscribe(d.Id, e =>
        {
            if (e.Step == DeploymentStepName.Validate && e.Message == "started")
            {
                order.Enqueue($"start {d.TenantId}{d.Revision}");
            }
            else if (e.Step == DeploymentStepName.Verify && e.Message.Contains(" objects ready", StringComparison.Ordinal))
            {
                order.Enqueue($"end {d.TenantId}{d.Revision}");
            }
        })).ToList();
        var workflow = Workflow(store, tenants, options: new DeploymentOptions { MaxConcurrent = 1 });
        using var dispatcher = new DeploymentDispatcher(store, workflow, Clock, NullLogger<DeploymentDispatcher>.Instance);
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(() => dispatcher.RunAsync(stop.Token));

        await WaitUntilAsync(async () => (await store.ListUnfinishedAsync(None)).Count == 0, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await loop;
        subscriptions.ForEach(s => s.Dispose());

        Assert.Equal(["start a1", "end a1", "start b1", "end b1", "start c1", "end c1", "start a2", "end a2", "start a3", "end a3"], order);
    }

    // Another namespace's pods fill the pools, which may not grow: 400 pending pods of one CPU are ahead in line.
    private async Task<V1Deployment> FillClusterAsync()
    {
        targets.CapacityProfile = SandboxTargets.Fixed;
        await targets.Cluster.ApplyAsync(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "hog" } }, None);
        var hog = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "hog", NamespaceProperty = "hog" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 400,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "hog" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "hog" } },
                    Spec = new V1PodSpec
                    {
                        Containers = [new V1Container { Name = "hog", Image = "hog/hog:1", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") } } }],
                    },
                },
            },
        };
        await targets.Cluster.ApplyAsync(hog, None);
        await targets.Cluster.WaitAsync(TimeSpan.FromSeconds(5), None);
        return hog;
    }

    private (DeploymentWorkflow Workflow, DeploymentDispatcher Dispatcher) Replica()
    {
        // Its own connection pool, as a second server process has.
        var database = OpenAnother();
        var store = new SqlDeploymentStore(database);
        var workflow = Workflow(store, new SqlTenantStore(database));
        return (workflow, new DeploymentDispatcher(store, workflow, Clock, NullLogger<DeploymentDispatcher>.Instance));
    }

    private DeploymentWorkflow Workflow(IDeploymentStore store, ITenantStore tenants, TimeSpan? readyTimeout = null, DeploymentOptions? options = null) =>
        new(store, tenants, targets, events, (options ?? new DeploymentOptions()) with { ReadyTimeout = readyTimeout ?? TimeSpan.FromMinutes(15), ScanInterval = TimeSpan.FromMilliseconds(100) }, Clock, NullLogger<DeploymentWorkflow>.Instance);

    private async Task<(SqlDeploymentStore Store, SqlTenantStore Tenants)> WithTenantsAsync(params string[] tenantIds)
    {
        var tenants = new SqlTenantStore(Database);
        foreach (var id in tenantIds)
        {
            await tenants.CreateAsync(Tenants.Tenants.Seed(id), None);
        }

        return (new SqlDeploymentStore(Database), tenants);
    }

    private List<k8s.IKubernetesObject<V1ObjectMeta>> Rendered() =>
        [.. targets.ResolveAsync(new DeploymentRecord { Id = "x", TenantId = "x", Revision = 1, Spec = "restaurant", State = DeploymentState.Pending, CreatedAt = default, UpdatedAt = default }, None).Result.Objects];

    private Dictionary<string, string> Uids() =>
        targets.Sandbox.Engine.Store.List<V1Deployment>(SandboxTargets.Namespace).ToDictionary(d => d.Metadata.Name, d => d.Metadata.Uid);

    private Task<DeliveryInventory?> InventoryAsync() => DeliveryInventory.ReadAsync(targets.Cluster, SandboxTargets.Namespace, None);

    private static int DeliveryPhaseOrder(string kind) => (int)Delivery.DeliveryPhases.Of(kind);

    private static DeploymentStep Step(IReadOnlyList<DeploymentStep> steps, DeploymentStepName name) => steps.Single(s => s.Name == name);

    private static string Message(IReadOnlyList<DeploymentStep> steps, DeploymentStepName name) => Step(steps, name).Message ?? "";

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not done within {timeout}");
            await Task.Delay(50);
        }
    }
}

/// <summary>The workflow contract on SQLite.</summary>
public sealed class SqliteDeploymentWorkflowTests() : DeploymentWorkflowContract(new SqliteTestDatabase());

/// <summary>The workflow contract on PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresDeploymentWorkflowTests(PostgresServer server) : DeploymentWorkflowContract(new PostgresTestDatabase(server));
