namespace Keelson.Operations.Models;

/// <summary>A file that is not a readable ONNX model; the message says what is wrong and where (byte offset).</summary>
public sealed class OnnxFormatException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public OnnxFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public OnnxFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message (serialisation and analyzers want it).</summary>
    public OnnxFormatException()
    {
    }
}
