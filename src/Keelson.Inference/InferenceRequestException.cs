namespace Keelson.Inference;

/// <summary>A request the server refuses (the caller's error, or a model it cannot serve): the HTTP status, a title and a detail naming the input concerned.</summary>
public sealed class InferenceRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InferenceRequestException(int status, string title, string detail)
        : base(detail)
    {
        Status = status;
        Title = title;
    }

    /// <summary>Creates a 400 with a message.</summary>
    public InferenceRequestException(string message)
        : this(400, "The inference request is not valid", message)
    {
    }

    /// <summary>Creates a 400 with a message and cause.</summary>
    public InferenceRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Title = "The inference request is not valid";
    }

    /// <summary>Creates a 400 without a message.</summary>
    public InferenceRequestException()
        : this("The inference request is not valid.")
    {
    }

    /// <summary>The HTTP status to answer with.</summary>
    public int Status { get; }

    /// <summary>The problem's title.</summary>
    public string Title { get; } = "The inference request is not valid";
}
