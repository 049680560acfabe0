using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The whole retry decision, as pure functions, and the one definition of "retryable" in the library. The retrying
/// wrapper asks it after every send; <see cref="KlaviyoError.IsRetryable"/> asks it too.
/// </summary>
/// <remarks>
/// <para>Retried, as the original library did, for any method: a 5xx or 429 answer, and a failure to connect
/// (nothing reached the server). A failure that is <em>ambiguous</em> — a timeout, or a connection lost after the
/// request went out — may have been acted on by the server, so it is retried only when sending the request twice does
/// no harm (<see cref="KlaviyoRequest.IsIdempotent"/>: GET, PUT, DELETE, PATCH, the reporting queries, upserts,
/// relationship adds, or an operation you marked <see cref="RequestOperation.Idempotent"/>); otherwise it gives up
/// with <see cref="GiveUpReason.AmbiguousWrite"/> rather than risk, say, four events where you sent one.</para>
/// <para>Never retried: validation errors (nothing was sent), 4xx other than 429, cancellation, replay misses. A 429
/// or 503 carrying <c>Retry-After</c> waits at least that long, unless it exceeds
/// <see cref="RetryOptions.MaxRetryAfter"/>, in which case the client gives up with that answer.</para>
/// </remarks>
public static class RetryPolicy
{
    /// <summary>Whether an answer with <paramref name="status"/> may be different if the request is sent again: 429 and 5xx.</summary>
    /// <param name="status">The HTTP status.</param>
    public static bool IsRetryableStatus(int status) => status is 429 or (>= 500 and <= 599);

    /// <summary>Whether the failure is of a kind that may go away (transport, timeout, 429, 5xx) — before the write rule.</summary>
    /// <param name="error">The error.</param>
    public static bool IsRetryable(KlaviyoError error) =>
        error switch
        {
            KlaviyoError.Transport or KlaviyoError.Timeout => true,
            KlaviyoError.Api api => IsRetryableStatus(api.StatusCode),
            KlaviyoError.Decode decode => IsRetryableStatus(decode.StatusCode),
            _ => false,
        };

    /// <summary>
    /// Whether <paramref name="error"/> leaves it unknown if the server acted on the request: a timeout, or a
    /// transport failure after the request may have been sent.
    /// </summary>
    /// <param name="error">The error.</param>
    public static bool IsAmbiguous(KlaviyoError error) =>
        error is KlaviyoError.Timeout or KlaviyoError.Transport { RequestSent: true };

    /// <summary>Decides what follows one send of <paramref name="request"/>.</summary>
    /// <example><code>
    /// var decision = RetryPolicy.Decide(Retry.Linear, RetryOptions.Default, request, outcome, sends: 1, DateTimeOffset.UtcNow, jitter: 0.5);
    /// </code></example>
    /// <param name="strategy">The strategy; <c>null</c> means no retry.</param>
    /// <param name="options">Delays and limits.</param>
    /// <param name="request">The request that was sent.</param>
    /// <param name="outcome">What the send gave: a failure, or a response (any status).</param>
    /// <param name="sends">How many sends were made so far, this one included (1 after the first).</param>
    /// <param name="now">The current time, to read a <c>Retry-After</c> HTTP date.</param>
    /// <param name="jitter">A random number in [0, 1] for the strategy.</param>
    public static RetryDecision Decide(
        RetryStrategy? strategy,
        RetryOptions options,
        KlaviyoRequest request,
        Either<KlaviyoError, RawResponse> outcome,
        int sends,
        DateTimeOffset now,
        double jitter
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        var (retryable, ambiguous, retryAfter) = outcome.Match(
            response =>
                (
                    IsRetryableStatus(response.StatusCode),
                    false,
                    response.StatusCode is 429 or 503
                        ? RetryAfterIn(new ResponseHeaders(response.Headers), now)
                        : Option<TimeSpan>.None
                ),
            error => (IsRetryable(error), IsAmbiguous(error), RetryAfterOf(error, now))
        );
        if (strategy is null)
            return new RetryDecision.GiveUp(GiveUpReason.NoStrategy);
        if (!retryable)
            return new RetryDecision.GiveUp(GiveUpReason.NotRetryable);
        if (ambiguous && !request.IsIdempotent)
            return new RetryDecision.GiveUp(GiveUpReason.AmbiguousWrite);
        if (sends > options.MaxRetries)
            return new RetryDecision.GiveUp(GiveUpReason.NoRetriesLeft);
        var delay = NonNegative(
            strategy.WaitFor(
                new RetryContext(request, options, Math.Max(sends, 1), Clamp01(jitter))
            )
        );
        if (retryAfter.IsSome)
        {
            var wait = retryAfter.IfNone(TimeSpan.Zero);
            if (wait > options.MaxRetryAfter)
                return new RetryDecision.GiveUp(GiveUpReason.RetryAfterTooLong);
            if (wait > delay)
                delay = wait;
        }
        return new RetryDecision.Wait(delay);
    }

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

    /// <summary>The wait a 429 or 503 error asks for in its <c>Retry-After</c> header; <c>None</c> for other errors.</summary>
    /// <param name="error">The error.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public static Option<TimeSpan> RetryAfterOf(KlaviyoError error, DateTimeOffset now) =>
        error switch
        {
            KlaviyoError.Api { StatusCode: 429 or 503 } api => RetryAfterIn(
                api.Response.Headers,
                now
            ),
            KlaviyoError.Decode { StatusCode: 429 or 503 } decode => RetryAfterIn(
                decode.Headers,
                now
            ),
            _ => Option<TimeSpan>.None,
        };

    private static Option<TimeSpan> RetryAfterIn(ResponseHeaders headers, DateTimeOffset now) =>
        headers.Get("retry-after").Bind(v => RetryAfter.Parse(v, now));

    internal static TimeSpan Scale(TimeSpan t, double fraction) =>
        TimeSpan.FromTicks((long)(t.Ticks * Clamp01(fraction)));

    private static double Clamp01(double x) => double.IsNaN(x) ? 0 : Math.Clamp(x, 0, 1);

    private static TimeSpan NonNegative(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;
}
