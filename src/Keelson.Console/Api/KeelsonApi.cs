using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keelson.Console.Api;

/// <summary>
/// The console's only way to Keelson: the public HTTP API and WebSockets, with the tab's mode (<c>X-Demo-Mode</c>) and
/// key (<c>X-API-Key</c>) on every call, exactly as any other client would send them.
/// </summary>
public sealed class KeelsonApi(IHttpClientFactory clients, ApiAddress address, ConsoleSession session)
{
    /// <summary>The named client the console uses.</summary>
    public const string ClientName = "keelson-console";

    /// <summary>The JSON names of the API (snake_case).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The session whose mode and key the calls carry.</summary>
    public ConsoleSession Session => session;

    /// <summary>GET a JSON answer.</summary>
    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>POST a JSON body and read a JSON answer.</summary>
    public async Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, path, JsonContent.Create(body, options: Json), cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>POST a text body of the given media type (a stack document as <c>application/yaml</c>) and read a JSON answer.</summary>
    public async Task<T> PostTextAsync<T>(string path, string text, string mediaType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, path, new StringContent(text, Encoding.UTF8, mediaType), cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>PUT a JSON body and read a JSON answer.</summary>
    public async Task<T> PutAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, path, JsonContent.Create(body, options: Json), cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>PATCH with a JSON merge-style body and read a JSON answer.</summary>
    public async Task<T> PatchAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Patch, path, JsonContent.Create(body, options: Json), cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>DELETE; a problem answer throws like every other call.</summary>
    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET a file the API serves as a download, with the name its <c>Content-Disposition</c> gives.</summary>
    public async Task<Download> DownloadAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "download";
        var type = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        return new Download(name, type, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>GET a text answer (YAML).</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens one of the API's WebSockets (<c>ws/…</c>) with the mode and key in its headers.</summary>
    public async Task<ClientWebSocket> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        EnsureMayCall();
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Demo-Mode", session.Mode == ConsoleMode.Demo ? "true" : "false");
        if (session.ApiKey is { } key)
        {
            socket.Options.SetRequestHeader("X-API-Key", key);
        }

        var uri = new UriBuilder(new Uri(address.Base, path)) { Scheme = address.Base.Scheme == "https" ? "wss" : "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            socket.Dispose();
            throw new ApiProblemException($"The stream {path} could not be opened: {e.Message}", e);
        }

        return socket;
    }

    /// <summary>Reads one whole text message of a socket; null when the server closed it.</summary>
    public static async Task<JsonNode?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonNode.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        EnsureMayCall();
        using var request = new HttpRequestMessage(method, new Uri(address.Base, path)) { Content = content };
        request.Headers.Add("X-Demo-Mode", session.Mode == ConsoleMode.Demo ? "true" : "false");
        if (session.ApiKey is { } key)
        {
            request.Headers.Add("X-API-Key", key);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ApiProblemException($"The API at {address.Base} did not answer: {e.Message}", e);
        }

        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            response.Dispose();
            throw ApiProblemException.From(status, body);
        }

        return response;
    }

    private void EnsureMayCall()
    {
        // The console's calls come from loopback; without this a remote browser would ride on the open loopback demo.
        if (session.ApiKey is null && !session.BrowserOnLoopback)
        {
            throw new ApiProblemException(401, "An API key is required",
                "This browser is not on the server's machine, so the console needs an API key even in demo mode. Enter one under Settings.",
                new Dictionary<string, IReadOnlyList<string>>());
        }
    }
}
