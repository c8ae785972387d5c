using System.Diagnostics;
using Keelson.Rendering.Output;

namespace Keelson.Rendering.Tests.Output;

public sealed class TreeLayoutTests
{
    [Fact]
    public void Saga_tree_follows_the_seed_layout()
    {
        var files = TreeLayout.Files(Examples.Render("saga-commerce.yaml")).Select(f => f.Path).ToList();

        Assert.Contains("namespace.yaml", files);
        Assert.Contains("configmaps/nestjs-config.yaml", files);
        Assert.Contains("secrets/postgres-secrets.yaml", files);
        Assert.Contains("infrastructure/postgres/postgres-statefulset.yaml", files);
        Assert.Contains("infrastructure/redis/redis-master-statefulset.yaml", files);
        Assert.Contains("infrastructure/redis/redis-replica-statefulset.yaml", files);
        Assert.Contains("infrastructure/kafka/kafka-zookeeper-statefulset.yaml", files);
        Assert.Contains("application/nestjs-deployment.yaml", files);
        Assert.Contains("application/nestjs-horizontalpodautoscaler.yaml", files);
        Assert.Contains("application/nestjs-ingress.yaml", files);
        Assert.Contains("policies/default-deny.yaml", files);
        Assert.Contains("scripts/deploy.sh", files);
        Assert.Contains("scripts/cleanup.sh", files);
        Assert.Equal(files.Count, files.Distinct().Count());
    }

    [Fact]
    public void Every_object_lands_in_exactly_one_file()
    {
        var manifest = Examples.Render("ai-call-center.yaml");
        var documents = TreeLayout.Files(manifest).Where(f => f.Path.EndsWith(".yaml", StringComparison.Ordinal)).Sum(f => ManifestYaml.Read(f.Content).Count);

        Assert.Equal(manifest.Objects.Count, documents);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Scripts_are_executable_valid_bash_that_applies_in_order()
    {
        var dir = Directory.CreateTempSubdirectory("keelson-tree-").FullName;
        try
        {
            var manifest = Examples.Render("restaurant.yaml");
            await OutputDirectory.WriteAsync(dir, TreeLayout.Files(manifest), CancellationToken.None);
            var deploy = Path.Combine(dir, "scripts", "deploy.sh");

            Assert.True(File.GetUnixFileMode(deploy).HasFlag(UnixFileMode.UserExecute));
            using var bash = Process.Start(new ProcessStartInfo("bash", ["-n", deploy]) { RedirectStandardError = true })!;
            await bash.WaitForExitAsync();
            Assert.Equal(0, bash.ExitCode);
            var lines = await File.ReadAllLinesAsync(deploy);
            var applies = lines.Where(l => l.StartsWith("kubectl apply", StringComparison.Ordinal)).ToList();
            Assert.EndsWith("-f namespace.yaml", applies[0], StringComparison.Ordinal);
            Assert.True(applies.FindIndex(l => l.EndsWith("infrastructure/", StringComparison.Ordinal)) < applies.FindIndex(l => l.EndsWith("application/", StringComparison.Ordinal)));
            Assert.Contains("kubectl -n restaurant-system rollout status deployment/gateway --timeout=\"$timeout\"", lines);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
