using System.Globalization;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// The official C# client (KubernetesClient) against the facade, as an operator written with it runs: typed watches
/// resumed from a list's resourceVersion, and a watch of a Deployment's pods while a controller creates and removes them.
/// </summary>
public sealed class KubernetesClientWatchTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    [Fact]
    public async Task A_typed_watch_from_a_list_s_resource_version_replays_added_modified_and_deleted_in_order()
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
        const string Ns = "kc-maps";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
        var from = (await client.CoreV1.ListNamespacedConfigMapAsync(Ns)).Metadata.ResourceVersion;

        // Made before the watch opens: a watch from the list's version must replay them, so no sleep is needed.
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" }, Data = new Dictionary<string, string> { ["level"] = "1" } }, Ns);
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data": {"level": "2"}}""", V1Patch.PatchType.MergePatch), "settings", Ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("settings", Ns);

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<(WatchEventType Type, string Level, long Version)>();
        await foreach (var (type, map) in client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, resourceVersion: from, cancellationToken: cancel.Token))
        {
            seen.Add((type, map.Data["level"], long.Parse(map.Metadata.ResourceVersion, CultureInfo.InvariantCulture)));
            if (type == WatchEventType.Deleted)
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, "1"), (WatchEventType.Modified, "2"), (WatchEventType.Deleted, "2")], seen.Select(e => (e.Type, e.Level)));
        Assert.True(seen[0].Version > long.Parse(from, CultureInfo.InvariantCulture));
        Assert.Equal(seen.Select(e => e.Version).Order(), seen.Select(e => e.Version));
    }

    [Fact]
    public async Task A_label_selected_pod_watch_follows_a_deployment_scaled_up_and_down()
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
        const string Ns = "kc-pods";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
        var labels = new Dictionary<string, string> { ["app"] = "api" };

        // Listed before the Deployment exists: the watch from here sees its pods come and go.
        var from = (await client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=api")).Metadata.ResourceVersion;
        await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "api" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "api", Image = "nginx:1.27" }] },
                },
            },
        }, Ns);

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var added = new HashSet<string>();
        var deleted = new HashSet<string>();
        var scaledDown = false;
        var stepping = Task.Run(async () =>
        {
            // The test server's clock is stopped: controllers act when it moves.
            while (!cancel.IsCancellationRequested)
            {
                cluster.Server.Server.Advance(TimeSpan.FromSeconds(5));
                await Task.Delay(100, cancel.Token);
            }
        }, cancel.Token);
        await foreach (var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync(Ns, labelSelector: "app=api", resourceVersion: from, cancellationToken: cancel.Token))
        {
            Assert.Equal("api", pod.Metadata.Labels["app"]);
            if (type == WatchEventType.Added)
            {
                added.Add(pod.Metadata.Name);
            }

            if (type == WatchEventType.Deleted)
            {
                deleted.Add(pod.Metadata.Name);
            }

            if (!scaledDown && added.Count == 2)
            {
                scaledDown = true;
                await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec": {"replicas": 0}}""", V1Patch.PatchType.MergePatch), "api", Ns, cancellationToken: cancel.Token);
            }

            if (scaledDown && deleted.Count == 2)
            {
                break;
            }
        }

        // The clock stops moving; whether its loop ends by the token or by its check does not matter.
        await cancel.CancelAsync();
        await stepping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        Assert.Equal(added.Order(StringComparer.Ordinal), deleted.Order(StringComparer.Ordinal));
        Assert.All(added, name => Assert.StartsWith("api-", name, StringComparison.Ordinal));
        var left = await client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=api");
        Assert.DoesNotContain(left.Items, pod => pod.Metadata.DeletionTimestamp is null);
    }
}
