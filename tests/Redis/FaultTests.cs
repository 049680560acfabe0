using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Klaviyo.Tests.Redis;

/// <summary>Redis down at start, lost mid-run, slow, or silent: a documented choice, never a hang nor an exception.</summary>
public class FaultTests(ITestOutputHelper output)
{
    private static readonly RateLimitTier Scaled = new(
        new Rate(4, TimeSpan.FromMilliseconds(100)),
        new Rate(16, TimeSpan.FromMilliseconds(500)),
        null
    );

    // Far longer than any fault path takes: reaching it means a hang.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private static RedisRateLimiter Limiter(
        string configuration,
        RedisFailureMode mode,
        ILogger? logger = null,
        string? prefix = null,
        int timeoutMilliseconds = 300
    ) =>
        Workers.Limiter(
            configuration,
            prefix ?? RedisFixture.Prefix(),
            Scaled,
            logger,
            o =>
                o with
                {
                    OnRedisFailure = mode,
                    RedisTimeout = TimeSpan.FromMilliseconds(timeoutMilliseconds),
                    RetryRedisAfter = TimeSpan.FromMilliseconds(200),
                }
        );

    [Fact]
    public async Task With_Redis_down_at_start_it_falls_back_to_in_process_pacing_and_logs_a_warning()
    {
        await using var server = await TieredRateLimitedServer.StartAsync(Scaled);
        var logger = new ListLogger();
        await using var limiter = Limiter(
            $"127.0.0.1:{RedisUnderTest.FreePort()}",
            RedisFailureMode.FallBack,
            logger
        );

        var results = await Task.WhenAll(
                Enumerable
                    .Range(0, 40)
                    .Select(_ =>
                        Workers.GetProfiles.SendAsync(
                            Workers.Options(server.Server, limiter) with
                            {
                                Retry = Retry.Linear,
                                RetryOptions = new RetryOptions
                                {
                                    MaxRetries = 20,
                                    RetryIn = TimeSpan.FromMilliseconds(100),
                                },
                            }
                        )
                    )
            )
            .WaitAsync(Hang);

        // Every call is done. The in-process windows run on this machine's clock against a tier of 4 per 100 ms, so a
        // starved scheduler may let a stray 429 through (then retried); unpaced, 40 calls at once would draw ~36.
        Assert.All(results, r => Assert.True(r.IsRight, r.ToString()));
        Assert.InRange(server.Throttled, 0, 8);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("Redis is unavailable", warning.Message);
        Assert.Contains("in-process", warning.Message);
    }

    [Fact]
    public async Task With_Redis_down_at_start_and_fail_closed_the_call_ends_with_a_clear_error_and_sends_nothing()
    {
        await using var server = await TieredRateLimitedServer.StartAsync(Scaled);
        var password = "hunter2-redis-password";
        var logger = new ListLogger();
        await using var limiter = Limiter(
            $"127.0.0.1:{RedisUnderTest.FreePort()},password={password}",
            RedisFailureMode.FailClosed,
            logger
        );

        var result = await Workers
            .GetProfiles.SendAsync(Workers.Options(server.Server, limiter))
            .WaitAsync(Hang);

        var error = Assert.IsType<KlaviyoError.Transport>(Workers.ErrorOf(result));
        Assert.Equal(0, error.Attempts);
        Assert.Contains("cannot reach Redis", error.Message);
        Assert.Empty(server.Server.Received);
        Assert.DoesNotContain(password, error.ToString());
        Assert.All(logger.Entries, e => Assert.DoesNotContain(password, e.Message));
    }

    [Fact]
    public async Task Losing_Redis_mid_run_falls_back_and_shares_the_quota_again_once_Redis_is_back()
    {
        await using var redis = await RedisUnderTest.StartAsync();
        output.WriteLine($"Redis-protocol server: {RedisUnderTest.Kind}");
        await redis.WarmUpAsync();
        await using var server = await TieredRateLimitedServer.StartAsync(Scaled);
        var logger = new ListLogger();
        var prefix = RedisFixture.Prefix();
        await using var limiter = Limiter(
            redis.Configuration,
            RedisFailureMode.FallBack,
            logger,
            prefix
        );
        var options = Workers.Options(server.Server, limiter);

        Assert.True((await Workers.GetProfiles.SendAsync(options)).IsRight);
        Assert.NotEmpty(await KeysAsync(redis, prefix));

        await redis.StopAsync();
        var during = await Task.WhenAll(
                Enumerable.Range(0, 10).Select(_ => Workers.GetProfiles.SendAsync(options))
            )
            .WaitAsync(Hang);
        // Every call was paced in process and sent. (The in-process limiter starts empty, so it does not know the
        // permit taken through Redis just before: the stand-in may throttle one call at the switch.)
        Assert.All(
            during,
            r =>
                Assert.True(
                    r.IsRight || Workers.ErrorOf(r) is KlaviyoError.Api { StatusCode: 429 },
                    r.ToString()
                )
        );
        Assert.Equal(11, server.Arrivals.Count);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning);

        await redis.StartAgainAsync();
        // The restarted server is empty; permits appear in it again once the limiter has reconnected.
        var back = System.Diagnostics.Stopwatch.StartNew();
        while ((await KeysAsync(redis, prefix)).Count == 0)
        {
            Assert.True(back.Elapsed < Hang, "the limiter never went back to Redis");
            Assert.True((await Workers.GetProfiles.SendAsync(options)).IsRight);
            await Task.Delay(50);
        }
        Assert.Contains(
            logger.Entries,
            e => e.Level == LogLevel.Information && e.Message.Contains("shared again")
        );
    }

    [Fact]
    public async Task A_Redis_that_accepts_but_never_answers_does_not_hang_the_caller()
    {
        await using var silent = SlowRedis.Silent();
        await using var server = await TieredRateLimitedServer.StartAsync(Scaled);
        await using var closed = Limiter(silent.Configuration, RedisFailureMode.FailClosed);
        await using var fallBack = Limiter(silent.Configuration, RedisFailureMode.FallBack);

        var failed = await Workers
            .GetProfiles.SendAsync(Workers.Options(server.Server, closed))
            .WaitAsync(Hang);
        var sent = await Workers
            .GetProfiles.SendAsync(Workers.Options(server.Server, fallBack))
            .WaitAsync(Hang);

        Assert.IsType<KlaviyoError.Transport>(Workers.ErrorOf(failed));
        Assert.True(sent.IsRight, sent.ToString());
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task A_Redis_slower_than_the_timeout_counts_as_unavailable()
    {
        await using var redis = await RedisUnderTest.StartAsync();
        await redis.WarmUpAsync();
        await using var slow = SlowRedis.InFrontOf(redis.Port);
        await using var server = await TieredRateLimitedServer.StartAsync(Scaled);
        var logger = new ListLogger();
        // A timeout a busy machine always meets while the proxy passes answers at once, and a delay far beyond it.
        await using var limiter = Limiter(
            slow.Configuration,
            RedisFailureMode.FailClosed,
            logger,
            timeoutMilliseconds: 2000
        );
        var options = Workers.Options(server.Server, limiter);
        Assert.True((await Workers.GetProfiles.SendAsync(options).WaitAsync(Hang)).IsRight);

        slow.Delay = TimeSpan.FromSeconds(10);
        var result = await Workers.GetProfiles.SendAsync(options).WaitAsync(Hang);

        Assert.IsType<KlaviyoError.Transport>(Workers.ErrorOf(result));
        Assert.Contains(
            logger.Entries,
            e => e.Level == LogLevel.Warning && e.Message.Contains("no answer within")
        );
        Assert.Equal(1, server.Accepted);
    }

    private static async Task<List<RedisKey>> KeysAsync(RedisUnderTest redis, string prefix)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        return SharedQuotaTests.Keys(connection, prefix);
    }
}
