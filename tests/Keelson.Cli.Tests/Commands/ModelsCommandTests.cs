using System.Text.Json.Nodes;
using Keelson.Testing;

namespace Keelson.Cli.Tests.Commands;

/// <summary><c>keelson models push|list|promote</c> against a real in-process <c>keelson serve</c>, with models built by python3-onnx.</summary>
public sealed class ModelsCommandTests(ServeFixture serve) : IClassFixture<ServeFixture>
{
    [Fact]
    public async Task Push_list_and_promote_drive_the_registry_of_a_running_server()
    {
        var (created, _) = await serve.SendAsync("/api/v1/tenants/", """{"tenant_id": "cli-models", "name": "m", "service_requirements": {"chatbot": 10}}""");
        Assert.Equal(System.Net.HttpStatusCode.Created, created);
        var first = Path.Combine(Path.GetTempPath(), $"keelson-{Guid.NewGuid():N}.onnx");
        var second = Path.Combine(Path.GetTempPath(), $"keelson-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(first, await TestModels.BytesAsync("dynamic_mlp"));
        await File.WriteAllBytesAsync(second, await TestModels.BytesAsync("mlp_v2"));
        try
        {
            var (exit, output, error) = await Cli.Run("models", "push", "cli-models", "scorer", first, "--alias", "production", "--server", serve.Url);
            Assert.True(exit == 0, error);
            Assert.Contains("scorer version 1 sha256:", output, StringComparison.Ordinal);
            Assert.Contains("opset 13, producer keelson-tests) aliases production", output, StringComparison.Ordinal);
            Assert.Contains("input x FP32[batch, 4]", output, StringComparison.Ordinal);
            Assert.Equal(0, (await Cli.Run("models", "push", "cli-models", "scorer", second, "--server", serve.Url)).Exit);

            var (listExit, models, _) = await Cli.Run("models", "list", "cli-models", "--server", serve.Url);
            Assert.Equal(0, listExit);
            Assert.Matches(@"scorer\s+2\s+2", models);
            var (_, versions, _) = await Cli.Run("models", "list", "cli-models", "scorer", "--server", serve.Url);
            Assert.Matches(@"\s+1 sha256:\S+\s+\d+ .* admin\s+production", versions);

            var (promoteExit, promoted, _) = await Cli.Run("models", "promote", "cli-models", "scorer", "2", "--server", serve.Url);
            Assert.Equal((0, "scorer: production -> version 2"), (promoteExit, promoted.Trim()));
            var (_, json, _) = await Cli.Run("models", "list", "cli-models", "scorer", "--server", serve.Url, "-o", "json");
            var production = JsonNode.Parse(json)!["versions"]!.AsArray().Single(v => v!["aliases"]!.AsArray().Any(a => a!.GetValue<string>() == "production"));
            Assert.Equal(2, production!["version"]!.GetValue<int>());

            // The server's refusals reach the user with its explanation and a non-zero exit.
            var (badExit, _, badError) = await Cli.Run("models", "push", "cli-models", "scorer", first + ".missing", "--server", serve.Url);
            Assert.Equal((2, true), (badExit, badError.Contains("no such file", StringComparison.Ordinal)));
            await File.WriteAllTextAsync(second, "not a model");
            var (refusedExit, _, refused) = await Cli.Run("models", "push", "cli-models", "scorer", second, "--server", serve.Url);
            Assert.NotEqual(0, refusedExit);
            Assert.Contains("422", refused, StringComparison.Ordinal);
            Assert.Contains("not an ONNX model", refused, StringComparison.Ordinal);
            var (missingExit, _, missing) = await Cli.Run("models", "promote", "cli-models", "scorer", "9", "--server", serve.Url);
            Assert.NotEqual(0, missingExit);
            Assert.Contains("404", missing, StringComparison.Ordinal);
            var (keyExit, _, key) = await Cli.Run("models", "list", "cli-models", "--server", serve.Url, "--demo", "false");
            Assert.NotEqual(0, keyExit);
            Assert.Contains("401", key, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
        }
    }
}
