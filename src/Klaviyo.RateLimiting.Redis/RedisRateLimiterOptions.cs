namespace Klaviyo;

/// <summary>Settings of a <see cref="RedisRateLimiter"/>. Every worker sharing a quota must use the same ones.</summary>
public sealed record RedisRateLimiterOptions
{
    /// <summary>The defaults.</summary>
    public static readonly RedisRateLimiterOptions Default = new();

    /// <summary>
    /// The start of every key the limiter writes; <c>klaviyo:rl:</c> by default. Give each environment its own when
    /// they share a Redis database.
    /// </summary>
    public string KeyPrefix { get; init; } = "klaviyo:rl:";

    /// <summary>
    /// Names the account in keys instead of the credential's fingerprint, e.g. the Klaviyo company id. Set it when
    /// several credentials spend one quota: OAuth access tokens (they change at every refresh, and each installed
    /// app has its own quota, so use e.g. <c>companyId:appId</c>), or several private keys of one account (they
    /// share one quota). <c>null</c> (default): a hash of the request's credential.
    /// </summary>
    public string? AccountId { get; init; }

    /// <summary>
    /// How much longer than its window a permit keeps counting after its exchange ended, as a fraction of the window;
    /// 0.01 by default (0.6 s for a one-minute window). The shared clock (Redis's) already makes a margin of zero
    /// exact against a server counting arrivals in sliding or fixed windows; the margin absorbs what a server may do
    /// differently. Larger is safer and slower.
    /// </summary>
    public double Margin { get; init; } = 0.01;

    /// <summary>
    /// Added to every hold besides <see cref="Margin"/>, and to a 429's pause: room for the Redis server's clock, which the windows run
    /// on, to step by a few milliseconds (Redis reads the system clock; Garnet's clock was seen lagging it by up to
    /// 15 ms). 50 ms by default.
    /// </summary>
    public TimeSpan ClockTolerance { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>What to do while Redis is unreachable or slow; <see cref="RedisFailureMode.FallBack"/> by default.</summary>
    public RedisFailureMode OnRedisFailure { get; init; } = RedisFailureMode.FallBack;

    /// <summary>
    /// The longest any one Redis call (connect, take, give back) may take before the limiter treats Redis as
    /// unavailable; 1 second by default. Waiting for a permit is not bounded by it: that lasts as long as the quota
    /// requires, and ends at once on cancellation.
    /// </summary>
    public TimeSpan RedisTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a Redis call failed or timed out, how long to stay on <see cref="OnRedisFailure"/> before trying Redis
    /// again; 5 seconds by default. (A lost connection is retried in the background all along, and is used as soon
    /// as it is back and this time has passed.)
    /// </summary>
    public TimeSpan RetryRedisAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The tier of a request; by default the catalog's tier for its operation (<see cref="CatalogRateLimiter.FromCatalog"/>),
    /// and requests without an operation id are not paced. Operations with equal tiers share one bucket.
    /// </summary>
    public Func<KlaviyoRequest, RateLimitTier?> TierFor { get; init; } =
        CatalogRateLimiter.FromCatalog;

    /// <summary>The clock for waiting between tries (the windows themselves run on Redis's clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
