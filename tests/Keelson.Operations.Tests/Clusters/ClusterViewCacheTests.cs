using k8s.Models;
using Keelson.Operations.Clusters;
using Keelson.Rendering.Objects;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keelson.Operations.Tests.Clusters;

/// <summary>
/// <see cref="ClusterViewCache"/> over a <see cref="ScriptedListWatch"/> with two nodes and two tenants: lists counted,
/// changes delivered by watch, a watch ended with 410, and a cluster left idle.
/// </summary>
public sealed class ClusterViewCacheTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ScriptedListWatch cluster = new();
    private static readonly string[] Kinds = ["Node", "Pod", "Namespace", "HorizontalPodAutoscaler", "Event"];
    private static readonly string[] Watched = ["a scripted cluster"];

    public ClusterViewCacheTests()
    {
        foreach (var node in new[] { "node-a", "node-b" })
        {
            cluster.Put(new V1Node
            {
                ApiVersion = "v1", Kind = "Node",
                Metadata = new V1ObjectMeta { Name = node, Labels = new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "zone-1" } },
                Status = new V1NodeStatus
                {
                    Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("8"), ["memory"] = new("32Gi") },
                    Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
                },
            });
        }

        foreach (var tenant in new[] { "alpha", "beta" })
        {
            cluster.Put(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = tenant, Labels = new Dictionary<string, string> { [Labels.Tenant] = tenant } } });
            for (var i = 0; i < 3; i++)
            {
                cluster.Put(Pod(tenant, $"{tenant}-{i}", i % 2 == 0 ? "node-a" : "node-b"));
            }
        }
    }

    [Fact]
    public async Task A_second_read_lists_nothing_again_and_reuses_the_view_of_an_unchanged_cluster()
    {
        await using var cache = New();
        var first = await ReadAsync(cache);
        var second = await ReadAsync(cache);

        Assert.Equal(6, first.Pods.Count);
        Assert.All(Kinds, kind => Assert.Equal(1, cluster.Lists(kind)));
        Assert.Same(first.Pods, second.Pods);
        Assert.Equal(Watched, cache.Watched);
    }

    [Fact]
    public async Task A_change_in_the_cluster_shows_in_the_next_read_through_the_watch_without_a_relist()
    {
        await using var cache = New();
        await ReadAsync(cache);
        var added = Pod("alpha", "alpha-new", "node-b");
        cluster.Put(added);
        var seen = await EventuallyAsync(cache, v => v.Pods.Any(p => p.Name == "alpha-new"));
        Assert.Equal(("alpha", "node-b", 7), (seen.Pods.Single(p => p.Name == "alpha-new").Tenant, seen.Pods.Single(p => p.Name == "alpha-new").Node, seen.Totals.PodCount));

        cluster.Delete(added);
        var gone = await EventuallyAsync(cache, v => v.Pods.All(p => p.Name != "alpha-new"));
        Assert.Equal(6, gone.Totals.PodCount);
        Assert.Equal(1, cluster.Lists("Pod"));
    }

    [Fact]
    public async Task The_version_is_null_until_a_read_stays_while_the_cluster_is_quiet_and_grows_with_a_change()
    {
        await using var cache = New();
        Assert.Null(cache.VersionOf(cluster));
        await ReadAsync(cache);
        var synced = cache.VersionOf(cluster);
        await Task.Delay(200);
        Assert.NotNull(synced);
        Assert.Equal(synced, cache.VersionOf(cluster));

        cluster.Put(Pod("beta", "beta-new", "node-a"));
        var deadline = DateTime.UtcNow + Patience;
        while (cache.VersionOf(cluster) == synced)
        {
            Assert.True(DateTime.UtcNow < deadline, "the change did not move the version");
            await Task.Delay(20);
        }

        // The view built at the new version has the change: a follower that saw the version move misses nothing.
        Assert.Contains((await ReadAsync(cache)).Pods, p => p.Name == "beta-new");
        Assert.True(cache.VersionOf(cluster) > synced);
    }

    [Fact]
    public async Task A_410_during_the_watch_lists_again_and_the_view_has_what_the_watch_missed()
    {
        await using var cache = New();
        await ReadAsync(cache);
        await EventuallyAsync(cache, _ => cluster.Watching("Pod") == 1);

        // A change the watch never delivers (the server's watch cache moved past it), then the 410 that says so.
        cluster.Put(Pod("beta", "beta-missed", "node-a"), silently: true);
        Assert.DoesNotContain((await ReadAsync(cache)).Pods, p => p.Name == "beta-missed");
        cluster.Expire("Pod");

        var relisted = await EventuallyAsync(cache, v => v.Pods.Any(p => p.Name == "beta-missed"));
        Assert.Equal(2, cluster.Lists("Pod"));
        Assert.Equal(7, relisted.Totals.PodCount);
        Assert.Equal(1, cluster.Lists("Node"));
    }

    [Fact]
    public async Task A_tenant_s_view_and_pages_hold_only_its_namespace_s_pods_while_node_figures_stay_whole()
    {
        await using var cache = New();
        var all = await ReadAsync(cache);
        var alpha = await ReadAsync(cache, "alpha");

        Assert.All(alpha.Pods, p => Assert.Equal(("alpha", "alpha"), (p.Namespace, p.Tenant)));
        Assert.Equal(3, alpha.Pods.Count);
        Assert.Equal(all.Nodes, alpha.Nodes);
        var page = new PodQuery(1, 1).Apply(alpha);
        Assert.Equal((3, 3, "alpha"), (page.TotalCount, page.VisibleCount, Assert.Single(page.Pods).Namespace));
        Assert.Equal(0, new PodQuery(0, 10, Namespace: "beta").Apply(alpha).TotalCount);
        Assert.Equal(1, cluster.Lists("Pod"));
    }

    [Fact]
    public async Task A_cluster_nobody_asks_about_stops_being_watched_and_the_next_read_lists_it_again()
    {
        await using var cache = New(new ClusterViewCacheOptions { IdleAfter = TimeSpan.FromMilliseconds(200) });
        await ReadAsync(cache);
        Assert.NotEmpty(cache.Watched);

        var deadline = DateTime.UtcNow + Patience;
        while (cache.Watched.Count > 0 || cluster.Watching("Pod") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "still watched after it went idle");
            await Task.Delay(50);
        }

        Assert.Equal(6, (await ReadAsync(cache)).Pods.Count);
        Assert.Equal(2, cluster.Lists("Pod"));
    }

    private static ClusterViewCache New(ClusterViewCacheOptions? options = null) => new(options ?? new ClusterViewCacheOptions(), NullLogger<ClusterViewCache>.Instance);

    private Task<ClusterView> ReadAsync(ClusterViewCache cache, string? tenant = null) => cache.ReadAsync(cluster.Description, "kubernetes", cluster, tenant, 50, CancellationToken.None);

    // A watch delivers in the background: read until the view shows what was changed.
    private async Task<ClusterView> EventuallyAsync(ClusterViewCache cache, Func<ClusterView, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var view = await ReadAsync(cache);
            if (condition(view))
            {
                return view;
            }

            Assert.True(DateTime.UtcNow < deadline, "the change did not reach the view");
            await Task.Delay(20);
        }
    }

    private static V1Pod Pod(string ns, string name, string node) => new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodSpec
        {
            NodeName = node,
            Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") } } }],
        },
        Status = new V1PodStatus { Phase = "Running" },
    };
}
