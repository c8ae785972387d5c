namespace Keelson.Operations.Models;

/// <summary>One uploaded version of a tenant's model: its number, the content digest of its file, and what the file says about itself.</summary>
public sealed record ModelVersion
{
    /// <summary>The tenant the model belongs to.</summary>
    public required string TenantId { get; init; }

    /// <summary>The model's name within the tenant.</summary>
    public required string Name { get; init; }

    /// <summary>1, 2, 3, ... in upload order; a deleted version's number is not reused.</summary>
    public required int Version { get; init; }

    /// <summary>The SHA-256 of the file, <c>sha256:</c> and 64 lowercase hex digits; identical uploads share one stored file.</summary>
    public required string Digest { get; init; }

    /// <summary>The file's size.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>What the model declares: inputs, outputs, operator sets, producer.</summary>
    public required OnnxModelInfo Info { get; init; }

    /// <summary>Who uploaded it: <c>admin</c> or <c>tenant-key:ID</c>.</summary>
    public required string UploadedBy { get; init; }

    /// <summary>When it was uploaded.</summary>
    public required DateTimeOffset UploadedAt { get; init; }

    /// <summary>Aliases that point at this version now (<c>production</c>, <c>staging</c>, ...), sorted.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}

/// <summary>An alias of a model and the version it points at.</summary>
public sealed record ModelAlias(string TenantId, string Name, string Alias, int Version, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>How requests to a model are served: dynamic batching and a concurrency limit, per model (every version).</summary>
public sealed record ModelServing
{
    /// <summary>The default: no batching, four requests computing at once.</summary>
    public static readonly ModelServing Default = new();

    /// <summary>Largest batch the batcher forms along the first dimension; 1 or less turns batching off.</summary>
    public int MaxBatchSize { get; init; } = 1;

    /// <summary>Longest a request waits for others to join its batch, in microseconds.</summary>
    public int MaxQueueDelayMicroseconds { get; init; } = 500;

    /// <summary>Most batches (or single requests) computing at once for this model.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Whether requests are stacked into batches.</summary>
    public bool Batching => MaxBatchSize > 1;
}
