using System.Diagnostics;

namespace Keelson.Testing;

/// <summary>Finds and runs the database and cache servers the tests start; a missing binary fails the test with what to install.</summary>
internal static class ExternalProcess
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>The full path of <paramref name="name"/> on PATH or in the given folders (globs allowed in the last segment's parent).</summary>
    public static string Find(string name, string package, params string[] extraFolders)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var folders = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(extraFolders.SelectMany(Expand));
        return folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"'{name}' was not found on PATH nor in {string.Join(", ", extraFolders)}. These tests need a real server: install the Debian package '{package}' (./test does).");
    }

    /// <summary>Runs to completion and returns standard output; throws with both outputs on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        using var process = Start(file, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }

        return await stdout;
    }

    /// <summary>Starts without waiting; the caller owns the process.</summary>
    public static Process Start(string file, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
    }

    /// <summary>A TCP port free on loopback right now.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static IEnumerable<string> Expand(string folder)
    {
        // "/usr/lib/postgresql/*/bin": newest version first.
        var star = folder.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return [folder];
        }

        var parent = folder[..star];
        var rest = folder[(star + 1)..].TrimStart('/');
        return Directory.Exists(parent)
            ? Directory.GetDirectories(parent).OrderDescending(StringComparer.Ordinal).Select(d => Path.Combine(d, rest))
            : [];
    }
}
