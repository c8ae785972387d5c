using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Keelson.Rendering;
using Keelson.Rendering.Output;

namespace Keelson.Server.Api;

/// <summary>
/// The <c>manifest</c> download: the rendered objects as one YAML document stream or a JSON <c>List</c>, or the Helm
/// chart or Kustomize base with overlays as a <c>.tar.gz</c>; always as an attachment named after the tenant.
/// </summary>
public static class ManifestDownload
{
    /// <summary>The formats served.</summary>
    public static readonly IReadOnlyList<string> Formats = ["yaml", "json", "helm", "kustomize"];

    /// <summary>The file for <paramref name="format"/> (one of <see cref="Formats"/>).</summary>
    public static (byte[] Content, string ContentType, string FileName) Build(Manifest manifest, string format)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var resources = manifest.Objects.Select(o => o.Resource);
        return format switch
        {
            "json" => (Encoding.UTF8.GetBytes(ManifestYaml.JsonList(resources)), "application/json", $"{manifest.Namespace}.json"),
            "helm" => (Archive(manifest.Namespace, HelmLayout.Files(manifest)), "application/gzip", $"{manifest.Namespace}-chart.tar.gz"),
            "kustomize" => (Archive(manifest.Namespace, KustomizeLayout.Files(manifest)), "application/gzip", $"{manifest.Namespace}-kustomize.tar.gz"),
            _ => (Encoding.UTF8.GetBytes(ManifestYaml.Documents(resources)), "application/yaml", $"{manifest.Namespace}.yaml"),
        };
    }

    // A reproducible archive: fixed timestamps and modes, files in the layout's order, under one top folder.
    private static byte[] Archive(string folder, IReadOnlyList<OutputFile> files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var file in files)
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, $"{folder}/{file.Path}")
                {
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    Mode = file.Executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(file.Content)),
                };
                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }
}
