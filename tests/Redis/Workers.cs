using LanguageExt;
using Microsoft.Extensions.Logging;

namespace Klaviyo.Tests.Redis;

/// <summary>Shared pieces of the tests: a request, options for a worker, a limiter per worker.</summary>
internal static class Workers
{
    public const string ApiKey = "pk_test_shared_quota_0123456789";

    public static readonly RequestOperation GetProfiles = new(HttpMethod.Get, "/api/profiles")
    {
        OperationId = "get_profiles",
    };

    /// <summary>The options of one worker sending to <paramref name="server"/> through <paramref name="limiter"/>.</summary>
    public static KlaviyoOptions Options(LoopbackServer server, IRateLimiter? limiter) =>
        server.Options(new KlaviyoOptions { ApiKey = ApiKey }) with
        {
            ClientOptions = new ClientOptions { RateLimiter = limiter },
        };

    /// <summary>A limiter as one worker would have it: its own connection, the test's tier and prefix.</summary>
    public static RedisRateLimiter Limiter(
        string configuration,
        string prefix,
        RateLimitTier tier,
        ILogger? logger = null,
        Func<RedisRateLimiterOptions, RedisRateLimiterOptions>? change = null
    )
    {
        // Fail closed with a generous timeout: a slow first script on a busy machine must not slip into the fallback
        // and hide what the test is about (the fault tests set their own).
        var options = new RedisRateLimiterOptions
        {
            KeyPrefix = prefix,
            TierFor = _ => tier,
            OnRedisFailure = RedisFailureMode.FailClosed,
            RedisTimeout = TimeSpan.FromSeconds(10),
        };
        return new RedisRateLimiter(
            configuration,
            change is null ? options : change(options),
            logger
        );
    }

    /// <summary>
    /// A concrete request for <see cref="GetProfiles"/> as the library builds it, to call a limiter directly: caught
    /// by an interpreter that answers at once.
    /// </summary>
    public static KlaviyoRequest Request()
    {
        var capture = new Capture();
        GetProfiles
            .SendAsync(new KlaviyoOptions { ApiKey = ApiKey, Client = capture })
            .GetAwaiter()
            .GetResult();
        return capture.Seen ?? throw new Xunit.Sdk.XunitException("no request was built");
    }

    public static KlaviyoError ErrorOf<A>(Either<KlaviyoError, A> result) =>
        result.Match(
            r => throw new Xunit.Sdk.XunitException($"expected an error, got {r}"),
            e => e
        );

    private sealed class Capture : IInterpreter
    {
        public KlaviyoRequest? Seen { get; private set; }

        public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        )
        {
            Seen = request;
            return Task.FromResult(
                Either<KlaviyoError, RawResponse>.Right(new RawResponse(200, default, default))
            );
        }
    }
}
