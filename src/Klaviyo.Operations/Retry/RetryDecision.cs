namespace Klaviyo;

/// <summary>What to do after a failed send: wait and send again, or give up with the error.</summary>
public abstract record RetryDecision
{
    private RetryDecision() { }

    /// <summary>Wait <see cref="Delay"/>, then send the same request again.</summary>
    /// <param name="Delay">How long to wait; zero means at once.</param>
    public sealed record Wait(TimeSpan Delay) : RetryDecision;

    /// <summary>Stop and return the error.</summary>
    /// <param name="Reason">Why.</param>
    public sealed record GiveUp(GiveUpReason Reason) : RetryDecision;
}

/// <summary>Why the client stopped retrying.</summary>
public enum GiveUpReason
{
    /// <summary>No retry strategy is set.</summary>
    NoStrategy,

    /// <summary>
    /// The error is not worth retrying: a 4xx other than 429, a validation error, a decode error of a 2xx
    /// response, or cancellation.
    /// </summary>
    NotRetryable,

    /// <summary><see cref="RetryOptions.MaxRetries"/> retries were already made.</summary>
    NoRetriesLeft,

    /// <summary>The server's <c>Retry-After</c> is longer than <see cref="RetryOptions.MaxRetryAfter"/>.</summary>
    RetryAfterTooLong,

    /// <summary>
    /// A timeout or a connection lost after sending, for a request that is not idempotent: the server may have acted
    /// on it, so sending it again could do it twice (see <see cref="RetryPolicy"/>).
    /// </summary>
    AmbiguousWrite,
}
