using Keelson.Delivery.Clusters;
using Keelson.Delivery.Kubernetes;

namespace Keelson.Delivery.Tests.Clusters;

public class TransientErrorsTests
{
    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(422, false)]
    public void An_api_server_answer_is_retried_only_when_it_is_throttling_or_a_server_error(int code, bool transient) =>
        Assert.Equal(transient, TransientErrors.IsTransient(new ClusterException(code, "Reason", "message")));

    [Fact]
    public void An_unreachable_server_or_a_client_timeout_is_retried_but_a_cancellation_or_a_bug_is_not()
    {
        Assert.True(TransientErrors.IsTransient(new HttpRequestException("Connection refused")));
        Assert.True(TransientErrors.IsTransient(new TaskCanceledException("timed out", new TimeoutException())));
        Assert.False(TransientErrors.IsTransient(new TaskCanceledException("cancelled")));
        Assert.False(TransientErrors.IsTransient(new InvalidOperationException("a bug")));
    }
}
