namespace Keelson.Planning.Sizing;

/// <summary>The autoscaling target utilisation that keeps response time within the SLA.</summary>
public static class UtilisationTarget
{
    /// <summary>Lowest target: below this, headroom costs more than it buys.</summary>
    public const double Floor = 0.5;

    /// <summary>Highest target: above this, scale-out lags bursts.</summary>
    public const double Ceiling = 0.8;

    /// <summary>
    /// From the M/M/1 response time R = S / (1 − ρ): the highest utilisation ρ that keeps R within the target
    /// is 1 − S/R, clamped to [<see cref="Floor"/>, <see cref="Ceiling"/>].
    /// </summary>
    public static double For(TimeSpan serviceTime, TimeSpan responseTarget)
    {
        if (responseTarget <= TimeSpan.Zero)
        {
            return Floor;
        }

        var rho = 1.0 - (serviceTime.TotalMilliseconds / responseTarget.TotalMilliseconds);
        return Math.Round(Math.Clamp(rho, Floor, Ceiling), 2);
    }
}
