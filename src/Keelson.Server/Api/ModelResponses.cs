using Keelson.Operations.Models;

namespace Keelson.Server.Api;

/// <summary>One input or output of a model as the API shows it; -1 marks an open dimension, named in <c>dimension_names</c> when the model names it ("" otherwise).</summary>
public sealed record TensorSpecResponse(string Name, string Datatype, IReadOnlyList<long> Shape, IReadOnlyList<string> DimensionNames)
{
    /// <summary>From the registry's record.</summary>
    public static TensorSpecResponse From(TensorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new(spec.Name, spec.Datatype, spec.Shape, [.. spec.DimensionNames.Select(n => n ?? "")]);
    }
}

/// <summary>An operator set a model imports.</summary>
public sealed record OpsetResponse(string Domain, long Version);

/// <summary>A model version: number, digest, size, what the file declares, who uploaded it and when, aliases pointing at it.</summary>
public sealed record ModelVersionResponse(
    string TenantId, string Name, int Version, string Digest, long SizeBytes, string UploadedBy, DateTimeOffset UploadedAt, IReadOnlyList<string> Aliases,
    long IrVersion, string ProducerName, string ProducerVersion, string GraphName, long Opset, IReadOnlyList<OpsetResponse> Opsets,
    IReadOnlyList<TensorSpecResponse> Inputs, IReadOnlyList<TensorSpecResponse> Outputs)
{
    /// <summary>From the registry's record.</summary>
    public static ModelVersionResponse From(ModelVersion v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(v.TenantId, v.Name, v.Version, v.Digest, v.SizeBytes, v.UploadedBy, v.UploadedAt, v.Aliases,
            v.Info.IrVersion, v.Info.ProducerName, v.Info.ProducerVersion, v.Info.GraphName, v.Info.Opset, [.. v.Info.Opsets.Select(o => new OpsetResponse(o.Domain, o.Version))],
            [.. v.Info.Inputs.Select(TensorSpecResponse.From)], [.. v.Info.Outputs.Select(TensorSpecResponse.From)]);
    }
}

/// <summary>A model's versions, newest first.</summary>
public sealed record ModelVersionList(string TenantId, string Name, IReadOnlyList<ModelVersionResponse> Versions);

/// <summary>A model of a tenant: name, newest version number, how many versions exist.</summary>
public sealed record ModelSummary(string Name, int LatestVersion, int Versions);

/// <summary>A tenant's models, by name.</summary>
public sealed record ModelList(string TenantId, IReadOnlyList<ModelSummary> Models);

/// <summary>An alias and the version it points at.</summary>
public sealed record ModelAliasResponse(string Alias, int Version, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>A model's aliases, by name.</summary>
public sealed record ModelAliasList(string TenantId, string Name, IReadOnlyList<ModelAliasResponse> Aliases);

/// <summary>The body of an alias change: the version it should point at.</summary>
public sealed record ModelAliasRequest(int Version);

/// <summary>How a model is served: dynamic batching (max batch size 1 turns it off), its queue delay in microseconds, and the concurrency limit.</summary>
public sealed record ModelServingBody(int MaxBatchSize, int MaxQueueDelayUs, int MaxConcurrency);
