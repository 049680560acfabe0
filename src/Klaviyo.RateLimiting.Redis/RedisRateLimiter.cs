using System.Collections.Concurrent;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Klaviyo;

/// <summary>
/// Paces requests by their rate-limit tier with the quota kept in Redis, so that several workers — threads,
/// processes, machines — calling one Klaviyo account together stay within its limits. Keyed by account (a hash of
/// the credential, or <see cref="RedisRateLimiterOptions.AccountId"/>) and tier: operations of one tier share a
/// bucket. Each window (burst, steady, daily) is a sorted set of permits on the server; a Lua script takes one permit
/// from every window atomically, and a permit keeps counting until one window after its exchange ended, so the
/// server never sees more than the limit in a window whatever the latency. A <c>429</c> with <c>Retry-After</c>
/// pauses the bucket for every worker. While Redis is unreachable or slow it does what
/// <see cref="RedisRateLimiterOptions.OnRedisFailure"/> says, and never hangs nor throws.
/// </summary>
/// <example><code>
/// using var limiter = new RedisRateLimiter("redis.internal:6379");
/// var options = new KlaviyoOptions
/// {
///     ApiKey = Environment.GetEnvironmentVariable("KLAVIYO_API_KEY"),
///     ClientOptions = new ClientOptions { RateLimiter = limiter },
/// };
/// </code></example>
public sealed partial class RedisRateLimiter : IRateLimiter, IDisposable, IAsyncDisposable
{
    // A permit whose worker dies mid-request stops counting after this much beyond its hold, at most.
    private static readonly TimeSpan LongestInFlight = TimeSpan.FromMinutes(10);

    private readonly RedisRateLimiterOptions _options;
    private readonly ILogger _logger;
    private readonly Task<IConnectionMultiplexer> _connection;
    private readonly bool _ownsConnection;
    private readonly CatalogRateLimiter _fallback;
    private readonly ConcurrentDictionary<string, RedisBucket> _buckets = new(
        StringComparer.Ordinal
    );
    private long _retryRedisAt;
    private int _unavailable;

    /// <summary>Creates a limiter that connects to Redis itself (in the background: the constructor never waits).</summary>
    /// <param name="configuration">
    /// A StackExchange.Redis configuration string, e.g. <c>localhost:6379</c> or
    /// <c>redis.internal:6380,ssl=true,password=…</c>. Never logged.
    /// </param>
    /// <param name="options">The settings; <see cref="RedisRateLimiterOptions.Default"/> when null.</param>
    /// <param name="logger">Where fault-mode changes are logged (a warning when Redis is lost, information when it is back).</param>
    /// <exception cref="ArgumentException">The configuration string cannot be read.</exception>
    public RedisRateLimiter(
        string configuration,
        RedisRateLimiterOptions? options = null,
        ILogger? logger = null
    )
        : this(options, logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var config = ConfigurationOptions.Parse(configuration);
        var timeout = (int)Math.Clamp(_options.RedisTimeout.TotalMilliseconds, 1, int.MaxValue);
        // Keep trying in the background instead of failing, fail commands at once while disconnected (the limiter
        // then takes its fault path), and bound every call by RedisTimeout.
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = Math.Max(timeout, 100);
        config.AsyncTimeout = timeout;
        config.SyncTimeout = timeout;
        config.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        _connection = Task.Run(async () =>
            (IConnectionMultiplexer)
                await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false)
        );
        _ownsConnection = true;
    }

    /// <summary>Creates a limiter on a connection the application already has (it stays the application's to dispose).</summary>
    /// <param name="redis">The connection.</param>
    /// <param name="options">The settings; <see cref="RedisRateLimiterOptions.Default"/> when null.</param>
    /// <param name="logger">Where fault-mode changes are logged.</param>
    public RedisRateLimiter(
        IConnectionMultiplexer redis,
        RedisRateLimiterOptions? options = null,
        ILogger? logger = null
    )
        : this(options, logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _connection = Task.FromResult(redis);
    }

    private RedisRateLimiter(RedisRateLimiterOptions? options, ILogger? logger)
    {
        _options = options ?? RedisRateLimiterOptions.Default;
        _logger = logger ?? NullLogger.Instance;
        _fallback = new CatalogRateLimiter(
            _options.TierFor,
            _options.Margin,
            _options.TimeProvider
        );
        _connection = null!;
    }

    /// <inheritdoc />
    public async ValueTask<Either<KlaviyoError, IRateLimitLease>> AcquireAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var tier = _options.TierFor(request);
            if (tier is null || TierKey.Windows(tier).Count == 0)
                return Either<KlaviyoError, IRateLimitLease>.Right(NoLease.Instance);
            if (cancellationToken.IsCancellationRequested)
                return Cancelled();
            var account = _options.AccountId ?? AccountKey.Of(request);
            var bucket = _buckets.GetOrAdd(
                account + "|" + TierKey.Of(tier),
                static (_, s) =>
                    RedisBucket.Create(s.Prefix, s.Account, s.Tier, s.Margin, s.ClockTolerance),
                (
                    Prefix: _options.KeyPrefix,
                    Account: account,
                    Tier: tier,
                    _options.Margin,
                    _options.ClockTolerance
                )
            );
            var redis = await SharedAsync(cancellationToken).ConfigureAwait(false);
            var taken = redis is null
                ? Taken.Unavailable
                : await TakeAsync(redis, bucket, request, cancellationToken).ConfigureAwait(false);
            return taken.Lease is { } lease ? Either<KlaviyoError, IRateLimitLease>.Right(lease)
                : taken.Cancelled ? Cancelled()
                : await DegradedAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Cancelled();
        }
        catch (Exception e)
        {
            Unavailable("unexpected " + e.GetType().Name);
            return await DegradedAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    // One caller per bucket per process talks to Redis; the others queue on the gate (first come, first served).
    private async Task<Taken> TakeAsync(
        IDatabase redis,
        RedisBucket bucket,
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await bucket.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return Taken.WasCancelled;
        }
        try
        {
            var inFlight =
                request.Timeout > TimeSpan.Zero && request.Timeout < LongestInFlight
                    ? request.Timeout
                    : LongestInFlight;
            while (true)
            {
                var member = Guid.NewGuid().ToString("N");
                var call = redis.ScriptEvaluateAsync(
                    RedisScripts.Acquire,
                    bucket.Keys,
                    bucket.AcquireArguments(member, inFlight)
                );
                RedisResult[] answer;
                try
                {
                    answer = (RedisResult[])
                        (
                            await call.WaitAsync(
                                    _options.RedisTimeout,
                                    _options.TimeProvider,
                                    cancellationToken
                                )
                                .ConfigureAwait(false)
                        )!;
                }
                catch (Exception e)
                {
                    ForgetIfGranted(redis, bucket, member, call);
                    if (cancellationToken.IsCancellationRequested)
                        return Taken.WasCancelled;
                    Unavailable(
                        e is TimeoutException
                            ? $"no answer within {_options.RedisTimeout.TotalMilliseconds:0} ms"
                            : e.GetType().Name
                    );
                    return Taken.Unavailable;
                }
                if ((long)answer[0] == 1)
                {
                    Available();
                    return new Taken(new SharedLease(this, redis, bucket, member), false);
                }
                // The script gives the earliest moment a permit can be free; a millisecond more covers rounding.
                var wait = TimeSpan.FromMilliseconds(Math.Max(1, (long)answer[1]) + 1);
                try
                {
                    await Task.Delay(wait, _options.TimeProvider, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return Taken.WasCancelled;
                }
            }
        }
        finally
        {
            bucket.Gate.Release();
        }
    }

    // The grant may still arrive after the caller gave up on it; its request is never sent, so drop the permit.
    private static void ForgetIfGranted(
        IDatabase redis,
        RedisBucket bucket,
        string member,
        Task<RedisResult> call
    ) =>
        _ = call.ContinueWith(
            t =>
            {
                try
                {
                    if (t.IsCompletedSuccessfully && (long)((RedisResult[])t.Result!)[0] == 1)
                        _ = redis
                            .ScriptEvaluateAsync(
                                RedisScripts.Forget,
                                bucket.WindowKeys,
                                [member],
                                CommandFlags.FireAndForget
                            )
                            .ContinueWith(
                                f => _ = f.Exception,
                                TaskContinuationOptions.OnlyOnFaulted
                            );
                    _ = t.Exception;
                }
                catch (Exception) { }
            },
            TaskScheduler.Default
        );

    // Redis, when it can be used now: connected, and not within RetryRedisAfter of a failure.
    private async ValueTask<IDatabase?> SharedAsync(CancellationToken cancellationToken)
    {
        if (_options.TimeProvider.GetTimestamp() < Volatile.Read(ref _retryRedisAt))
            return null;
        IConnectionMultiplexer connection;
        if (_connection.IsCompletedSuccessfully)
            connection = _connection.Result;
        else
        {
            try
            {
                connection = await _connection
                    .WaitAsync(_options.RedisTimeout, _options.TimeProvider, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                Unavailable(
                    e is TimeoutException
                        ? $"not connected within {_options.RedisTimeout.TotalMilliseconds:0} ms"
                        : "could not connect: " + e.GetType().Name
                );
                return null;
            }
        }
        if (!connection.IsConnected)
        {
            Unavailable("no connection");
            return null;
        }
        return connection.GetDatabase();
    }

    private ValueTask<Either<KlaviyoError, IRateLimitLease>> DegradedAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    ) =>
        _options.OnRedisFailure == RedisFailureMode.FailClosed
            ? ValueTask.FromResult(
                Either<KlaviyoError, IRateLimitLease>.Left(
                    new KlaviyoError.Transport(
                        "the shared rate limiter cannot reach Redis, and it is set to fail closed (RedisFailureMode.FailClosed); nothing was sent"
                    )
                    {
                        Attempts = 0,
                    }
                )
            )
            : _fallback.AcquireAsync(request, cancellationToken);

    private void Unavailable(string reason)
    {
        if (reason != "no connection")
            Volatile.Write(
                ref _retryRedisAt,
                _options.TimeProvider.GetTimestamp()
                    + (long)(
                        _options.RetryRedisAfter.TotalSeconds
                        * _options.TimeProvider.TimestampFrequency
                    )
            );
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
            LogUnavailable(
                _logger,
                reason,
                _options.OnRedisFailure == RedisFailureMode.FailClosed
                    ? "calls fail without sending until it is back (fail closed)"
                    : "pacing each process alone with the in-process limiter until it is back"
            );
    }

    private void Available()
    {
        if (Interlocked.Exchange(ref _unavailable, 0) == 1)
            LogAvailable(_logger);
    }

    // Gives a permit back on Redis; a failure leaves it counting until its in-flight bound, which is only safer.
    private async ValueTask ReleaseAsync(
        IDatabase redis,
        RedisBucket bucket,
        string member,
        Either<KlaviyoError, RawResponse> outcome
    )
    {
        try
        {
            if (!redis.Multiplexer.IsConnected)
                return;
            var pause = PauseOf(outcome, _options.TimeProvider.GetUtcNow());
            // The pause runs on the server's clock too: give it the same tolerance as the windows.
            if (pause > TimeSpan.Zero)
                pause += _options.ClockTolerance;
            await redis
                .ScriptEvaluateAsync(
                    RedisScripts.Release,
                    bucket.Keys,
                    bucket.ReleaseArguments(member, (long)Math.Ceiling(pause.TotalMilliseconds))
                )
                .WaitAsync(_options.RedisTimeout, _options.TimeProvider)
                .ConfigureAwait(false);
            if (pause > TimeSpan.Zero)
                LogPaused(_logger, bucket.Name, pause.TotalSeconds);
        }
        catch (Exception e)
        {
            Unavailable(
                e is TimeoutException
                    ? $"no answer within {_options.RedisTimeout.TotalMilliseconds:0} ms"
                    : e.GetType().Name
            );
        }
    }

    /// <summary>
    /// How long a 429's <c>Retry-After</c> asks every worker to pause (zero for anything else), at most a day. Read
    /// the way the retry policy reads it (<see cref="RetryPolicy.RetryAfterOf"/>: seconds or an HTTP date).
    /// </summary>
    internal static TimeSpan PauseOf(
        Either<KlaviyoError, RawResponse> outcome,
        DateTimeOffset now
    ) =>
        outcome
            .Match(
                Right: r =>
                    r.StatusCode == 429
                        ? r.Classify()
                            .Match(
                                Right: _ => Option<TimeSpan>.None,
                                Left: e => RetryPolicy.RetryAfterOf(e, now)
                            )
                        : Option<TimeSpan>.None,
                Left: _ => Option<TimeSpan>.None
            )
            .Map(w => w > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : w)
            .IfNone(TimeSpan.Zero);

    private static Either<KlaviyoError, IRateLimitLease> Cancelled() =>
        new KlaviyoError.Cancelled { Attempts = 0 };

    /// <summary>Closes the connection when the limiter opened it, and disposes the in-process fallback.</summary>
    public void Dispose()
    {
        _fallback.Dispose();
        if (_ownsConnection)
            _ = _connection.ContinueWith(
                t =>
                {
                    if (t.IsCompletedSuccessfully)
                        t.Result.Dispose();
                    _ = t.Exception;
                },
                TaskScheduler.Default
            );
    }

    /// <summary>As <see cref="Dispose"/>, waiting for the connection to close.</summary>
    public async ValueTask DisposeAsync()
    {
        _fallback.Dispose();
        if (!_ownsConnection)
            return;
        try
        {
            var connection = await _connection.ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception) { }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Klaviyo rate limiting: Redis is unavailable ({Reason}); {Action}"
    )]
    private static partial void LogUnavailable(ILogger logger, string reason, string action);

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Klaviyo rate limiting: Redis answers again; the quota is shared again"
    )]
    private static partial void LogAvailable(ILogger logger);

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Klaviyo rate limiting: a 429 paused {Bucket} for {Seconds:0.###} s for every worker"
    )]
    private static partial void LogPaused(ILogger logger, string bucket, double seconds);

    private readonly record struct Taken(IRateLimitLease? Lease, bool Cancelled)
    {
        public static readonly Taken Unavailable = new(null, false);
        public static readonly Taken WasCancelled = new(null, true);
    }

    private sealed class NoLease : IRateLimitLease
    {
        public static readonly NoLease Instance = new();

        public ValueTask ReleaseAsync(Either<KlaviyoError, RawResponse> outcome) =>
            ValueTask.CompletedTask;
    }

    private sealed class SharedLease(
        RedisRateLimiter owner,
        IDatabase redis,
        RedisBucket bucket,
        string member
    ) : IRateLimitLease
    {
        private int _released;

        public ValueTask ReleaseAsync(Either<KlaviyoError, RawResponse> outcome) =>
            Interlocked.Exchange(ref _released, 1) != 0
                ? ValueTask.CompletedTask
                : owner.ReleaseAsync(redis, bucket, member, outcome);
    }
}
