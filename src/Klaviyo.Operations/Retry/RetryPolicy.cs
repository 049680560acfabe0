using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The whole retry decision, as pure functions: which errors are retried and how long to wait. Every interpreter
/// gets the same policy, because the one send path (<c>Exchange</c>) asks it after each failed send.
/// </summary>
/// <remarks>
/// Retried: transport failures, timeouts, 5xx and 429. Never retried: validation errors (nothing was sent), 4xx
/// other than 429, decode errors of 2xx responses, and cancellation. A 429 or 503 carrying <c>Retry-After</c>
/// (seconds or an HTTP date) waits at least that long, unless it exceeds <see cref="RetryOptions.MaxRetryAfter"/>,
/// in which case the client gives up with that error.
/// </remarks>
public static class RetryPolicy
{
    /// <summary>Whether <paramref name="error"/> may succeed if the same request is sent again.</summary>
    /// <param name="error">The error of the last send.</param>
    public static bool ShouldRetry(KlaviyoError error) =>
        error switch
        {
            KlaviyoError.Transport or KlaviyoError.Timeout => true,
            KlaviyoError.Api api => IsRetryableStatus(api.StatusCode),
            KlaviyoError.Decode decode => IsRetryableStatus(decode.StatusCode),
            _ => false,
        };

    /// <summary>
    /// Decides what follows a failed send.
    /// </summary>
    /// <example><code>
    /// var decision = RetryPolicy.Decide(Retry.Linear, RetryOptions.Default, error, sends: 1, DateTimeOffset.UtcNow, jitter: 0.5);
    /// </code></example>
    /// <param name="strategy">The strategy; <c>null</c> means no retry.</param>
    /// <param name="options">Delays and limits.</param>
    /// <param name="error">The error of the last send.</param>
    /// <param name="sends">How many sends were made so far, this one included (1 after the first).</param>
    /// <param name="now">The current time, to read a <c>Retry-After</c> HTTP date.</param>
    /// <param name="jitter">A random number in [0, 1]; the exponential strategy waits this fraction of its bound.</param>
    public static RetryDecision Decide(
        RetryStrategy? strategy,
        RetryOptions options,
        KlaviyoError error,
        int sends,
        DateTimeOffset now,
        double jitter
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(error);
        if (strategy is null)
            return new RetryDecision.GiveUp(GiveUpReason.NoStrategy);
        if (!ShouldRetry(error))
            return new RetryDecision.GiveUp(GiveUpReason.NotRetryable);
        if (sends > options.MaxRetries)
            return new RetryDecision.GiveUp(GiveUpReason.NoRetriesLeft);
        var delay = Delay(strategy, options, retry: Math.Max(sends, 1), jitter);
        var asked = RetryAfterOf(error, now);
        if (asked.IsSome)
        {
            var wait = (TimeSpan)asked;
            if (wait > options.MaxRetryAfter)
                return new RetryDecision.GiveUp(GiveUpReason.RetryAfterTooLong);
            if (wait > delay)
                delay = wait;
        }
        return new RetryDecision.Wait(delay);
    }

    /// <summary>
    /// The strategy's own wait before retry number <paramref name="retry"/> (1 for the first retry): linear waits
    /// <see cref="RetryOptions.RetryIn"/>; exponential waits <paramref name="jitter"/> × min(<see cref="RetryOptions.MaxDelay"/>,
    /// <see cref="RetryOptions.BaseDelay"/> × <see cref="RetryOptions.Factor"/>^(retry − 1)) (full jitter).
    /// </summary>
    /// <param name="strategy">The strategy.</param>
    /// <param name="options">Delays.</param>
    /// <param name="retry">Which retry this is, from 1.</param>
    /// <param name="jitter">A random number in [0, 1].</param>
    public static TimeSpan Delay(
        RetryStrategy strategy,
        RetryOptions options,
        int retry,
        double jitter
    ) =>
        strategy switch
        {
            RetryStrategy.ExponentialStrategy => Scale(
                ExponentialBound(options, retry),
                Math.Clamp(double.IsNaN(jitter) ? 0 : jitter, 0, 1)
            ),
            _ => NonNegative(options.RetryIn),
        };

    /// <summary>
    /// The upper bound of the exponential wait before retry number <paramref name="retry"/> (from 1):
    /// min(<see cref="RetryOptions.MaxDelay"/>, <see cref="RetryOptions.BaseDelay"/> × <see cref="RetryOptions.Factor"/>^(retry − 1)).
    /// </summary>
    /// <param name="options">Delays.</param>
    /// <param name="retry">Which retry this is, from 1.</param>
    public static TimeSpan ExponentialBound(RetryOptions options, int retry)
    {
        var cap = NonNegative(options.MaxDelay);
        var grown =
            NonNegative(options.BaseDelay).Ticks * Math.Pow(options.Factor, Math.Max(retry - 1, 0));
        // Infinity, NaN and overflow all mean "past the cap".
        return double.IsFinite(grown) && grown < cap.Ticks
            ? TimeSpan.FromTicks((long)Math.Max(grown, 0))
            : cap;
    }

    /// <summary>The wait a 429 or 503 asks for in its <c>Retry-After</c> header; <c>None</c> for other errors.</summary>
    /// <param name="error">The error.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public static Option<TimeSpan> RetryAfterOf(KlaviyoError error, DateTimeOffset now)
    {
        var (status, headers) = error switch
        {
            KlaviyoError.Api api => (api.StatusCode, api.Response.Headers),
            KlaviyoError.Decode decode => (decode.StatusCode, decode.Headers),
            _ => (0, null),
        };
        if (status is not (429 or 503) || headers is null)
            return Option<TimeSpan>.None;
        return headers.Get("retry-after").Bind(v => RetryAfter.Parse(v, now));
    }

    private static bool IsRetryableStatus(int status) => status is 429 or >= 500 and < 600;

    private static TimeSpan NonNegative(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;

    private static TimeSpan Scale(TimeSpan t, double fraction) =>
        TimeSpan.FromTicks((long)(t.Ticks * fraction));
}
