namespace Keelson.Operations.Storage;

/// <summary>An update carried a version that is no longer current: someone else changed the record first; re-read and retry.</summary>
public sealed class ConcurrencyException : Exception
{
    /// <summary>Creates the exception for a record whose expected version is stale.</summary>
    public ConcurrencyException(string kind, string id, long expectedVersion)
        : base($"The {kind} '{id}' was changed by someone else: version {expectedVersion} is no longer current. Read it again and retry the change.")
    {
        ExpectedVersion = expectedVersion;
    }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The version the caller read and expected to replace.</summary>
    public long ExpectedVersion { get; }
}
