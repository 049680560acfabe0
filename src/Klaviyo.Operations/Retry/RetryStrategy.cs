namespace Klaviyo;

/// <summary>
/// How long to wait before sending a failed request again. Open, like the original library's <c>:retry</c> option
/// (any module implementing <c>wait_for/2</c>): <see cref="Retry.Linear"/> and <see cref="Retry.Exponential"/> are
/// two instances, and a strategy of your own is a record deriving from this one. Whether a failure is retried at
/// all, how many times, and the server's <c>Retry-After</c> are decided once for every strategy by
/// <see cref="RetryPolicy"/>.
/// </summary>
/// <example><code>
/// // Waits 1 s, 2 s, 3 s, …
/// public sealed record Stepped : RetryStrategy
/// {
///     public override TimeSpan WaitFor(RetryContext context) => TimeSpan.FromSeconds(context.Retry);
/// }
/// var options = new KlaviyoOptions { Retry = new Stepped() };
/// </code></example>
public abstract record RetryStrategy
{
    /// <summary>For strategies of your own.</summary>
    protected RetryStrategy() { }

    /// <summary>The wait before the retry <paramref name="context"/> describes. Pure; negative means zero.</summary>
    /// <param name="context">The request, the settings, which retry it is and a random number for jitter.</param>
    public abstract TimeSpan WaitFor(RetryContext context);

    /// <summary>Waits <see cref="RetryOptions.RetryIn"/> between tries, as the original library does.</summary>
    public sealed record LinearStrategy : RetryStrategy
    {
        /// <inheritdoc />
        public override TimeSpan WaitFor(RetryContext context) => context.Options.RetryIn;
    }

    /// <summary>Capped exponential backoff with full jitter: a random wait in [0, min(cap, base × factor^n)].</summary>
    public sealed record ExponentialStrategy : RetryStrategy
    {
        /// <inheritdoc />
        public override TimeSpan WaitFor(RetryContext context) =>
            RetryPolicy.Scale(
                RetryPolicy.ExponentialBound(context.Options, context.Retry),
                context.Jitter
            );
    }
}

/// <summary>What a <see cref="RetryStrategy"/> knows when it picks a wait.</summary>
/// <param name="Request">The request about to be sent again.</param>
/// <param name="Options">The retry settings.</param>
/// <param name="Retry">Which retry this is: 1 for the first.</param>
/// <param name="Jitter">A random number in [0, 1], for strategies that spread their waits.</param>
public sealed record RetryContext(
    KlaviyoRequest Request,
    RetryOptions Options,
    int Retry,
    double Jitter
);

/// <summary>The retry strategies for <see cref="KlaviyoOptions.Retry"/>.</summary>
public static class Retry
{
    /// <summary>Retry after <see cref="RetryOptions.RetryIn"/> each time (default 0: at once).</summary>
    public static readonly RetryStrategy Linear = new RetryStrategy.LinearStrategy();

    /// <summary>Retry with capped exponential backoff and full jitter.</summary>
    public static readonly RetryStrategy Exponential = new RetryStrategy.ExponentialStrategy();
}

/// <summary>Settings for retrying.</summary>
public sealed record RetryOptions
{
    /// <summary>The defaults: 3 retries (4 sends at most), no linear wait, 200 ms × 2ⁿ capped at 30 s.</summary>
    public static readonly RetryOptions Default = new();

    /// <summary>Retries after the first send; 3 by default, so at most 4 sends.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The linear wait between tries; zero by default (retry at once).</summary>
    public TimeSpan RetryIn { get; init; } = TimeSpan.Zero;

    /// <summary>The exponential strategy's first delay bound.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The exponential strategy's growth factor (1 or more).</summary>
    public double Factor { get; init; } = 2.0;

    /// <summary>The exponential strategy's largest delay bound.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>Retry-After</c> the client will wait; past it, it gives up with the 429 or 503 error.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
}
