namespace Keelson.Operations.Models;

/// <summary>A change the registry refuses because of the model's current state; the message says why and what to do.</summary>
public sealed class ModelConflictException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public ModelConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public ModelConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public ModelConflictException()
    {
    }
}
