using LanguageExt;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// When <see cref="CatalogRateLimiter"/> gives a permit back: one window (plus the margin) after its exchange ended,
/// never before, on the clock it was given. A permit that is free is granted at once (the returned task is already
/// complete), so whether one is free is read without waiting.
/// </summary>
public class PermitHoldTests
{
    private static readonly KlaviyoRequest Request = RequestBuilder
        .Build(
            new RequestOperation(HttpMethod.Get, "/api/profiles") { OperationId = "get_profiles" },
            KlaviyoOptions.Default
        )
        .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    private static readonly Either<KlaviyoError, RawResponse> Ok = new RawResponse(
        200,
        default,
        ReadOnlyMemory<byte>.Empty
    );

    private static CatalogRateLimiter Limiter(
        int count,
        TimeProvider clock,
        double margin = 0.05
    ) =>
        new(
            _ => new RateLimitTier(new Rate(count, TimeSpan.FromSeconds(1)), null, null),
            margin,
            clock
        );

    private static IRateLimitLease Granted(Either<KlaviyoError, IRateLimitLease> result) =>
        result.Match(l => l, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    // A bound only, so that a permit never given back fails the test instead of hanging the run.
    private static async Task<IRateLimitLease> GrantedSoon(
        ValueTask<Either<KlaviyoError, IRateLimitLease>> pending
    ) => Granted(await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));

    [Fact]
    public async Task A_free_permit_is_granted_at_once()
    {
        using var limiter = Limiter(2, new FakeTimeProvider());

        var first = limiter.AcquireAsync(Request, default);
        var second = limiter.AcquireAsync(Request, default);
        var third = limiter.AcquireAsync(Request, default);

        Assert.True(first.IsCompleted);
        Assert.True(second.IsCompleted);
        Assert.False(third.IsCompleted);
        await (await first).Match(l => l.ReleaseAsync(Ok), _ => ValueTask.CompletedTask);
    }

    [Fact]
    public async Task A_permit_comes_back_one_window_after_its_exchange_ended_and_not_before()
    {
        var clock = new FakeTimeProvider();
        using var limiter = Limiter(1, clock);
        var lease = Granted(await limiter.AcquireAsync(Request, default));
        // The exchange's own duration does not count: the hold starts when it ends.
        clock.Advance(TimeSpan.FromSeconds(5));
        await lease.ReleaseAsync(Ok);

        clock.Advance(TimeSpan.FromMilliseconds(1049));
        var next = limiter.AcquireAsync(Request, default);
        var heldUntilTheEnd = !next.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(heldUntilTheEnd);
        await GrantedSoon(next);
    }

    [Fact]
    public async Task Permits_given_back_at_different_times_come_back_each_at_the_end_of_its_own_hold()
    {
        var clock = new FakeTimeProvider();
        using var limiter = Limiter(3, clock, margin: 0);
        var leases = new List<IRateLimitLease>();
        for (var i = 0; i < 3; i++)
            leases.Add(Granted(await limiter.AcquireAsync(Request, default)));
        foreach (var lease in leases)
        {
            await lease.ReleaseAsync(Ok);
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }
        // Given back at 0, 100 and 200 ms; now is 300 ms.

        clock.Advance(TimeSpan.FromMilliseconds(700));
        var firstBack = limiter.AcquireAsync(Request, default);
        var secondEarly = limiter.AcquireAsync(Request, default);
        var firstAtOnce = firstBack.IsCompleted;
        var secondWaited = !secondEarly.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(99));
        var thirdEarly = limiter.AcquireAsync(Request, default);
        var secondStillWaited = !secondEarly.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await GrantedSoon(secondEarly);
        var thirdWaited = !thirdEarly.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True(firstAtOnce);
        Assert.True(secondWaited);
        Assert.True(secondStillWaited);
        Assert.True(thirdWaited);
        await GrantedSoon(firstBack);
        await GrantedSoon(thirdEarly);
    }

    [Fact]
    public async Task Under_contention_no_window_ever_sees_more_grants_than_its_count()
    {
        const int Count = 5;
        var hold = TimeSpan.FromSeconds(1);
        var clock = new FakeTimeProvider();
        using var limiter = Limiter(Count, clock, margin: 0);
        var granted = new System.Collections.Concurrent.ConcurrentBag<DateTimeOffset>();

        var workers = Enumerable
            .Range(0, 8)
            .Select(_ =>
                Task.Run(async () =>
                {
                    for (var i = 0; i < 25; i++)
                    {
                        var lease = Granted(await limiter.AcquireAsync(Request, default));
                        granted.Add(clock.GetUtcNow());
                        await lease.ReleaseAsync(Ok);
                    }
                })
            )
            .ToArray();
        var all = Task.WhenAll(workers);
        var started = DateTime.UtcNow;
        while (!all.IsCompleted && DateTime.UtcNow - started < TimeSpan.FromSeconds(60))
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }
        await all.WaitAsync(TimeSpan.FromSeconds(1));

        var times = granted.Order().ToList();
        Assert.Equal(200, times.Count);
        // Every grant holds its permit until at least one hold after it, so any Count + 1 grants span a hold.
        for (var k = 0; k + Count < times.Count; k++)
            Assert.True(
                times[k + Count] - times[k] >= hold,
                $"grants {k} and {k + Count} only {(times[k + Count] - times[k]).TotalMilliseconds} ms apart"
            );
        // And every permit came back: after one more hold all of them are free at once.
        clock.Advance(hold);
        var again = Enumerable
            .Range(0, Count + 1)
            .Select(_ => limiter.AcquireAsync(Request, default))
            .ToList();
        Assert.All(again.Take(Count), a => Assert.True(a.IsCompleted));
        Assert.False(again[Count].IsCompleted);
    }

    [Fact]
    public async Task Disposing_refuses_a_waiting_request_and_a_permit_given_back_afterwards_is_no_error()
    {
        var clock = new FakeTimeProvider();
        var limiter = Limiter(1, clock);
        var lease = Granted(await limiter.AcquireAsync(Request, default));
        var waiting = limiter.AcquireAsync(Request, default);

        limiter.Dispose();
        var refused = await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        await lease.ReleaseAsync(Ok);
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.IsType<KlaviyoError.Transport>(refused.Match(_ => null!, e => e));
        Assert.True((await limiter.AcquireAsync(Request, default)).IsLeft);
    }
}
