using Keelson.Testing;

namespace Keelson.Cli.Tests.Commands;

public sealed class UpCommandTests : IDisposable
{
    private readonly string state = Path.Combine(Path.GetTempPath(), $"keelson-state-{Guid.NewGuid():N}");

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public async Task Every_example_comes_up_on_the_sandbox(string path)
    {
        var (exit, output, error) = await Cli.Run("up", path, "--state", state, "--fresh");

        Assert.True(exit == 0, error);
        Assert.Contains("Pods per node", output, StringComparison.Ordinal);
        Assert.Contains("Nodes per pool", output, StringComparison.Ordinal);
        Assert.Contains("Monthly cost at this size", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Pending pods", output, StringComparison.Ordinal);
        Assert.Matches(@"is up \(revision 1, 0 pruned\)", error);
    }

    public static TheoryData<string> ExampleFiles() => [.. Repo.Examples];

    [Fact]
    public async Task Status_diff_and_down_work_on_the_saved_sandbox()
    {
        var stack = Repo.File("examples", "restaurant.yaml");
        Assert.Equal(0, (await Cli.Run("up", stack, "--state", state)).Exit);

        var (statusExit, statusOut, statusErr) = await Cli.Run("status", stack, "--state", state);
        Assert.Equal(0, statusExit);
        Assert.Contains("gateway-", statusOut, StringComparison.Ordinal);
        Assert.Contains("restaurant-system at revision 1", statusErr, StringComparison.Ordinal);

        var (diffExit, _, diffErr) = await Cli.Run("diff", stack, "--state", state);
        Assert.Equal(0, diffExit);
        Assert.Contains("0 to create, 0 to update, 0 to prune", diffErr, StringComparison.Ordinal);

        using var changed = new TempFile(File.ReadAllText(stack).Replace("gateway:10.2.0", "gateway:10.3.0", StringComparison.Ordinal));
        var (changedExit, changedOut, _) = await Cli.Run("diff", changed.Path, "--state", state);
        Assert.Equal(1, changedExit);
        Assert.Contains("~ update Deployment/restaurant-system/gateway", changedOut, StringComparison.Ordinal);
        Assert.Contains("+         image: registry.example.com/restaurant/gateway:10.3.0", changedOut, StringComparison.Ordinal);

        var (downExit, _, downErr) = await Cli.Run("down", stack, "--state", state);
        Assert.Equal(0, downExit);
        Assert.Contains("deleted 51 objects and namespace restaurant-system", downErr, StringComparison.Ordinal);
        Assert.Equal(1, (await Cli.Run("status", stack, "--state", state)).Exit);
    }

    [Fact]
    public async Task A_missing_kubeconfig_is_a_clear_input_error()
    {
        var (exit, output, error) = await Cli.Run("up", Repo.File("examples", "restaurant.yaml"), "--state", state, "--kubeconfig", "/nonexistent/kubeconfig");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("keelson: cannot use the kubeconfig (/nonexistent/kubeconfig", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
