using System.Text.Json.Serialization;
using Keelson.Operations.Tenants;

namespace Keelson.Operations.Caching;

/// <summary>How tenants are serialized into Redis; generated at build time so reads stay allocation-light.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(TenantRecord))]
internal sealed partial class TenantCacheJson : JsonSerializerContext;
