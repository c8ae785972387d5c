using Keelson.Spec.Model;

namespace Keelson.Planning.Sizing;

/// <summary>The tenancy size class (micro, small, medium, large) from a stack's totals.</summary>
public static class PresetDetector
{
    /// <summary>
    /// With AI services, the anchor's rule: channels = callbot + advisor + stt + tts sessions and users = chatbot
    /// sessions; micro below 10 channels and 50 users, small below 100 and 500, medium below 500 and 2,000.
    /// Without AI services, Keelson's rule on requested CPU at peak: micro below 2 cores, small below 8,
    /// medium below 32, large otherwise.
    /// </summary>
    public static string Detect(IReadOnlyList<(Component Component, int? Sessions)> sized, double peakCores)
    {
        var ai = sized.Where(s => s.Component is AiServiceComponent).ToList();
        if (ai.Count == 0)
        {
            return peakCores switch
            {
                < 2 => "micro",
                < 8 => "small",
                < 32 => "medium",
                _ => "large",
            };
        }

        var channels = ai.Where(s => ((AiServiceComponent)s.Component).Service is AiServiceType.Callbot or AiServiceType.Advisor or AiServiceType.Stt or AiServiceType.Tts)
            .Sum(s => s.Sessions ?? 0);
        var users = ai.Where(s => ((AiServiceComponent)s.Component).Service == AiServiceType.Chatbot).Sum(s => s.Sessions ?? 0);
        return (channels, users) switch
        {
            ( < 10, < 50) => "micro",
            ( < 100, < 500) => "small",
            ( < 500, < 2000) => "medium",
            _ => "large",
        };
    }
}
