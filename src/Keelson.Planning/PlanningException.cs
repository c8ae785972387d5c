namespace Keelson.Planning;

/// <summary>A stack that is well-formed but cannot be planned on its cluster (nothing fits, no such device).</summary>
public sealed class PlanningException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlanningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PlanningException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PlanningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
