namespace Keelson.Rendering.Output;

/// <summary>A file of a rendered output, relative to the output directory.</summary>
public sealed record OutputFile(string Path, string Content, bool Executable = false);

/// <summary>Writes rendered files only after all of them exist in memory, so a failure never leaves half an output.</summary>
public static class OutputDirectory
{
    /// <summary>Writes <paramref name="files"/> under <paramref name="directory"/>, creating folders as needed.</summary>
    public static async Task WriteAsync(string directory, IReadOnlyList<OutputFile> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var path = System.IO.Path.Combine(directory, file.Path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Content, cancellationToken).ConfigureAwait(false);
            if (file.Executable && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }
    }
}
