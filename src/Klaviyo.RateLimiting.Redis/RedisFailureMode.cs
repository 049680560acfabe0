namespace Klaviyo;

/// <summary>What a <see cref="RedisRateLimiter"/> does while Redis cannot be reached or does not answer in time.</summary>
public enum RedisFailureMode
{
    /// <summary>
    /// Pace this process alone with an in-process <see cref="CatalogRateLimiter"/> (same tiers and margin) and log a
    /// warning; go back to the shared quota as soon as Redis answers again. Several workers then each take the
    /// whole quota, so some 429s are likely until Redis is back: pair it with <see cref="KlaviyoOptions.Retry"/>.
    /// The default.
    /// </summary>
    FallBack,

    /// <summary>
    /// Send nothing: the call ends at once with a <see cref="KlaviyoError.Transport"/> saying that the shared rate
    /// limiter is unavailable (its <see cref="KlaviyoError.Attempts"/> is 0). For jobs that must never exceed the
    /// account's quota, e.g. when other systems share it.
    /// </summary>
    FailClosed,
}
