using Keelson.Validation.Schema;

namespace Keelson.Validation.Tests.Schema;

public sealed class KindRegistryTests
{
    [Fact]
    public void Lookup_by_name_finds_the_same_type_as_the_scan_for_every_model_kind()
    {
        Assert.True(KindRegistry.All.Count > 100);
        foreach (var (key, type) in KindRegistry.All)
        {
            var slash = key.LastIndexOf('/');
            Assert.Equal(type, KindRegistry.Find(key[..slash], key[(slash + 1)..]));
        }
    }

    [Fact]
    public void Versions_of_a_kind_are_every_version_the_scan_finds()
    {
        foreach (var kind in (string[])["Deployment", "HorizontalPodAutoscaler", "Event", "Ingress", "CronJob", "Pod"])
        {
            var scanned = KindRegistry.All.Keys.Where(k => k.EndsWith("/" + kind, StringComparison.Ordinal)).Select(k => k[..^(kind.Length + 1)]).Order(StringComparer.Ordinal);
            Assert.Equal(scanned, KindRegistry.VersionsOf(kind));
        }

        Assert.Contains("events.k8s.io/v1", KindRegistry.VersionsOf("Event"));
        Assert.Empty(KindRegistry.VersionsOf("ServiceMonitor"));
    }

    [Theory]
    [InlineData("v1", "Event", "Corev1Event")]
    [InlineData("events.k8s.io/v1", "Event", "Eventsv1Event")]
    [InlineData("apps/v1", "Deployment", "V1Deployment")]
    [InlineData("autoscaling/v2", "HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler")]
    public void Kinds_of_the_same_name_in_two_groups_resolve_to_their_own_model(string apiVersion, string kind, string typeName) =>
        Assert.Equal(typeName, KindRegistry.Find(apiVersion, kind)?.Name);

    [Theory]
    [InlineData("v1", "PodList")]
    [InlineData("apps/v1", "Pod")]
    [InlineData("extensions/v1beta1", "Deployment")]
    [InlineData("monitoring.coreos.com/v1", "ServiceMonitor")]
    [InlineData("v1", "")]
    [InlineData("", "Pod")]
    public void Kinds_the_models_do_not_serve_are_not_found(string apiVersion, string kind) =>
        Assert.Null(KindRegistry.Find(apiVersion, kind));
}
