using System.Diagnostics;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests.Redis;

[Collection("redis")]
public class CancellationTests(RedisFixture fixture)
{
    private static readonly RateLimitTier OnePerMinute = new(
        null,
        new Rate(1, TimeSpan.FromMinutes(1)),
        null
    );

    // "At once" within what a busy machine allows; a wait for the window would take a minute.
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Waiting_for_a_permit_ends_at_once_on_cancellation()
    {
        await using var limiter = Workers.Limiter(
            fixture.Redis.Configuration,
            RedisFixture.Prefix(),
            OnePerMinute
        );
        Assert.True((await limiter.AcquireAsync(Workers.Request(), default)).IsRight);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();

        var second = await limiter.AcquireAsync(Workers.Request(), cts.Token);

        Assert.IsType<KlaviyoError.Cancelled>(Workers.ErrorOf(second));
        Assert.True(clock.Elapsed < AtOnce, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Waiting_behind_another_caller_of_this_process_ends_at_once_on_cancellation()
    {
        await using var limiter = Workers.Limiter(
            fixture.Redis.Configuration,
            RedisFixture.Prefix(),
            OnePerMinute
        );
        Assert.True((await limiter.AcquireAsync(Workers.Request(), default)).IsRight);
        using var first = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(Workers.Request(), first.Token).AsTask();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();

        var queued = await limiter.AcquireAsync(Workers.Request(), cts.Token);

        Assert.IsType<KlaviyoError.Cancelled>(Workers.ErrorOf(queued));
        Assert.True(clock.Elapsed < AtOnce, $"took {clock.Elapsed}");
        first.Cancel();
        Assert.IsType<KlaviyoError.Cancelled>(Workers.ErrorOf(await waiting.WaitAsync(AtOnce)));
    }

    [Fact]
    public async Task Waiting_out_a_pause_ends_at_once_on_cancellation()
    {
        var roomy = new RateLimitTier(null, new Rate(100, TimeSpan.FromMinutes(1)), null);
        await using var limiter = Workers.Limiter(
            fixture.Redis.Configuration,
            RedisFixture.Prefix(),
            roomy
        );
        var lease = (IRateLimitLease)(await limiter.AcquireAsync(Workers.Request(), default)).Case!;
        await lease.ReleaseAsync(
            new RawResponse(429, Prelude.Seq1(("Retry-After", "60")), default)
        );
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();

        var paused = await limiter.AcquireAsync(Workers.Request(), cts.Token);

        Assert.IsType<KlaviyoError.Cancelled>(Workers.ErrorOf(paused));
        Assert.True(clock.Elapsed < AtOnce, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_call_cancelled_before_it_starts_takes_no_permit()
    {
        await using var limiter = Workers.Limiter(
            fixture.Redis.Configuration,
            RedisFixture.Prefix(),
            OnePerMinute
        );
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var cancelled = await limiter.AcquireAsync(Workers.Request(), cts.Token);

        Assert.IsType<KlaviyoError.Cancelled>(Workers.ErrorOf(cancelled));
        using var quick = new CancellationTokenSource(AtOnce);
        Assert.True((await limiter.AcquireAsync(Workers.Request(), quick.Token)).IsRight);
    }
}
