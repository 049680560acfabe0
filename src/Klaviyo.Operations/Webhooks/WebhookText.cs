using System.Globalization;

namespace Klaviyo;

/// <summary>How webhook results show times, durations and untrusted header values in messages.</summary>
internal static class WebhookText
{
    /// <summary>UTC, to the second: <c>2026-07-15T10:00:00Z</c>.</summary>
    public static string Instant(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>5 min</c>, <c>7 min 3 s</c>, <c>5 h 0 min 3 s</c>, <c>2 d 1 h</c>; whole seconds (under a second: ms).</summary>
    public static string Duration(TimeSpan d)
    {
        if (d == Timeout.InfiniteTimeSpan)
            return "unlimited";
        if (d < TimeSpan.Zero)
            d = d == TimeSpan.MinValue ? TimeSpan.MaxValue : -d;
        if (d < TimeSpan.FromSeconds(1))
            return $"{(long)d.TotalMilliseconds} ms";
        var parts = new List<string>(4);
        if (d.Days > 0)
            parts.Add($"{d.Days} d");
        if (d.Hours > 0 || (d.Days > 0 && (d.Minutes > 0 || d.Seconds > 0)))
            parts.Add($"{d.Hours} h");
        if (d.Minutes > 0 || (parts.Count > 0 && d.Seconds > 0))
            parts.Add($"{d.Minutes} min");
        if (d.Seconds > 0)
            parts.Add($"{d.Seconds} s");
        return string.Join(" ", parts);
    }

    /// <summary>
    /// An untrusted header value for a message: quoted when short and printable ASCII, otherwise only its length, so
    /// a hostile header can neither flood a log nor inject control characters into it.
    /// </summary>
    public static string Quote(string value)
    {
        if (value.Length > 64)
            return $"a value of {value.Length} characters";
        foreach (var c in value)
            if (c is < ' ' or > '~')
                return $"a value of {value.Length} characters with unprintable ones";
        return $"'{value}'";
    }
}
