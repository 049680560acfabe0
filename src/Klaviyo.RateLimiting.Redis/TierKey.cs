using System.Globalization;
using System.Text;

namespace Klaviyo;

/// <summary>
/// The name of a rate-limit tier, formed from its windows, so that every operation of one tier shares one bucket:
/// <c>10/1s+150/60s</c> for Klaviyo's M tier (10 per second burst, 150 per minute steady), with <c>+50/86400s</c>
/// appended for a daily limit. Windows that are not whole seconds are written in milliseconds (<c>5/200ms</c>).
/// Klaviyo names the tiers (XS to XL) by these same numbers, so equal numbers mean one tier.
/// </summary>
internal static class TierKey
{
    /// <summary>The tier's name, e.g. <c>10/1s+150/60s</c>.</summary>
    /// <param name="tier">The tier.</param>
    public static string Of(RateLimitTier tier)
    {
        var sb = new StringBuilder(32);
        foreach (var rate in Windows(tier))
        {
            if (sb.Length > 0)
                sb.Append('+');
            sb.Append(rate.Count.ToString(CultureInfo.InvariantCulture))
                .Append('/')
                .Append(Window(rate.Per));
        }
        return sb.Length == 0 ? "none" : sb.ToString();
    }

    /// <summary>The tier's windows that limit anything (count above zero), shortest first as the spec lists them.</summary>
    /// <param name="tier">The tier.</param>
    public static IReadOnlyList<Rate> Windows(RateLimitTier tier) =>
        new[] { tier.Burst, tier.Steady, tier.Daily }
            .Where(r => r is not null && r.Count > 0 && r.Per > TimeSpan.Zero)
            .Select(r => r!)
            .ToArray();

    /// <summary>A window's length as written in keys: <c>1s</c>, <c>60s</c>, <c>200ms</c>.</summary>
    /// <param name="per">The window.</param>
    public static string Window(TimeSpan per) =>
        per.Ticks % TimeSpan.TicksPerSecond == 0
            ? ((long)per.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : ((long)Math.Ceiling(per.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture)
                + "ms";
}
