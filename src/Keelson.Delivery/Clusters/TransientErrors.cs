using System.Net.Sockets;
using Keelson.Delivery.Kubernetes;

namespace Keelson.Delivery.Clusters;

/// <summary>
/// Which cluster errors are worth another try: the API server unreachable or timing out, or answering 429 or 5xx
/// (what client-go retries too). A 4xx other than 429 is an answer about the request and is not retried.
/// </summary>
public static class TransientErrors
{
    /// <summary>Whether <paramref name="error"/> may pass if the same call is made again a little later.</summary>
    public static bool IsTransient(Exception error) => error switch
    {
        ClusterException e => e.Code is 429 or >= 500,
        HttpRequestException or SocketException or IOException => true,
        TaskCanceledException e => e.InnerException is TimeoutException,
        _ => false,
    };
}
