using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Paces requests per operation by the operation's rate-limit tier — Klaviyo limits each account per endpoint,
/// with a burst window (per second) and a steady window (per minute). Each operation gets a sliding-window
/// limiter per window (System.Threading.RateLimiting); a request waits, first come first served, until both
/// allow it. Share one instance across all calls of a client (put it in <see cref="ClientOptions.RateLimiter"/>).
/// </summary>
/// <example><code>
/// var options = new KlaviyoOptions
/// {
///     ApiKey = key,
///     ClientOptions = new ClientOptions { RateLimiter = new CatalogRateLimiter() },
/// };
/// </code></example>
public sealed class CatalogRateLimiter : IRateLimiter, IDisposable
{
    private const int Segments = 10;
    private readonly Func<KlaviyoRequest, RateLimitTier?> _tierFor;
    private readonly double _margin;
    private readonly ConcurrentDictionary<string, Lazy<RateLimiter[]>> _limiters = new(
        StringComparer.Ordinal
    );

    /// <summary>Creates a limiter.</summary>
    /// <param name="tierFor">
    /// The tier of a request; by default the catalog's tier for its <see cref="KlaviyoRequest.OperationId"/>
    /// (requests without one are not paced). Tests and special accounts can pass their own.
    /// </param>
    /// <param name="margin">
    /// How much longer than the tier's window each window is kept, as a fraction (default 0.05), so that network
    /// jitter cannot push two windows' worth of requests into one window on the server.
    /// </param>
    public CatalogRateLimiter(
        Func<KlaviyoRequest, RateLimitTier?>? tierFor = null,
        double margin = 0.05
    )
    {
        _tierFor = tierFor ?? FromCatalog;
        _margin = margin;
    }

    /// <summary>The catalog's tier for the request's operation, or <c>null</c> when it has none.</summary>
    /// <param name="request">The request.</param>
    public static RateLimitTier? FromCatalog(KlaviyoRequest request) =>
        request.OperationId is { } id
            ? Catalog
                .Find(id)
                .Map(e => (RateLimitTier?)e.RateLimit)
                .IfNoneUnsafe((RateLimitTier?)null)
            : null;

    /// <inheritdoc />
    public async ValueTask<Either<KlaviyoError, IDisposable>> WaitAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        var tier = _tierFor(request);
        if (tier is null)
            return Right(NoLease.Instance);
        var key = request.OperationId ?? request.Method + " " + request.Url;
        var limiters = _limiters
            .GetOrAdd(key, _ => new Lazy<RateLimiter[]>(() => Create(tier)))
            .Value;
        var leases = new List<RateLimitLease>(limiters.Length);
        try
        {
            foreach (var limiter in limiters)
            {
                var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                if (!lease.IsAcquired)
                {
                    lease.Dispose();
                    foreach (var l in leases)
                        l.Dispose();
                    return new KlaviyoError.Transport(
                        $"the client-side rate limiter refused {request.OperationId ?? request.Method.Method}"
                    )
                    {
                        Attempts = 0,
                    };
                }
                leases.Add(lease);
            }
        }
        catch (OperationCanceledException)
        {
            foreach (var l in leases)
                l.Dispose();
            return new KlaviyoError.Cancelled { Attempts = 0 };
        }
        return Right(new Leases(leases));
    }

    private RateLimiter[] Create(RateLimitTier tier) =>
        new[] { tier.Burst, tier.Steady, tier.Daily }
            .Where(r => r is not null && r.Count > 0)
            .Select(r =>
                (RateLimiter)
                    new SlidingWindowRateLimiter(
                        new SlidingWindowRateLimiterOptions
                        {
                            PermitLimit = r!.Count,
                            // One extra segment: a permit only returns once a whole window has passed since it was taken.
                            Window = TimeSpan.FromTicks(
                                (long)(r.Per.Ticks * (1 + _margin) * (Segments + 1) / Segments)
                            ),
                            SegmentsPerWindow = Segments + 1,
                            QueueLimit = int.MaxValue,
                            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                            AutoReplenishment = true,
                        }
                    )
            )
            .ToArray();

    private static Either<KlaviyoError, IDisposable> Right(IDisposable lease) =>
        lease.ToRightEither();

    /// <summary>Disposes every limiter.</summary>
    public void Dispose()
    {
        foreach (var lazy in _limiters.Values)
            if (lazy.IsValueCreated)
                foreach (var limiter in lazy.Value)
                    limiter.Dispose();
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose() { }
    }

    private sealed class Leases(List<RateLimitLease> leases) : IDisposable
    {
        public void Dispose()
        {
            foreach (var l in leases)
                l.Dispose();
        }
    }
}

file static class EitherExtensions
{
    public static Either<KlaviyoError, IDisposable> ToRightEither(this IDisposable value) =>
        Either<KlaviyoError, IDisposable>.Right(value);
}
