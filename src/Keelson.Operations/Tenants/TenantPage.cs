namespace Keelson.Operations.Tenants;

/// <summary>One page of tenants with the seed's list counts, which cover all tenants, not just the page.</summary>
public sealed record TenantPage(IReadOnlyList<TenantRecord> Items, int TotalCount, int DemoCount, int ActiveCount);
