using System.Text.RegularExpressions;
using Keelson.Operations.Cicd;
using Keelson.Spec.Parsing;
using Keelson.Spec.Schema;

namespace Keelson.Server.Api;

/// <summary>Checks the image registration form (and the partial form of an update) field by field.</summary>
public static partial class ServiceImageInput
{
    /// <summary>Service names that are routes under <c>/api/v1/cicd/</c> and so cannot name a service.</summary>
    public static readonly IReadOnlyList<string> ReservedNames =
        ["list", "register", "stats", "global-settings", "tenant-settings", "system-status", "initialize-default-settings", "test-registry-connection"];

    private static readonly string[] Fields = ["service_name", "display_name", "image_name", "image_tag", "registry_url", "repository", "category", "description", "is_active"];

    /// <summary>
    /// The image a body describes: a new one when <paramref name="current"/> is null (every field the UI marks required
    /// must be there), else <paramref name="current"/> with the fields the body has. Problems land in <paramref name="fields"/>.
    /// </summary>
    public static ServiceImage? Read(CicdFields fields, ServiceImage? current, string? pathService)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var isNew = current is null;
        fields.OnlyKnown(isNew ? Fields[..^1] : Fields);
        var service = fields.Text("service_name", isNew, 63);
        if (service is not null)
        {
            if (Scalars.Check(ScalarType.DnsLabel, service) is { } allowed)
            {
                fields.Fail("service_name", $"'{service}' is not {allowed} (it names the service's workloads)");
            }
            else if (ReservedNames.Contains(service))
            {
                fields.Fail("service_name", $"'{service}' is a route under /api/v1/cicd/; choose another name");
            }
            else if (pathService is not null && service != pathService)
            {
                fields.Fail("service_name", $"'{service}' does not match the service in the path, '{pathService}'; a service cannot be renamed");
            }
        }

        var display = fields.Text("display_name", isNew, StackFromRequest.MaxNameLength);
        var name = Checked(fields, "image_name", fields.Text("image_name", isNew, 255), ImageName(), "a repository-style name such as callbot or ai/callbot (lower case, digits, '.', '_', '-')");
        var tag = Checked(fields, "image_tag", fields.Text("image_tag", false, 128), Tag(), "a tag such as 1.2.0 or latest (letters, digits, '_', '.', '-'; at most 128)");
        var registry = fields.Text("registry_url", isNew, 255);
        if (registry is not null && RegistryAddress.Parse(registry).Error is { } bad)
        {
            fields.Fail("registry_url", bad);
            registry = null;
        }

        var repository = fields.Text("repository", false, 255);
        if (repository is { Length: > 0 } && !ImageName().IsMatch(repository.Trim('/')))
        {
            fields.Fail("repository", $"'{repository}' is not a repository path such as ecp-ai or team/ecp-ai (lower case, digits, '.', '_', '-')");
            repository = null;
        }

        var category = fields.OneOf("category", isNew, [.. ServiceImage.Categories]);
        var description = fields.Text("description", false, StackFromRequest.MaxDescriptionLength);
        var active = isNew ? null : fields.Bool("is_active");
        if (!fields.Valid)
        {
            return null;
        }

        var image = current is null
            ? new ServiceImage
            {
                ServiceName = service!, DisplayName = display!, ImageName = name!, ImageTag = tag ?? "latest", RegistryUrl = registry!,
                Repository = repository ?? "", Category = category!, Description = description,
            }
            : current with
            {
                DisplayName = display ?? current.DisplayName, ImageName = name ?? current.ImageName, ImageTag = tag ?? current.ImageTag,
                RegistryUrl = registry ?? current.RegistryUrl, Repository = repository ?? current.Repository, Category = category ?? current.Category,
                Description = fields.Has("description") ? description : current.Description, IsActive = active ?? current.IsActive,
            };

        // The parts each passed; together they must still be a reference a container runtime accepts.
        if (Scalars.Check(ScalarType.Image, image.Reference) is { } reference)
        {
            fields.Fail("registry_url", $"'{image.Reference}' is not {reference}; registry hosts are lower case");
            return null;
        }

        return image;
    }

    private static string? Checked(CicdFields fields, string field, string? value, Regex pattern, string allowed)
    {
        if (value is not null && !pattern.IsMatch(value))
        {
            fields.Fail(field, $"'{value}' is not {allowed}");
            return null;
        }

        return value;
    }

    [GeneratedRegex("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$")]
    private static partial Regex ImageName();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex Tag();
}
