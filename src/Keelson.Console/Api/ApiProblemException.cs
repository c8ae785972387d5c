using System.Text.Json.Nodes;

namespace Keelson.Console.Api;

/// <summary>An answer of the API that is not a success: its status and the problem document's title, detail and field errors.</summary>
public sealed class ApiProblemException : Exception
{
    /// <summary>A problem from an answer.</summary>
    public ApiProblemException(int status, string title, string detail, IReadOnlyDictionary<string, IReadOnlyList<string>> errors)
        : base($"{status} {title}: {detail}")
    {
        Status = status;
        Title = title;
        Detail = detail;
        Errors = errors;
    }

    /// <summary>An empty problem (for the analyzers' standard constructors).</summary>
    public ApiProblemException()
        : this(0, "", "", new Dictionary<string, IReadOnlyList<string>>())
    {
    }

    /// <summary>A problem with only a message.</summary>
    public ApiProblemException(string message)
        : this(0, message, message, new Dictionary<string, IReadOnlyList<string>>())
    {
    }

    /// <summary>A problem with only a message and its cause.</summary>
    public ApiProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Title = message;
        Detail = message;
        Errors = new Dictionary<string, IReadOnlyList<string>>();
    }

    /// <summary>HTTP status; 0 when the server could not be reached.</summary>
    public int Status { get; }

    /// <summary>The problem's title.</summary>
    public string Title { get; }

    /// <summary>The problem's detail: what went wrong and what to do.</summary>
    public string Detail { get; }

    /// <summary>Field path → messages, for 422 answers.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; }

    /// <summary>Reads a problem document (or whatever the body is) of a failed answer.</summary>
    public static ApiProblemException From(int status, string body)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        try
        {
            if (JsonNode.Parse(body) is JsonObject problem)
            {
                if (problem["errors"] is JsonObject fields)
                {
                    foreach (var (field, messages) in fields)
                    {
                        errors[field] = messages is JsonArray list ? [.. list.Select(m => m?.ToString() ?? "")] : [messages?.ToString() ?? ""];
                    }
                }

                return new ApiProblemException(status, problem["title"]?.ToString() ?? $"HTTP {status}", problem["detail"]?.ToString() ?? "", errors);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the body itself is the best detail there is.
        }

        return new ApiProblemException(status, $"HTTP {status}", body.Length > 500 ? body[..500] : body, errors);
    }
}
