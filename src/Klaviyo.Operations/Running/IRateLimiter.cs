using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Paces requests on the client side before they are sent (set it in <see cref="ClientOptions.RateLimiter"/>).
/// One instance is shared by every concurrent call that uses the same options.
/// </summary>
public interface IRateLimiter
{
    /// <summary>
    /// Waits until <paramref name="request"/> may be sent. Returns a lease to dispose once the exchange is over,
    /// or <see cref="KlaviyoError.Cancelled"/> when <paramref name="cancellationToken"/> fires while waiting.
    /// </summary>
    /// <param name="request">The request about to be sent.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    ValueTask<Either<KlaviyoError, IDisposable>> WaitAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    );
}
