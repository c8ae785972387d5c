using System.Data.Common;
using Keelson.Operations.Audit;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Cicd;

/// <summary>
/// Service images (table <c>cicd_images</c>) and their version history (<c>cicd_image_versions</c>) in SQLite or
/// PostgreSQL with shared SQL. Every change writes the image, its history entry and the audit entry in one transaction.
/// </summary>
public sealed class SqlImageStore(Database database)
{
    private const string Columns = "id, service_name, display_name, image_name, image_tag, registry_url, repository, category, description, is_active, version, created_at, updated_at";

    private SqlDialect Dialect => database.Dialect;

    /// <summary>Registers a new service image at version 1; <see cref="DuplicateServiceImageException"/> when the service has one (even inactive).</summary>
    public Task<ServiceImage> RegisterAsync(ServiceImage image, string actor, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            if (await ReadOneAsync(connection, transaction, image.ServiceName, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new DuplicateServiceImageException(image.ServiceName);
            }

            var now = database.Now();
            var created = image with { Version = 1, IsActive = true, CreatedAt = now, UpdatedAt = now };
            try
            {
                await using var insert = connection.Command(transaction,
                    "INSERT INTO cicd_images (service_name, display_name, image_name, image_tag, registry_url, repository, category, description, is_active, version, created_at, updated_at) " +
                    "VALUES (@service, @display, @name, @tag, @registry, @repository, @category, @description, @active, @version, @created, @updated) RETURNING id",
                    Parameters(created));
                created = created with { Id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) };
            }
            catch (DbException e) when (Dialect.IsUniqueViolation(e))
            {
                throw new DuplicateServiceImageException(image.ServiceName);
            }

            await RecordAsync(connection, transaction, created, "register", actor, audit, cancellationToken).ConfigureAwait(false);
            return created;
        }, cancellationToken);
    }

    /// <summary>The service's image, or null.</summary>
    public async Task<ServiceImage?> GetAsync(string serviceName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadOneAsync(connection, null, serviceName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Images newest first, of one category and/or state when given.</summary>
    public async Task<IReadOnlyList<ServiceImage>> ListAsync(string? category, bool? isActive, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (category is not null)
        {
            where.Add("category = @category");
            parameters.Add(("@category", category));
        }

        if (isActive is { } active)
        {
            where.Add("is_active = @active");
            parameters.Add(("@active", active));
        }

        await using var select = connection.Command(null,
            $"SELECT {Columns} FROM cicd_images {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))} ORDER BY created_at DESC, id DESC", [.. parameters]);
        return await ReadAllAsync(select, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes the service's image with <paramref name="change"/> (one version more, recorded as <paramref name="action"/>; nothing when it changes nothing);
    /// <see cref="RecordNotFoundException"/> when the service has none. Returns the image as changed.
    /// </summary>
    public Task<ServiceImage> UpdateAsync(string serviceName, Func<ServiceImage, ServiceImage> change, string action, string actor, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var current = await ReadOneAsync(connection, transaction, serviceName, cancellationToken).ConfigureAwait(false)
                ?? throw new RecordNotFoundException("service image", serviceName);
            var changed = change(current);
            if (changed with { Id = current.Id, ServiceName = current.ServiceName, Version = current.Version, CreatedAt = current.CreatedAt, UpdatedAt = current.UpdatedAt } == current)
            {
                // Nothing changed (the UI saving its form untouched, a second deactivate): no new version.
                return current;
            }

            var updated = changed with
            {
                Id = current.Id, ServiceName = current.ServiceName, Version = current.Version + 1, CreatedAt = current.CreatedAt, UpdatedAt = database.Now(),
            };
            await using (var update = connection.Command(transaction,
                "UPDATE cicd_images SET display_name = @display, image_name = @name, image_tag = @tag, registry_url = @registry, repository = @repository, " +
                "category = @category, description = @description, is_active = @active, version = @version, updated_at = @updated WHERE service_name = @service",
                Parameters(updated)))
            {
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await RecordAsync(connection, transaction, updated, action, actor, audit, cancellationToken).ConfigureAwait(false);
            return updated;
        }, cancellationToken);
    }

    /// <summary>
    /// Makes the service run what <paramref name="version"/> recorded again (image, tag, registry, repository, active),
    /// as a new version recorded as <c>rollback</c>; <see cref="RecordNotFoundException"/> when the service or version is unknown.
    /// </summary>
    public async Task<ServiceImage> RollbackAsync(string serviceName, int version, string actor, AuditEntry? audit, CancellationToken cancellationToken)
    {
        var target = (await HistoryAsync(serviceName, cancellationToken).ConfigureAwait(false)).FirstOrDefault(v => v.Version == version)
            ?? throw new RecordNotFoundException("image version", $"{version}' of service '{serviceName}");
        return await UpdateAsync(serviceName, current => current with
        {
            ImageName = target.ImageName, ImageTag = target.ImageTag, RegistryUrl = target.RegistryUrl, Repository = target.Repository, IsActive = target.IsActive,
        }, "rollback", actor, audit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every recorded change of the service's image, newest first (empty for an unknown service).</summary>
    public async Task<IReadOnlyList<ImageVersion>> HistoryAsync(string serviceName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            "SELECT service_name, version, action, image_name, image_tag, registry_url, repository, is_active, actor, changed_at FROM cicd_image_versions " +
            "WHERE service_name = @service ORDER BY version DESC", ("@service", serviceName));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<ImageVersion>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(new ImageVersion(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetBoolean(7), reader.GetString(8), reader.Time("changed_at")));
        }

        return versions;
    }

    private async Task RecordAsync(DbConnection connection, DbTransaction transaction, ServiceImage image, string action, string actor, AuditEntry? audit, CancellationToken cancellationToken)
    {
        await using (var insert = connection.Command(transaction,
            "INSERT INTO cicd_image_versions (service_name, version, action, image_name, image_tag, registry_url, repository, is_active, actor, changed_at) " +
            "VALUES (@service, @version, @action, @name, @tag, @registry, @repository, @active, @actor, @at)",
            ("@service", image.ServiceName), ("@version", image.Version), ("@action", action), ("@name", image.ImageName), ("@tag", image.ImageTag),
            ("@registry", image.RegistryUrl), ("@repository", image.Repository), ("@active", image.IsActive), ("@actor", actor), ("@at", Dialect.Time(image.UpdatedAt))))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (audit is not null)
        {
            await SqlAuditLog.InsertAsync(database, connection, transaction, audit, cancellationToken).ConfigureAwait(false);
        }
    }

    private (string, object?)[] Parameters(ServiceImage i) =>
    [
        ("@service", i.ServiceName), ("@display", i.DisplayName), ("@name", i.ImageName), ("@tag", i.ImageTag), ("@registry", i.RegistryUrl),
        ("@repository", i.Repository), ("@category", i.Category), ("@description", i.Description), ("@active", i.IsActive), ("@version", i.Version),
        ("@created", Dialect.Time(i.CreatedAt)), ("@updated", Dialect.Time(i.UpdatedAt)),
    ];

    private static async Task<ServiceImage?> ReadOneAsync(DbConnection connection, DbTransaction? transaction, string serviceName, CancellationToken cancellationToken)
    {
        await using var select = connection.Command(transaction, $"SELECT {Columns} FROM cicd_images WHERE service_name = @service", ("@service", serviceName));
        var found = await ReadAllAsync(select, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<IReadOnlyList<ServiceImage>> ReadAllAsync(DbCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var images = new List<ServiceImage>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            images.Add(new ServiceImage
            {
                Id = reader.GetInt64(0),
                ServiceName = reader.GetString(1),
                DisplayName = reader.GetString(2),
                ImageName = reader.GetString(3),
                ImageTag = reader.GetString(4),
                RegistryUrl = reader.GetString(5),
                Repository = reader.GetString(6),
                Category = reader.GetString(7),
                Description = reader.NullableString("description"),
                IsActive = reader.GetBoolean(9),
                Version = reader.GetInt32(10),
                CreatedAt = reader.Time("created_at"),
                UpdatedAt = reader.Time("updated_at"),
            });
        }

        return images;
    }
}
