using System.Globalization;
using LanguageExt;

namespace Klaviyo;

/// <summary>Reads a <c>Retry-After</c> header: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Pure.</summary>
internal static class RetryAfter
{
    /// <summary>
    /// The wait the header asks for, measured from <paramref name="now"/>; <c>None</c> when absent or unreadable.
    /// A date in the past gives zero.
    /// </summary>
    /// <param name="value">The header value, e.g. <c>3</c> or <c>Wed, 21 Oct 2015 07:28:00 GMT</c>.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public static Option<TimeSpan> Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
            return Option<TimeSpan>.None;
        var v = value.Trim();
        if (long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(
                Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds - 1)
            );
        if (
            decimal.TryParse(
                v,
                NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture,
                out var fractional
            )
        )
            return TimeSpan.FromSeconds((double)fractional);
        if (
            DateTimeOffset.TryParseExact(
                v,
                "r",
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var date
            )
        )
            return date <= now ? TimeSpan.Zero : date - now;
        return Option<TimeSpan>.None;
    }
}
