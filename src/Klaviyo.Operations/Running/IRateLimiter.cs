using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Paces requests on the client side before they are sent. The rate-limit wrapper asks it before every send
/// (retries included) and hands the lease back with the exchange's outcome, so a limiter can hold a permit past the
/// response and can share a <c>429</c>'s <c>Retry-After</c> with every caller. Set it in
/// <see cref="ClientOptions.RateLimiter"/>; one instance is shared by every concurrent call that uses it.
/// </summary>
public interface IRateLimiter
{
    /// <summary>
    /// Waits until <paramref name="request"/> may be sent and returns a lease, or an error: <see cref="KlaviyoError.Cancelled"/>
    /// when <paramref name="cancellationToken"/> fires while waiting (at once), or another error when the limiter
    /// cannot grant permits (then nothing is sent). Must not throw.
    /// </summary>
    /// <param name="request">The request about to be sent.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    ValueTask<Either<KlaviyoError, IRateLimitLease>> AcquireAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    );
}

/// <summary>Permission to send one request, given back once its exchange is over.</summary>
public interface IRateLimitLease
{
    /// <summary>
    /// Gives the permit back. <paramref name="outcome"/> is what the exchange gave: a response (a <c>429</c> with
    /// <c>Retry-After</c> tells the limiter to pause that tier) or a failure. Must not throw.
    /// </summary>
    /// <param name="outcome">The exchange's outcome.</param>
    ValueTask ReleaseAsync(Either<KlaviyoError, RawResponse> outcome);
}
