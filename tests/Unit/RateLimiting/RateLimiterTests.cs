using Xunit;

namespace Klaviyo.Tests;

public class RateLimiterTests
{
    // The catalog's windows (per second, per minute) scaled down so the test runs in seconds.
    private static readonly RateLimitTier Scaled = new(
        new Rate(40, TimeSpan.FromMilliseconds(100)),
        new Rate(200, TimeSpan.FromSeconds(1)),
        null
    );

    private static readonly RequestOperation Op = new(HttpMethod.Get, "/api/profiles")
    {
        OperationId = "get_profiles",
    };

    [Fact]
    public async Task With_the_limiter_on_1000_concurrent_calls_receive_no_429()
    {
        await using var server = await RateLimitedServer.StartAsync(Scaled.Burst!, Scaled.Steady!);
        using var limiter = new CatalogRateLimiter(_ => Scaled);
        var options = server.Server.Options() with
        {
            ClientOptions = new ClientOptions { RateLimiter = limiter },
        };

        var results = await Task.WhenAll(
            Enumerable.Range(0, 1000).Select(_ => Op.SendAsync(options))
        );

        Assert.All(results, r => Assert.True(r.IsRight, r.ToString()));
        Assert.Equal(0, server.Throttled);
        Assert.Equal(1000, server.Accepted);
    }

    [Fact]
    public async Task With_the_limiter_off_and_retry_on_all_1000_calls_still_succeed()
    {
        await using var server = await RateLimitedServer.StartAsync(Scaled.Burst!, Scaled.Steady!);
        var options = server.Server.Options() with
        {
            Retry = Retry.Exponential,
            RetryOptions = new RetryOptions
            {
                MaxRetries = 200,
                BaseDelay = TimeSpan.FromMilliseconds(20),
                MaxDelay = TimeSpan.FromMilliseconds(500),
            },
        };

        var results = await Task.WhenAll(
            Enumerable.Range(0, 1000).Select(_ => Op.SendAsync(options))
        );

        Assert.All(results, r => Assert.True(r.IsRight, r.ToString()));
        Assert.Equal(1000, server.Accepted);
        Assert.True(server.Throttled > 0, "the server never throttled, so this test shows nothing");
    }

    [Fact]
    public void By_default_the_limits_come_from_the_catalog()
    {
        var request = RequestBuilder
            .Build(Op, KlaviyoOptions.Default)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var tier = CatalogRateLimiter.FromCatalog(request);
        Assert.Equal(
            OperationCatalog
                .Find("get_profiles")
                .Map(e => e.RateLimit)
                .IfNoneUnsafe((RateLimitTier?)null),
            tier
        );
        Assert.Null(CatalogRateLimiter.FromCatalog(request with { OperationId = null }));
    }

    [Fact]
    public async Task Waiting_for_a_permit_ends_at_once_on_cancellation()
    {
        using var limiter = new CatalogRateLimiter(_ => new RateLimitTier(
            new Rate(1, TimeSpan.FromMinutes(1)),
            null,
            null
        ));
        var request = RequestBuilder
            .Build(Op, KlaviyoOptions.Default)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        // The one permit is taken and never given back, so only the cancel can end the second wait.
        Assert.True((await limiter.AcquireAsync(request, default)).IsRight);
        using var cts = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(request, cts.Token).AsTask();
        var waitedBeforeTheCancel = !waiting.IsCompleted;
        await cts.CancelAsync();
        // A bound only so that a wait that ignores the cancel fails instead of hanging the run.
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(waitedBeforeTheCancel);
        Assert.IsType<KlaviyoError.Cancelled>(second.Match(_ => null!, e => e));
    }
}
