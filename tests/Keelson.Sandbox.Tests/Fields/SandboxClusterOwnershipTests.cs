using k8s.Models;
using Keelson.Sandbox.Fields;

namespace Keelson.Sandbox.Tests.Fields;

public class SandboxClusterOwnershipTests
{
    [Fact]
    public void Keelsons_own_apply_is_recorded_as_an_Apply_by_keelson_and_an_unchanged_one_stores_nothing()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("web", 2));
        var stored = cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web")!;
        var entry = Assert.Single(stored.Metadata.ManagedFields, e => e.Manager == "keelson");
        Assert.Equal(("keelson", "Apply", "apps/v1", "FieldsV1"), (entry.Manager, entry.Operation, entry.ApiVersion, entry.FieldsType));
        var owned = FieldManager.Decode(stored.Metadata.ManagedFields).Single(e => e.Manager == "keelson").Fields.ToString();
        Assert.Contains(".spec.replicas", owned, StringComparison.Ordinal);
        Assert.DoesNotContain(".status", owned, StringComparison.Ordinal);

        var version = stored.Metadata.ResourceVersion;
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        var controllerVersion = cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web")!.Metadata.ResourceVersion;
        cluster.Apply(Small.Deployment("web", 2));
        Assert.Equal(controllerVersion, cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web")!.Metadata.ResourceVersion);
        Assert.NotNull(version);

        cluster.Apply(Small.Deployment("web", 3));
        var changed = Assert.Single(cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web")!.Metadata.ManagedFields, e => e.Manager == "keelson");
        Assert.True(changed.Time > entry.Time, $"{changed.Time} after {entry.Time}");
    }
}
