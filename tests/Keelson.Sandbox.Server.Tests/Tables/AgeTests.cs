using Keelson.Sandbox.Server.Tables;

namespace Keelson.Sandbox.Server.Tests.Tables;

public sealed class AgeTests
{
    // The cases of kubectl's HumanDuration tests (k8s.io/apimachinery/pkg/util/duration).
    [Theory]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(330, "5m30s")]
    [InlineData(3600, "60m")]
    [InlineData(3 * 3600 + 600, "3h10m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(4 * 86400 + 6 * 3600, "4d6h")]
    [InlineData(400 * 86400, "400d")]
    [InlineData(3 * 365 * 86400 + 86400, "3y1d")]
    public void Formats_like_kubectl(long seconds, string expected) => Assert.Equal(expected, Age.Format(TimeSpan.FromSeconds(seconds)));
}
