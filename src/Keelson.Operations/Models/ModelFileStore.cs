using System.Globalization;
using System.Security.Cryptography;

namespace Keelson.Operations.Models;

/// <summary>
/// Model files, content-addressed under one directory: <c>sha256/ab/abcdef…</c>. An upload is streamed to a staging file
/// while it is hashed and counted; only a model that passed every check is moved into place, so identical uploads are
/// stored once and a refused upload leaves nothing behind.
/// </summary>
public sealed class ModelFileStore
{
    private readonly string root;

    /// <summary>A store under <paramref name="directory"/> (created when missing).</summary>
    public ModelFileStore(string directory)
    {
        root = Path.GetFullPath(directory);
        Directory.CreateDirectory(Path.Combine(root, "staging"));
    }

    /// <summary>Serialises commits and deletions in this process, so a file is never removed while a version that uses it is being added.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>
    /// Copies <paramref name="source"/> to a staging file, hashing as it goes; <see cref="ModelTooLargeException"/> (and no
    /// file left) once more than <paramref name="maxBytes"/> arrive.
    /// </summary>
    public async Task<StagedModelFile> StageAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var path = Path.Combine(root, "staging", Guid.NewGuid().ToString("N") + ".part");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new ModelTooLargeException(maxBytes);
                    }

                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }

            return new StagedModelFile(path, "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Moves a staged file to its content address (or drops it when that content is already stored); returns the stored path.</summary>
    public string Commit(StagedModelFile staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var target = PathOf(staged.Digest);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(staged.Path);
            return target;
        }

        try
        {
            File.Move(staged.Path, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another process stored the same content first.
            File.Delete(staged.Path);
        }

        return target;
    }

    /// <summary>Where the file of <paramref name="digest"/> lives (whether or not it is stored).</summary>
    public string PathOf(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..] : digest;
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"'{digest}' is not a sha256 digest."), nameof(digest));
        }

        return Path.Combine(root, "sha256", hex[..2], hex);
    }

    /// <summary>Whether the content is stored.</summary>
    public bool Contains(string digest) => File.Exists(PathOf(digest));

    /// <summary>Removes the file of <paramref name="digest"/> if present.</summary>
    public void Delete(string digest) => File.Delete(PathOf(digest));
}

/// <summary>An upload written to staging: where, its digest and size. Disposing deletes it unless it was committed.</summary>
public sealed record StagedModelFile(string Path, string Digest, long SizeBytes) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => File.Delete(Path);
}

/// <summary>An upload over the size limit.</summary>
public sealed class ModelTooLargeException : Exception
{
    /// <summary>Creates the exception for the limit.</summary>
    public ModelTooLargeException(long limitBytes)
        : base(string.Create(CultureInfo.InvariantCulture, $"the model is larger than the upload limit of {limitBytes} bytes (Keelson:Models:MaxUploadBytes)")) => LimitBytes = limitBytes;

    /// <summary>Creates the exception without a limit.</summary>
    public ModelTooLargeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ModelTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The limit that was exceeded.</summary>
    public long LimitBytes { get; }
}
