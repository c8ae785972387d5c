using System.Net;
using Keelson.Testing;
using Xunit.Abstractions;

namespace Keelson.Server.Tests.Processes;

/// <summary>
/// The embedded demo sandbox across a restart: once a deployment has finished (nothing left to resume), a new server
/// process on the same data directory serves the saved sandbox again and rewrites its kubeconfig, so kubectl works.
/// </summary>
[Collection(ServerProcessTests.Name)]
[Trait("Category", "Processes")]
public sealed class SandboxRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Tenant = "restart-t1";
    private string folder = string.Empty;

    public Task InitializeAsync()
    {
        folder = Directory.CreateTempSubdirectory("keelson-restart-").FullName;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task After_a_restart_the_sandbox_kubeconfig_in_the_data_directory_works_with_kubectl()
    {
        var data = Path.Combine(folder, "data");
        string[] settings = ["--Keelson:DataDirectory", data, "--Keelson:Clusters:SandboxSpeed", "30"];
        var kubectl = ExternalProcess.Find("kubectl", "kubectl", "/usr/bin", "/usr/local/bin");

        string before;
        string kubeconfig;
        await using (var a = await ServerProcess.StartAsync("A", settings, folder, CancellationToken.None))
        {
            try
            {
                Assert.Equal(HttpStatusCode.Created, (await a.SendAsync(HttpMethod.Post, "/api/v1/tenants/", ServerCrashTests.TenantRequest(Tenant))).Status);
                var (accepted, deployment) = await a.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{Tenant}/deploy");
                Assert.Equal(HttpStatusCode.Accepted, accepted);
                var done = await a.WaitForDeploymentAsync(deployment["deployment_id"]!.GetValue<string>(), d => d["finished"]!.GetValue<bool>(), TimeSpan.FromSeconds(120));
                Assert.Equal("succeeded", done["status"]!.GetValue<string>());
                kubeconfig = Assert.Single(Directory.GetFiles(Path.Combine(data, "sandbox"), "*.kubeconfig"));
                before = await File.ReadAllTextAsync(kubeconfig);
                Assert.Contains(Tenant, await ExternalProcess.RunAsync(kubectl, ["--kubeconfig", kubeconfig, "get", "namespaces"], TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
                Assert.Equal(0, await a.StopAsync());
            }
            catch
            {
                output.WriteLine(a.Output);
                throw;
            }
        }

        // A is gone: its kubeconfig now points at a port nobody serves.
        await Assert.ThrowsAsync<InvalidOperationException>(() => ExternalProcess.RunAsync(kubectl, ["--kubeconfig", kubeconfig, "--request-timeout", "5s", "get", "namespaces"], TimeSpan.FromSeconds(30)));

        await using var b = await ServerProcess.StartAsync("B", settings, folder, CancellationToken.None);
        try
        {
            // No deployment to resume, no request made: starting is enough.
            var after = await File.ReadAllTextAsync(kubeconfig);
            Assert.NotEqual(before, after);
            var namespaces = await ExternalProcess.RunAsync(kubectl, ["--kubeconfig", kubeconfig, "get", "namespaces"], TimeSpan.FromSeconds(30));
            output.WriteLine(namespaces);
            Assert.Contains(Tenant, namespaces, StringComparison.Ordinal);
        }
        catch
        {
            output.WriteLine(b.Output);
            throw;
        }
    }
}
