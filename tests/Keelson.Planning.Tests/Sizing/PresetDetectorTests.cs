using Keelson.Planning.Placement;
using Keelson.Planning.Sizing;
using Keelson.Spec.Model;

namespace Keelson.Planning.Tests.Sizing;

public sealed class PresetDetectorTests
{
    private static (Component, int?) Ai(AiServiceType service, int sessions) =>
        (new AiServiceComponent { Name = service.ToString().ToLowerInvariant(), Service = service }, sessions);

    [Theory]
    [InlineData(9, 49, "micro")]
    [InlineData(10, 0, "small")]
    [InlineData(0, 50, "small")]
    [InlineData(99, 499, "small")]
    [InlineData(100, 0, "medium")]
    [InlineData(499, 1999, "medium")]
    [InlineData(500, 0, "large")]
    [InlineData(0, 2000, "large")]
    public void Anchor_thresholds_on_channels_and_users(int callbot, int chatbot, string expected) =>
        Assert.Equal(expected, PresetDetector.Detect([Ai(AiServiceType.Callbot, callbot), Ai(AiServiceType.Chatbot, chatbot)], 0));

    [Fact]
    public void Advisor_stt_and_tts_count_as_channels_and_nlp_does_not()
    {
        Assert.Equal("medium", PresetDetector.Detect([Ai(AiServiceType.Advisor, 40), Ai(AiServiceType.Stt, 30), Ai(AiServiceType.Tts, 30)], 0));
        Assert.Equal("micro", PresetDetector.Detect([Ai(AiServiceType.Nlp, 5000)], 0));
    }

    [Theory]
    [InlineData(1.99, "micro")]
    [InlineData(2, "small")]
    [InlineData(31.9, "medium")]
    [InlineData(32, "large")]
    public void Without_ai_services_cpu_decides(double cores, string expected) =>
        Assert.Equal(expected, PresetDetector.Detect([(new ServiceComponent { Name = "api", Image = "x:1" }, null)], cores));

    [Theory]
    [InlineData(1, false, 3, 1)]
    [InlineData(2, false, 3, 2)]
    [InlineData(5, false, 3, 2)]
    [InlineData(5, true, 3, 3)]
    [InlineData(2, true, 3, 2)]
    [InlineData(5, true, 0, 2)]
    [InlineData(0, false, 3, 0)]
    public void Spread_floor_by_replicas_and_zones(int replicas, bool zoneSpread, int zones, int expected) =>
        Assert.Equal(expected, SpreadRule.MinimumNodes(replicas, zoneSpread, zones));
}
