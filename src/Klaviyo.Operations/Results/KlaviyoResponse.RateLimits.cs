using System.Globalization;

namespace Klaviyo;

public partial record KlaviyoResponse
{
    /// <summary>
    /// <c>RateLimit-Limit</c>: requests allowed in the current (steady) window; <c>null</c> when absent or unreadable.
    /// Only the first number counts, so <c>10, 10;w=1, 150;w=60</c> gives 10. Klaviyo leaves the
    /// <c>RateLimit-*</c> headers out of 429 answers; read <see cref="RetryAfterAt"/> there.
    /// </summary>
    public int? RateLimitLimit =>
        FirstCount(Headers.Get("RateLimit-Limit").IfNoneUnsafe((string?)null));

    /// <summary><c>RateLimit-Remaining</c>: roughly how many requests are left in the window; <c>null</c> when absent or unreadable.</summary>
    public int? RateLimitRemaining =>
        FirstCount(Headers.Get("RateLimit-Remaining").IfNoneUnsafe((string?)null));

    /// <summary>
    /// <c>RateLimit-Reset</c>: how long until the window resets (the header is in seconds, read as
    /// <see cref="RetryAfterSeconds"/> reads them: at most a century); <c>null</c> when absent or unreadable.
    /// </summary>
    public TimeSpan? RateLimitReset =>
        FirstItem(Headers.Get("RateLimit-Reset").IfNoneUnsafe((string?)null)) is { } item
            ? RetryAfter.Seconds(item)
            : null;

    /// <summary>
    /// <c>Retry-After</c> in its delay-seconds form (what Klaviyo sends with a 429), e.g. <c>Retry-After: 3</c>;
    /// <c>null</c> when absent, unreadable, or given as an HTTP date (use <see cref="RetryAfterAt"/> for those).
    /// Never throws: digits with an optional fraction are read to the tick, and a wait longer than a century (e.g.
    /// <c>1000000000000.5</c>) is read as a century; signs, exponents, <c>NaN</c> and <c>Infinity</c> are unreadable.
    /// See <see cref="RetryAfter.Parse"/>.
    /// </summary>
    public TimeSpan? RetryAfterSeconds =>
        Headers.Get("Retry-After").IfNoneUnsafe((string?)null)?.Trim() is { } value
            ? RetryAfter.Seconds(value)
            : null;

    /// <summary>
    /// How long <c>Retry-After</c> asks to wait, measured at <paramref name="now"/>: delay-seconds as given, an HTTP
    /// date as the time until then (zero when it has passed); <c>null</c> when absent or unreadable. Pure: pass the
    /// time, e.g. <c>TimeProvider.GetUtcNow()</c>. Never throws; a wait longer than a century is read as a century
    /// (see <see cref="RetryAfter.Parse"/>).
    /// </summary>
    /// <param name="now">The current time.</param>
    public TimeSpan? RetryAfterAt(DateTimeOffset now) =>
        ToNullable(RetryAfter.Parse(Headers.Get("Retry-After").IfNoneUnsafe((string?)null), now));

    /// <summary>The first item of a list-valued header (<c>10, 10;w=1</c> → <c>10</c>, <c>150;w=60</c> → <c>150</c>), trimmed and unquoted.</summary>
    private static string? FirstItem(string? value)
    {
        if (value is null)
            return null;
        var end = value.IndexOfAny([',', ';']);
        var item = (end >= 0 ? value[..end] : value).Trim().Trim('"').Trim();
        return item.Length == 0 ? null : item;
    }

    private static int? FirstCount(string? value) =>
        int.TryParse(FirstItem(value), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    private static TimeSpan? ToNullable(LanguageExt.Option<TimeSpan> option) =>
        option.IsSome ? option.IfNone(TimeSpan.Zero) : null;
}
