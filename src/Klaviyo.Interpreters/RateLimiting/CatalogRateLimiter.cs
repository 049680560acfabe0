using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Paces requests per operation by the operation's rate-limit tier — Klaviyo limits each account per endpoint,
/// with a burst window (per second) and a steady window (per minute). For each window an operation holds a
/// <see cref="ConcurrencyLimiter"/> (System.Threading.RateLimiting) of the window's count; a request takes a
/// permit from each, first come first served, and gives it back one window after its exchange has finished.
/// So the requests in flight plus those finished within the last window never exceed the limit, and that holds
/// on the server whatever the latency: a request reaches the server before it finishes, so the server cannot see
/// more than the limit inside one window. Share one instance across all calls of a client (put it in
/// <see cref="ClientOptions.RateLimiter"/>).
/// </summary>
/// <example><code>
/// var options = new KlaviyoOptions
/// {
///     ApiKey = "pk_example",
///     ClientOptions = new ClientOptions { RateLimiter = new CatalogRateLimiter() },
/// };
/// </code></example>
public sealed class CatalogRateLimiter : IRateLimiter, IDisposable
{
    private readonly Func<KlaviyoRequest, RateLimitTier?> _tierFor;
    private readonly double _margin;
    private readonly TimeProvider _clock;
    private volatile bool _disposed;
    private readonly ConcurrentDictionary<string, Lazy<PermitWindow[]>> _windows = new(
        StringComparer.Ordinal
    );

    /// <summary>Creates a limiter.</summary>
    /// <param name="tierFor">
    /// The tier of a request; by default the catalog's tier for its <see cref="KlaviyoRequest.OperationId"/>
    /// (requests without one are not paced). Tests and special accounts can pass their own.
    /// </param>
    /// <param name="margin">
    /// How much longer than the tier's window a permit is held after its exchange, as a fraction (default 0.05),
    /// so that clock differences cannot squeeze an extra request into a window on the server.
    /// </param>
    /// <param name="clock">The clock for giving permits back; the system clock by default.</param>
    public CatalogRateLimiter(
        Func<KlaviyoRequest, RateLimitTier?>? tierFor = null,
        double margin = 0.05,
        TimeProvider? clock = null
    )
    {
        _tierFor = tierFor ?? FromCatalog;
        _margin = margin;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The catalog's tier for the request's operation, or <c>null</c> when it has none.</summary>
    /// <param name="request">The request.</param>
    public static RateLimitTier? FromCatalog(KlaviyoRequest request) =>
        request.OperationId is { } id
            ? OperationCatalog
                .Find(id)
                .Map(e => (RateLimitTier?)e.RateLimit)
                .IfNoneUnsafe((RateLimitTier?)null)
            : null;

    /// <inheritdoc />
    public async ValueTask<Either<KlaviyoError, IRateLimitLease>> AcquireAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        if (_disposed)
            return Disposed(request);
        var tier = _tierFor(request);
        if (tier is null)
            return Either<KlaviyoError, IRateLimitLease>.Right(NoLease.Instance);
        var windows = WindowsFor(request.OperationId ?? request.Method + " " + request.Url, tier);
        var held = new RateLimitLease[windows.Length];
        var taken = 0;
        try
        {
            for (; taken < windows.Length; taken++)
            {
                var lease = await windows[taken]
                    .Limiter.AcquireAsync(1, cancellationToken)
                    .ConfigureAwait(false);
                if (!lease.IsAcquired)
                {
                    lease.Dispose();
                    Release(held, taken);
                    return new KlaviyoError.Transport(
                        $"the client-side rate limiter refused {request.OperationId ?? request.Method.Method}"
                    )
                    {
                        Attempts = 0,
                    };
                }
                held[taken] = lease;
            }
        }
        catch (OperationCanceledException)
        {
            Release(held, taken);
            return new KlaviyoError.Cancelled { Attempts = 0 };
        }
        catch (ObjectDisposedException)
        {
            // Disposed while this request waited for a permit.
            Release(held, taken);
            return Disposed(request);
        }
        return Either<KlaviyoError, IRateLimitLease>.Right(new Leases(windows, held));
    }

    // The windows of an operation, made on its first request (no closure allocated once they exist).
    private PermitWindow[] WindowsFor(string key, RateLimitTier tier) =>
        (
            _windows.TryGetValue(key, out var windows)
                ? windows
                : _windows.GetOrAdd(
                    key,
                    static (_, state) =>
                        new Lazy<PermitWindow[]>(() => state.Limiter.Create(state.Tier)),
                    (Limiter: this, Tier: tier)
                )
        ).Value;

    // After disposal (a host shutting down disposes its singletons) a send is refused, not thrown at.
    private static Either<KlaviyoError, IRateLimitLease> Disposed(KlaviyoRequest request) =>
        new KlaviyoError.Transport(
            $"the rate limiter was disposed (is the application shutting down?); {request.OperationId ?? request.Method.Method} was not sent"
        )
        {
            Attempts = 0,
            RequestSent = false,
        };

    private static void Release(RateLimitLease[] held, int count)
    {
        for (var i = 0; i < count; i++)
            held[i].Dispose();
    }

    private PermitWindow[] Create(RateLimitTier tier) =>
        new[] { tier.Burst, tier.Steady, tier.Daily }
            .Where(r => r is not null && r.Count > 0)
            .Select(r => new PermitWindow(
                new ConcurrencyLimiter(
                    new ConcurrencyLimiterOptions
                    {
                        PermitLimit = r!.Count,
                        QueueLimit = int.MaxValue,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    }
                ),
                TimeSpan.FromTicks((long)(r.Per.Ticks * (1 + _margin))),
                _clock
            ))
            .ToArray();

    /// <summary>Disposes every limiter.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var lazy in _windows.Values)
            if (lazy.IsValueCreated)
                foreach (var window in lazy.Value)
                    window.Dispose();
    }

    private sealed class NoLease : IRateLimitLease
    {
        public static readonly NoLease Instance = new();

        public ValueTask ReleaseAsync(Either<KlaviyoError, RawResponse> outcome) =>
            ValueTask.CompletedTask;
    }

    // Each permit goes back to its window one window after the exchange ends (see the class remarks).
    private sealed class Leases(PermitWindow[] windows, RateLimitLease[] held) : IRateLimitLease
    {
        private int _released;

        public ValueTask ReleaseAsync(Either<KlaviyoError, RawResponse> outcome)
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return ValueTask.CompletedTask;
            for (var i = 0; i < windows.Length; i++)
                windows[i].GiveBackLater(held[i]);
            return ValueTask.CompletedTask;
        }
    }
}
