namespace Keelson.Sandbox.Server;

/// <summary>A kubeconfig for the facade: one cluster at its loopback URL over plain HTTP, context <c>keelson-sandbox</c>, a dummy token.</summary>
public static class SandboxKubeconfig
{
    /// <summary>The context name kubectl is pointed at.</summary>
    public const string Context = "keelson-sandbox";

    /// <summary>The kubeconfig text for a server at <paramref name="server"/>.</summary>
    public static string Text(Uri server, string defaultNamespace = "default")
    {
        ArgumentNullException.ThrowIfNull(server);
        var url = server.GetLeftPart(UriPartial.Authority);
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {Context}
              cluster:
                server: {url}
            users:
            - name: {Context}
              user:
                token: keelson-sandbox-has-no-authentication
            contexts:
            - name: {Context}
              context:
                cluster: {Context}
                user: {Context}
                namespace: {defaultNamespace}
            current-context: {Context}

            """;
    }

    /// <summary>Writes the kubeconfig to <paramref name="path"/>, readable only by its owner as kubectl expects.</summary>
    public static async Task WriteAsync(string path, Uri server, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, Text(server), cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
