namespace Klaviyo;

/// <summary>
/// How to retry a failed send (transport failure, timeout, 5xx, 429). Choose <see cref="Retry.Linear"/> or
/// <see cref="Retry.Exponential"/>; the delays come from <see cref="RetryOptions"/>.
/// </summary>
public abstract record RetryStrategy
{
    private protected RetryStrategy() { }

    /// <summary>Waits <see cref="RetryOptions.RetryIn"/> between tries, as the original library does.</summary>
    public sealed record LinearStrategy : RetryStrategy;

    /// <summary>Capped exponential backoff with full jitter: a random wait in [0, min(cap, base × factor^n)].</summary>
    public sealed record ExponentialStrategy : RetryStrategy;
}

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

    /// <summary>The exponential strategy's growth factor.</summary>
    public double Factor { get; init; } = 2.0;

    /// <summary>The exponential strategy's largest delay bound.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>Retry-After</c> the client will wait; past it, it gives up with the 429 or 503 error.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
}
