using System.Text.Json.Nodes;
using Keelson.Rendering.Crds;
using Keelson.Sandbox.Server.Protobuf;
using Keelson.Sandbox.Server.Resources;

namespace Keelson.Sandbox.Server.Tests.Protobuf;

/// <summary>
/// The objects a running sandbox holds after kubectl applied the rendered restaurant stack (its controllers' pods,
/// replica sets, endpoints, events and nodes included) survive JSON → protobuf → JSON, one by one and as lists.
/// </summary>
public sealed class LiveObjectsRoundTripTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    // Keelson's CRDs, and apiextensions.k8s.io itself: its types live in apiextensions-apiserver, whose .proto files
    // are not among the generated ones (k8s.io/api and apimachinery), so CustomResourceDefinitions are JSON only.
    private static readonly string[] CustomGroupVersions = [ServiceMonitor.Version, SparkApplication.Version, ScaledObject.Version, "apiextensions.k8s.io/v1"];

    [Fact]
    public async Task Every_stored_object_of_every_built_in_kind_round_trips()
    {
        await cluster.Kubectl.OkAsync("apply", "-f", cluster.ManifestPath);
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(2));
        var kinds = new List<string>();

        foreach (var resource in ResourceCatalog.All.Where(r => !CustomGroupVersions.Contains(r.ApiVersion)))
        {
            var path = resource.Group.Length == 0 ? $"/api/v1/{resource.Plural}" : $"/apis/{resource.ApiVersion}/{resource.Plural}";
            var (status, list) = await cluster.Server.GetAsync(path, accept: "application/json");
            Assert.Equal(200, status);
            var items = list!["items"]!.AsArray();
            foreach (var item in items)
            {
                var json = item!.AsObject();
                Assert.Equal(CanonicalJson.Of(json), CanonicalJson.Of(KubernetesProtobuf.Decode(KubernetesProtobuf.Encode(json, rejectUnknown: true))));
            }

            // The facade names each item's kind in JSON; a protobuf list item has no typeMeta, as in Go.
            foreach (var item in items)
            {
                item!.AsObject().Remove("apiVersion");
                item.AsObject().Remove("kind");
            }

            Assert.Equal(CanonicalJson.Of(list), CanonicalJson.Of(KubernetesProtobuf.Decode(KubernetesProtobuf.Encode(list.AsObject(), rejectUnknown: true))));
            if (items.Count > 0)
            {
                kinds.Add(resource.Kind);
            }
        }

        Assert.Superset(
            new HashSet<string> { "Namespace", "Node", "Pod", "Service", "Endpoints", "ConfigMap", "Secret", "Event", "Deployment", "ReplicaSet", "HorizontalPodAutoscaler", "PodDisruptionBudget" },
            kinds.ToHashSet());
    }
}
