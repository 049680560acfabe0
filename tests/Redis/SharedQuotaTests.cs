using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Klaviyo.Tests.Redis;

[Collection("redis")]
public class SharedQuotaTests(RedisFixture fixture, ITestOutputHelper output)
{
    // Klaviyo's windows (1 s burst, 1 min steady) scaled down so a test runs in seconds.
    private static readonly RateLimitTier Scaled = new(
        new Rate(4, TimeSpan.FromMilliseconds(100)),
        new Rate(16, TimeSpan.FromMilliseconds(500)),
        null
    );

    private RedisUnderTest Redis => fixture.Redis;

    [Fact]
    public async Task Four_workers_sharing_one_Redis_receive_no_429_from_the_stand_in()
    {
        output.WriteLine($"Redis-protocol server: {RedisUnderTest.Kind}");
        // The latency sits between admission and answer: a limiter that stopped counting at the answer would leak.
        await using var server = await TieredRateLimitedServer.StartAsync(
            Scaled,
            latency: TimeSpan.FromMilliseconds(20)
        );
        var prefix = RedisFixture.Prefix();
        var limiters = Enumerable
            .Range(0, 4)
            .Select(_ => Workers.Limiter(Redis.Configuration, prefix, Scaled))
            .ToArray();
        try
        {
            var calls = limiters.SelectMany(limiter =>
                Enumerable
                    .Range(0, 24)
                    .Select(_ =>
                        Workers.GetProfiles.SendAsync(Workers.Options(server.Server, limiter))
                    )
            );

            var results = await Task.WhenAll(calls);

            Assert.All(results, r => Assert.True(r.IsRight, r.ToString()));
            Assert.Equal(0, server.Throttled);
            Assert.Equal(96, server.Accepted);
        }
        finally
        {
            foreach (var limiter in limiters)
                await limiter.DisposeAsync();
        }
    }

    [Fact]
    public async Task Four_workers_each_pacing_alone_in_process_do_get_429s()
    {
        // The control for the test above: the same work, each worker with its own in-process limiter.
        await using var server = await TieredRateLimitedServer.StartAsync(
            Scaled,
            latency: TimeSpan.FromMilliseconds(20)
        );
        var limiters = Enumerable
            .Range(0, 4)
            .Select(_ => new CatalogRateLimiter(_ => Scaled))
            .ToArray();
        try
        {
            var results = await Task.WhenAll(
                limiters.SelectMany(limiter =>
                    Enumerable
                        .Range(0, 24)
                        .Select(_ =>
                            Workers.GetProfiles.SendAsync(Workers.Options(server.Server, limiter))
                        )
                )
            );

            Assert.True(
                server.Throttled > 0,
                "the stand-in never throttled, so the test above shows nothing"
            );
            Assert.Contains(results, r => r.IsLeft);
        }
        finally
        {
            foreach (var limiter in limiters)
                limiter.Dispose();
        }
    }

    [Fact]
    public async Task A_429_with_Retry_After_pauses_every_worker_for_that_long()
    {
        var roomy = new RateLimitTier(new Rate(1000, TimeSpan.FromSeconds(1)), null, null);
        await using var server = await TieredRateLimitedServer.StartAsync(roomy);
        server.ThrottleNext(1, "1");
        var prefix = RedisFixture.Prefix();
        var limiters = Enumerable
            .Range(0, 4)
            .Select(_ => Workers.Limiter(Redis.Configuration, prefix, roomy))
            .ToArray();
        try
        {
            var first = await Workers.GetProfiles.SendAsync(
                Workers.Options(server.Server, limiters[0])
            );
            Assert.Equal(429, Assert.IsType<KlaviyoError.Api>(Workers.ErrorOf(first)).StatusCode);

            var others = await Task.WhenAll(
                limiters.Select(l =>
                    Workers.GetProfiles.SendAsync(Workers.Options(server.Server, l))
                )
            );

            Assert.All(others, r => Assert.True(r.IsRight, r.ToString()));
            var arrivals = server.Arrivals;
            var throttledAt = arrivals.Single(a => a.Status == 429).At;
            var sentAfter = arrivals
                .Where(a => a.Status == 200)
                .Select(a => a.At - throttledAt)
                .ToList();
            Assert.Equal(4, sentAfter.Count);
            // Every worker, the one that got the 429 included, waited the whole Retry-After (1 ms for rounding).
            Assert.All(
                sentAfter,
                d =>
                    Assert.True(
                        d >= TimeSpan.FromMilliseconds(999),
                        $"sent {d.TotalMilliseconds} ms after the 429"
                    )
            );
        }
        finally
        {
            foreach (var limiter in limiters)
                await limiter.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_retry_acquires_again_so_retries_count_against_the_shared_quota()
    {
        var roomy = new RateLimitTier(null, new Rate(1000, TimeSpan.FromMinutes(1)), null);
        await using var server = await TieredRateLimitedServer.StartAsync(roomy);
        server.ThrottleNext(1, "0.05");
        var prefix = RedisFixture.Prefix();
        await using var limiter = Workers.Limiter(Redis.Configuration, prefix, roomy);
        var options = Workers.Options(server.Server, limiter) with
        {
            Retry = Retry.Linear,
            RetryOptions = new RetryOptions { MaxRetries = 2 },
        };

        var result = await Workers.GetProfiles.SendAsync(options);

        Assert.True(result.IsRight, result.ToString());
        Assert.Equal(2, server.Arrivals.Count);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        var steady = Keys(redis, prefix).Single(k => k.ToString().EndsWith(":60s"));
        Assert.Equal(2, await redis.GetDatabase().SortedSetLengthAsync(steady));
    }

    internal static List<RedisKey> Keys(IConnectionMultiplexer redis, string prefix) =>
        redis.GetServers().SelectMany(s => s.Keys(pattern: prefix + "*")).ToList();
}
