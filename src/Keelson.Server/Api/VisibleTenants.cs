using Keelson.Operations.Tenants;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>The tenants a caller may see in its mode's database: all of them for an admin (or the open demo), its own for a tenant-scoped key.</summary>
public static class VisibleTenants
{
    private const int PageSize = 500;

    /// <summary>Every tenant the caller may see, in the store's order.</summary>
    public static async Task<IReadOnlyList<TenantRecord>> ListAsync(ITenantStore tenants, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.Admin)
        {
            return caller.Tenant is { } id && await tenants.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } own ? [own] : [];
        }

        var all = new List<TenantRecord>();
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await tenants.ListAsync(offset, PageSize, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            if (page.Items.Count < PageSize || all.Count >= page.TotalCount)
            {
                return all;
            }
        }
    }
}
