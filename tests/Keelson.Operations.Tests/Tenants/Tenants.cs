using Keelson.Operations.Tenants;

namespace Keelson.Operations.Tests.Tenants;

/// <summary>Tenants shaped like the seed's examples.</summary>
internal static class Tenants
{
    public static TenantRecord Seed(string tenantId, bool isDemo = false, TenantStatus status = TenantStatus.Pending) => new()
    {
        TenantId = tenantId,
        Name = "글로벌 콜센터",
        Preset = "large",
        IsDemo = isDemo,
        Status = status,
        ServiceRequirementsJson = """{"callbot": 50, "chatbot": 100, "advisor": 25}""",
        ResourcesJson = """{"cpu": "45000m", "memory": "64Gi", "gpu": 6}""",
        SlaTargetJson = """{"availability": "99.9%", "response_time": "200ms"}""",
        CpuLimit = "45000m",
        MemoryLimit = "64Gi",
        GpuLimit = 6,
        StorageLimit = "1Ti",
        GpuType = "t4",
        Spec = "name: global-call-center\n",
    };
}
