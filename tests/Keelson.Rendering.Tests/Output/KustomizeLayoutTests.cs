using System.Diagnostics;
using k8s.Models;
using Keelson.Rendering.Output;

namespace Keelson.Rendering.Tests.Output;

/// <summary>Builds the overlays with the machine's real <c>kubectl kustomize</c>.</summary>
public sealed class KustomizeLayoutTests
{
    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public async Task Both_overlays_build_with_kubectl_kustomize(string example)
    {
        var manifest = Examples.Render(example);
        var dir = Directory.CreateTempSubdirectory("keelson-kustomize-").FullName;
        try
        {
            await OutputDirectory.WriteAsync(dir, KustomizeLayout.Files(manifest), CancellationToken.None);

            var prod = ManifestYaml.Read(await Kustomize(Path.Combine(dir, "overlays", "prod")));
            var dev = ManifestYaml.Read(await Kustomize(Path.Combine(dir, "overlays", "dev")));

            Assert.Equal(manifest.Objects.Count, prod.Count);
            Assert.Equal(manifest.Objects.Count, dev.Count);
            Assert.All(prod.Cast<k8s.IKubernetesObject<V1ObjectMeta>>(), o => Assert.Equal("prod", o.Metadata.Labels["keelson.dev/overlay"]));
            Assert.All(dev.OfType<V1Deployment>(), d => Assert.Equal(1, d.Spec.Replicas));
            Assert.All(dev.OfType<V2HorizontalPodAutoscaler>(), h => Assert.Equal(1, h.Spec.MinReplicas));
            Assert.Equal(
                manifest.OfType<V1Deployment>().Select(d => d.Spec.Replicas),
                prod.OfType<V1Deployment>().OrderBy(d => manifest.Objects.ToList().FindIndex(o => o.Id == $"Deployment/{d.Metadata.Name}")).Select(d => d.Spec.Replicas));
            Assert.All(prod.OfType<V1Deployment>(), d => Assert.False(d.Spec.Selector.MatchLabels.ContainsKey("keelson.dev/overlay")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string> Kustomize(string overlay)
    {
        using var kubectl = Process.Start(new ProcessStartInfo("kubectl", ["kustomize", overlay]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = kubectl.StandardOutput.ReadToEndAsync();
        var error = kubectl.StandardError.ReadToEndAsync();
        await kubectl.WaitForExitAsync();
        Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize {overlay} failed: {await error}");
        return await output;
    }
}
