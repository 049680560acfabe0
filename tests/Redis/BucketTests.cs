using LanguageExt;
using StackExchange.Redis;
using Xunit;

namespace Klaviyo.Tests.Redis;

/// <summary>What is stored in Redis, under which key, and for how long.</summary>
[Collection("redis")]
public class BucketTests(RedisFixture fixture)
{
    private static readonly RateLimitTier M = new(
        new Rate(10, TimeSpan.FromSeconds(1)),
        new Rate(150, TimeSpan.FromMinutes(1)),
        null
    );

    private RedisUnderTest Redis => fixture.Redis;

    [Fact]
    public void A_tier_is_named_by_its_windows()
    {
        Assert.Equal("10/1s+150/60s", TierKey.Of(M));
        Assert.Equal(
            "5/200ms+50/86400s",
            TierKey.Of(
                new(
                    new Rate(5, TimeSpan.FromMilliseconds(200)),
                    null,
                    new Rate(50, TimeSpan.FromDays(1))
                )
            )
        );
    }

    [Fact]
    public void Operations_of_one_tier_share_a_bucket_and_other_tiers_do_not()
    {
        var sameNumbers = new RateLimitTier(
            new Rate(10, TimeSpan.FromSeconds(1)),
            new Rate(150, TimeSpan.FromMinutes(1)),
            null
        );
        var other = new RateLimitTier(
            new Rate(3, TimeSpan.FromSeconds(1)),
            new Rate(60, TimeSpan.FromMinutes(1)),
            null
        );
        RedisKey[] Keys(RateLimitTier tier) =>
            RedisBucket.Create("p:", "acct", tier, 0.02, TimeSpan.Zero).Keys;

        Assert.Equal(Keys(M), Keys(sameNumbers));
        Assert.Empty(Keys(M).Intersect(Keys(other)));
        Assert.Equal(
            [
                "p:{acct|10/1s+150/60s}:1s",
                "p:{acct|10/1s+150/60s}:60s",
                "p:{acct|10/1s+150/60s}:pause",
            ],
            Keys(M).Select(k => k.ToString())
        );
    }

    [Fact]
    public async Task Keys_name_the_account_by_a_hash_of_the_credential_never_the_credential()
    {
        var prefix = RedisFixture.Prefix();
        await using var limiter = Workers.Limiter(Redis.Configuration, prefix, M);
        var request = Workers.Request();

        var lease = await limiter.AcquireAsync(request, default);

        Assert.True(lease.IsRight);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        var keys = SharedQuotaTests.Keys(redis, prefix).Select(k => k.ToString()).ToList();
        var fingerprint = Secret.Of("Klaviyo-API-Key " + Workers.ApiKey).Fingerprint();
        Assert.Equal(2, keys.Count);
        Assert.All(
            keys,
            k => Assert.StartsWith(prefix + "{" + fingerprint + "|10/1s+150/60s}:", k)
        );
        Assert.All(keys, k => Assert.DoesNotContain(Workers.ApiKey, k));
    }

    [Fact]
    public async Task A_configured_account_id_names_the_account_instead()
    {
        var prefix = RedisFixture.Prefix();
        await using var limiter = Workers.Limiter(
            Redis.Configuration,
            prefix,
            M,
            change: o => o with { AccountId = "company-XyZ123" }
        );

        Assert.True((await limiter.AcquireAsync(Workers.Request(), default)).IsRight);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        Assert.All(
            SharedQuotaTests.Keys(redis, prefix),
            k => Assert.StartsWith(prefix + "{company-XyZ123|", k.ToString())
        );
    }

    [Fact]
    public async Task A_permit_counts_while_in_flight_and_until_one_window_after_its_exchange()
    {
        var prefix = RedisFixture.Prefix();
        await using var limiter = Workers.Limiter(Redis.Configuration, prefix, M);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        var db = redis.GetDatabase();
        var steady = (RedisKey)(
            prefix
            + "{"
            + Secret.Of("Klaviyo-API-Key " + Workers.ApiKey).Fingerprint()
            + "|10/1s+150/60s}:60s"
        );
        var hold =
            60_000 * (1 + RedisRateLimiterOptions.Default.Margin)
            + RedisRateLimiterOptions.Default.ClockTolerance.TotalMilliseconds;

        // The server's clock may step a little between two readings (Garnet's does, by up to ~15 ms).
        const double step = 30;

        var lease = (IRateLimitLease)(await limiter.AcquireAsync(Workers.Request(), default)).Case!;
        var inFlight = await LeftAsync(db, steady);
        // In flight: the request's timeout (60 s by default) and a hold from the grant, so a dead worker frees it.
        Assert.InRange(inFlight, hold + 1, hold + 60_000 + step);
        Assert.InRange(
            await db.KeyTimeToLiveAsync(steady) is { } ttl ? ttl.TotalMilliseconds : 0,
            1,
            hold + 60_000 + step
        );

        await lease.ReleaseAsync(new RawResponse(200, default, default));
        var released = await LeftAsync(db, steady);
        Assert.InRange(released, 1, hold + step);
        Assert.Equal(1, await db.SortedSetLengthAsync(steady));
    }

    [Fact]
    public async Task A_429_released_with_Retry_After_sets_a_pause_key_that_expires_with_it()
    {
        var prefix = RedisFixture.Prefix();
        await using var limiter = Workers.Limiter(Redis.Configuration, prefix, M);
        var lease = (IRateLimitLease)(await limiter.AcquireAsync(Workers.Request(), default)).Case!;

        await lease.ReleaseAsync(
            new RawResponse(429, Prelude.Seq1(("Retry-After", "30")), default)
        );

        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        var pause = SharedQuotaTests
            .Keys(redis, prefix)
            .Single(k => k.ToString().EndsWith(":pause"));
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(pause);
        Assert.NotNull(ttl);
        // Retry-After, plus the clock tolerance the windows get too (less what has passed since).
        Assert.InRange(
            ttl!.Value.TotalMilliseconds,
            20_000,
            30_000 + RedisRateLimiterOptions.Default.ClockTolerance.TotalMilliseconds
        );
    }

    [Fact]
    public void Only_a_429_pauses_and_for_its_Retry_After()
    {
        var now = DateTimeOffset.UnixEpoch;
        Either<KlaviyoError, RawResponse> Answer(int status, params (string, string)[] headers) =>
            new RawResponse(status, headers.ToSeq(), default);

        Assert.Equal(
            TimeSpan.FromSeconds(7),
            RedisRateLimiter.PauseOf(Answer(429, ("retry-after", "7")), now)
        );
        Assert.Equal(
            TimeSpan.Zero,
            RedisRateLimiter.PauseOf(Answer(503, ("Retry-After", "7")), now)
        );
        Assert.Equal(TimeSpan.Zero, RedisRateLimiter.PauseOf(Answer(429), now));
        Assert.Equal(
            TimeSpan.Zero,
            RedisRateLimiter.PauseOf(new KlaviyoError.Transport("reset"), now)
        );
    }

    // How long the permit in this window has left to count, in ms, by the server's clock.
    private static async Task<double> LeftAsync(IDatabase db, RedisKey key)
    {
        var now = (RedisResult[])(await db.ExecuteAsync("TIME"))!;
        var ms = (long)now[0] * 1000 + (long)now[1] / 1000;
        var entry = Assert.Single(await db.SortedSetRangeByRankWithScoresAsync(key));
        return entry.Score - ms;
    }
}
