using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The rate-limit wrapper: before every send it takes a permit from an <see cref="IRateLimiter"/> (waiting as long
/// as the limiter says, or ending at once when cancelled) and gives it back with the exchange's outcome, so the
/// limiter can hold it past the response and learn from a <c>429</c>. A limiter that fails (disposed, broken) is a
/// <see cref="KlaviyoError.Transport"/> with nothing sent, never an exception. <see cref="ClientOptions.RateLimiter"/>
/// puts one in the chain, inside <see cref="Retrying"/>, so every retry takes a permit too.
/// </summary>
/// <param name="inner">The interpreter that sends.</param>
/// <param name="limiter">The limiter.</param>
public sealed class RateLimited(IInterpreter inner, IRateLimiter limiter) : IInterpreter
{
    /// <inheritdoc />
    public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        var waiting = KlaviyoMetrics.StartWait();
        Either<KlaviyoError, IRateLimitLease> lease;
        try
        {
            lease = await limiter.AcquireAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new KlaviyoError.Cancelled { Attempts = 0 };
        }
        catch (Exception e)
        {
            return new KlaviyoError.Transport(
                request.Scrub($"the rate limiter failed: {e.Message} ({e.GetType().Name})")
            )
            {
                Attempts = 0,
                RequestSent = false,
            };
        }
        finally
        {
            KlaviyoMetrics.EndWait(waiting, request);
        }
        // Without LanguageExt's MatchAsync: its two closures and extra task per request showed in the profile.
        var (held, refused) = lease.Match(
            static granted => (granted, (KlaviyoError?)null),
            static error => ((IRateLimitLease?)null, error)
        );
        if (held is null)
            return refused! with { Attempts = 0 };
        var outcome = await inner.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await held.ReleaseAsync(outcome).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A lease must not throw; if one does, the exchange's outcome still stands.
        }
        return outcome;
    }

    /// <summary>The wrapped interpreter and the limiter.</summary>
    public override string ToString() => $"RateLimited({limiter.GetType().Name}, {inner})";
}
