using System.Text.Json.Nodes;
using Keelson.Operations.Audit;

namespace Keelson.Operations.Models;

/// <summary>
/// A database's model registry: uploads checked (read as ONNX, then loaded by <see cref="IModelVerifier"/>) before a
/// version is recorded and its file kept; deletions remove the file once no version uses it.
/// </summary>
public sealed class ModelRegistry(SqlModelStore store, ModelFileStore files, IModelVerifier verifier)
{
    /// <summary>The versions, aliases and serving settings.</summary>
    public SqlModelStore Store => store;

    /// <summary>The content-addressed files.</summary>
    public ModelFileStore Files => files;

    /// <summary>
    /// Streams, checks and records a new version of <paramref name="name"/>. <see cref="OnnxFormatException"/> or
    /// <see cref="ModelTooLargeException"/> when refused, with nothing stored.
    /// </summary>
    public async Task<ModelVersion> UploadAsync(string tenantId, string name, Stream content, long maxBytes, string actor, string requestId, CancellationToken cancellationToken)
    {
        using var staged = await files.StageAsync(content, maxBytes, cancellationToken).ConfigureAwait(false);
        var info = OnnxModelReader.Read(await File.ReadAllBytesAsync(staged.Path, cancellationToken).ConfigureAwait(false));
        await verifier.VerifyAsync(staged.Path, info, cancellationToken).ConfigureAwait(false);
        await files.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var audit = Audit(actor, "model.version.upload", tenantId, new JsonObject
            {
                ["model"] = name, ["digest"] = staged.Digest, ["size_bytes"] = staged.SizeBytes, ["request_id"] = requestId,
            });
            var version = await store.AddVersionAsync(tenantId, name, staged.Digest, staged.SizeBytes, info, actor, audit, cancellationToken).ConfigureAwait(false);
            files.Commit(staged);
            return version;
        }
        finally
        {
            files.Gate.Release();
        }
    }

    /// <summary>
    /// Deletes a version (refused while an alias points at it) and its file when no other version uses it; what was
    /// deleted, or null when the version does not exist.
    /// </summary>
    public async Task<DeletedVersion?> DeleteVersionAsync(string tenantId, string name, int version, string actor, string requestId, CancellationToken cancellationToken)
    {
        await files.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = await store.ResolveAsync(tenantId, name, version.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                return null;
            }

            var audit = Audit(actor, "model.version.delete", tenantId, new JsonObject { ["model"] = name, ["version"] = version, ["digest"] = existing.Digest, ["request_id"] = requestId });
            if (!await store.DeleteVersionAsync(tenantId, name, version, audit, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var fileDeleted = !await store.IsDigestUsedAsync(existing.Digest, cancellationToken).ConfigureAwait(false);
            if (fileDeleted)
            {
                files.Delete(existing.Digest);
            }

            return new DeletedVersion(existing, fileDeleted);
        }
        finally
        {
            files.Gate.Release();
        }
    }

    /// <summary>Deletes every model of a deleted tenant and the files no other version uses; those files' digests.</summary>
    public async Task<IReadOnlyList<string>> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await files.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var removed = new List<string>();
            foreach (var digest in await store.DeleteTenantAsync(tenantId, cancellationToken).ConfigureAwait(false))
            {
                if (!await store.IsDigestUsedAsync(digest, cancellationToken).ConfigureAwait(false))
                {
                    files.Delete(digest);
                    removed.Add(digest);
                }
            }

            return removed;
        }
        finally
        {
            files.Gate.Release();
        }
    }

    /// <summary>The audit entry of a registry change.</summary>
    public static AuditEntry Audit(string actor, string action, string tenantId, JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new AuditEntry { Actor = actor, Action = action, TenantId = tenantId, DetailsJson = details.ToJsonString() };
    }
}

/// <summary>A deleted model version, and whether its file went with it (no other version used it).</summary>
public sealed record DeletedVersion(ModelVersion Version, bool FileDeleted);
