namespace Keelson.Operations.Storage;

/// <summary>A store was asked to change a record that does not exist.</summary>
public sealed class RecordNotFoundException : Exception
{
    /// <summary>Creates the exception for a record kind and id.</summary>
    public RecordNotFoundException(string kind, string id)
        : base($"No {kind} '{id}' exists; it may have been deleted.")
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>Creates the exception for an unnamed record.</summary>
    public RecordNotFoundException()
        : this("record", string.Empty)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RecordNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = "record";
        Id = string.Empty;
    }

    /// <summary>What kind of record (tenant, deployment).</summary>
    public string Kind { get; }

    /// <summary>The id that was not found.</summary>
    public string Id { get; }
}
