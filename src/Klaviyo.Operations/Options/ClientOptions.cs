namespace Klaviyo;

/// <summary>Options for the interpreter that sends requests.</summary>
public sealed record ClientOptions
{
    /// <summary>The defaults: 60 s timeout, credentials only over HTTPS or loopback, the system clock.</summary>
    public static readonly ClientOptions Default = new();

    /// <summary>The per-request (per-attempt) timeout; 60 seconds by default.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The largest response body accepted, counted on the decompressed stream: 64 MiB by default (Klaviyo's pages are
    /// a few KiB). A larger body — or a <c>Content-Length</c> announcing one — ends the exchange with a
    /// <see cref="KlaviyoError.Decode"/> without reading (or allocating) the rest.
    /// </summary>
    public long MaxResponseBytes { get; init; } = 64L * 1024 * 1024;

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

    /// <summary>
    /// Wrappers of your own around the whole chain (logging, tracing, retrying, rate limiting, transport), the first
    /// outermost: each takes the interpreter it wraps and returns one that adds a behaviour (see docs/concepts.md).
    /// Empty by default.
    /// </summary>
    /// <example><code>
    /// var options = new KlaviyoOptions
    /// {
    ///     ClientOptions = new ClientOptions { Wrappers = Seq1&lt;Func&lt;IInterpreter, IInterpreter&gt;&gt;(inner => new Counting(inner)) },
    /// };
    /// </code></example>
    public LanguageExt.Seq<Func<IInterpreter, IInterpreter>> Wrappers { get; init; }
}
