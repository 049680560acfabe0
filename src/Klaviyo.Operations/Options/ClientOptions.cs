namespace Klaviyo;

/// <summary>Options for the interpreter that sends requests.</summary>
public sealed record ClientOptions
{
    /// <summary>The defaults: 60 s timeout, credentials only over HTTPS or loopback, the system clock.</summary>
    public static readonly ClientOptions Default = new();

    /// <summary>The per-request (per-attempt) timeout; 60 seconds by default.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Allow sending credentials over plain <c>http</c> to a host that is not loopback. Off by default: such a
    /// request is a validation error, since the key would cross the network in clear text.
    /// </summary>
    public bool AllowInsecureCredentials { get; init; }

    /// <summary>
    /// An opt-in client-side rate limiter, e.g. <c>new CatalogRateLimiter()</c> (Klaviyo.Interpreters), which paces
    /// each operation by its burst and steady limits from the catalog; <c>null</c> (default) sends at once.
    /// </summary>
    public IRateLimiter? RateLimiter { get; init; }

    /// <summary>The clock used for retry waits and rate limiting; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
