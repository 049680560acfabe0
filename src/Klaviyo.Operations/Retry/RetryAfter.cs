using System.Globalization;
using LanguageExt;

namespace Klaviyo;

/// <summary>Reads a <c>Retry-After</c> header: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Pure.</summary>
internal static class RetryAfter
{
    /// <summary>
    /// The longest wait a header is read as: a century. Anything longer means "not in this program's lifetime", and a
    /// bound this size can be added to any date before the year 7000 without overflowing.
    /// </summary>
    internal static readonly TimeSpan Longest = TimeSpan.FromDays(36_525);

    // Whole seconds with more digits than this are past Longest (3,155,760,000 s has 10 digits).
    private const int MostWholeDigits = 11;

    /// <summary>
    /// The wait the header asks for, measured from <paramref name="now"/>; <c>None</c> when absent or unreadable.
    /// Never throws, whatever the value.
    /// </summary>
    /// <remarks>
    /// <para>Delay-seconds are ASCII digits, optionally with a fraction (<c>3</c>, <c>1.5</c>, <c>.5</c>), read to the
    /// tick (100 ns; further digits are cut off). A date is the IMF-fixdate form (<c>Wed, 21 Oct 2015 07:28:00 GMT</c>);
    /// one in the past gives zero.</para>
    /// <para>Any wait longer than a century, however many digits it has (<c>1000000000000.5</c>, a 400-digit number,
    /// <c>Fri, 31 Dec 9999 23:59:59 GMT</c>), is read as exactly a century: the server asked for a very long wait,
    /// which a retry policy compares with its own limit. Anything else is <c>None</c>: signs (<c>-5</c>, <c>+5</c>),
    /// exponents (<c>1e3</c>), <c>NaN</c>, <c>Infinity</c>, non-ASCII digits, and dates that do not exist.</para>
    /// </remarks>
    /// <param name="value">The header value, e.g. <c>3</c> or <c>Wed, 21 Oct 2015 07:28:00 GMT</c>.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public static Option<TimeSpan> Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
            return Option<TimeSpan>.None;
        var v = value.Trim();
        if (Seconds(v) is { } seconds)
            return seconds;
        if (
            DateTimeOffset.TryParseExact(
                v,
                "r",
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var date
            )
        )
            // Two valid instants are at most 10,000 years apart, well inside TimeSpan's range.
            return date <= now ? TimeSpan.Zero : Min(date - now, Longest);
        return Option<TimeSpan>.None;
    }

    /// <summary>
    /// A delay in seconds as <see cref="Parse"/> reads it (digits, an optional fraction, capped at a century); <c>null</c>
    /// when <paramref name="value"/> is not one. Also reads <c>RateLimit-Reset</c>.
    /// </summary>
    /// <param name="value">The trimmed text.</param>
    internal static TimeSpan? Seconds(ReadOnlySpan<char> value)
    {
        var dot = value.IndexOf('.');
        var whole = dot < 0 ? value : value[..dot];
        var fraction = dot < 0 ? [] : value[(dot + 1)..];
        if (whole.Length + fraction.Length == 0 || !AllDigits(whole) || !AllDigits(fraction))
            return null;
        whole = whole.TrimStart('0');
        if (whole.Length > MostWholeDigits)
            return Longest;
        long ticks = 0;
        foreach (var c in whole)
            ticks = ticks * 10 + (c - '0');
        ticks *= TimeSpan.TicksPerSecond;
        // Seven fractional digits are a tick; the rest is below what a TimeSpan holds.
        var scale = TimeSpan.TicksPerSecond / 10;
        foreach (var c in fraction[..Math.Min(fraction.Length, 7)])
        {
            ticks += (c - '0') * scale;
            scale /= 10;
        }
        return Min(TimeSpan.FromTicks(ticks), Longest);
    }

    private static bool AllDigits(ReadOnlySpan<char> s) => !s.ContainsAnyExceptInRange('0', '9');

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
