using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Retrying;

/// <summary>The pure decision, without any clock or interpreter.</summary>
public class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly KlaviyoRequest Request = new(
        HttpMethod.Get,
        "https://a.klaviyo.com",
        "/api/profiles"
    )
    {
        IsIdempotent = true,
    };

    private static Either<KlaviyoError, RawResponse> Failed(KlaviyoError error) => error;

    private static KlaviyoError.Api Api(int status, params (string, string)[] headers) =>
        new(
            new KlaviyoResponse(status, new ResponseHeaders(toSeq(headers)), ResponseBody.None),
            Seq<KlaviyoApiError>(),
            $"Klaviyo answered {status}"
        );

    public static TheoryData<KlaviyoError, bool> Errors =>
        new()
        {
            { new KlaviyoError.Transport("reset"), true },
            { new KlaviyoError.Timeout(TimeSpan.FromSeconds(1)), true },
            { Api(429), true },
            { Api(500), true },
            { Api(503), true },
            { Api(599), true },
            { Api(400), false },
            { Api(404), false },
            { Api(409), false },
            { new KlaviyoError.Cancelled(), false },
            { new KlaviyoError.Validation(Seq1("bad")), false },
            {
                new KlaviyoError.Decode(
                    "x",
                    200,
                    new ResponseHeaders(Seq<(string, string)>()),
                    "x"
                ),
                false
            },
            {
                new KlaviyoError.Decode(
                    "x",
                    502,
                    new ResponseHeaders(Seq<(string, string)>()),
                    "x"
                ),
                true
            },
        };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ShouldRetry_retries_transport_timeouts_429_and_5xx_only(
        KlaviyoError error,
        bool retry
    ) => Assert.Equal(retry, RetryPolicy.IsRetryable(error));

    [Fact]
    public void No_strategy_never_retries() =>
        Assert.Equal(
            new RetryDecision.GiveUp(GiveUpReason.NoStrategy),
            RetryPolicy.Decide(null, RetryOptions.Default, Request, Failed(Api(503)), 1, Now, 0.5)
        );

    [Fact]
    public void A_non_retryable_error_gives_up_even_with_retries_left() =>
        Assert.Equal(
            new RetryDecision.GiveUp(GiveUpReason.NotRetryable),
            RetryPolicy.Decide(
                Retry.Linear,
                RetryOptions.Default,
                Request,
                Failed(Api(404)),
                1,
                Now,
                0.5
            )
        );

    [Theory]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void Retries_while_sends_do_not_exceed_MaxRetries(int sends, bool retries)
    {
        var decision = RetryPolicy.Decide(
            Retry.Linear,
            new RetryOptions { MaxRetries = 3 },
            Request,
            Failed(Api(500)),
            sends,
            Now,
            0.5
        );

        Assert.Equal(retries, decision is RetryDecision.Wait);
        if (!retries)
            Assert.Equal(new RetryDecision.GiveUp(GiveUpReason.NoRetriesLeft), decision);
    }

    [Fact]
    public void Linear_waits_RetryIn_whatever_the_jitter() =>
        Assert.Equal(
            new RetryDecision.Wait(TimeSpan.FromSeconds(3)),
            RetryPolicy.Decide(
                Retry.Linear,
                new RetryOptions { RetryIn = TimeSpan.FromSeconds(3) },
                Request,
                Failed(Api(500)),
                2,
                Now,
                0.123
            )
        );

    [Fact]
    public void The_exponential_bound_grows_by_the_factor_and_stops_at_the_cap()
    {
        var options = new RetryOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(200),
            Factor = 2,
            MaxDelay = TimeSpan.FromSeconds(1),
        };

        Assert.Equal(
            new[] { 200, 400, 800, 1000, 1000 }.Select(ms => TimeSpan.FromMilliseconds(ms)),
            Enumerable.Range(1, 5).Select(n => RetryPolicy.ExponentialBound(options, n))
        );
    }

    [Fact]
    public void The_exponential_bound_survives_huge_retry_numbers_and_factors()
    {
        var options = new RetryOptions { Factor = 1e300, MaxDelay = TimeSpan.FromSeconds(30) };

        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.ExponentialBound(options, 10_000));
    }

    [Theory]
    [InlineData(-1.0, 0)]
    [InlineData(0.25, 50)]
    [InlineData(2.0, 200)]
    [InlineData(double.NaN, 0)]
    public void Exponential_jitter_is_clamped_to_between_zero_and_the_bound(
        double jitter,
        int ms
    ) =>
        Assert.Equal(
            TimeSpan.FromMilliseconds(ms),
            Retry.Exponential.WaitFor(new RetryContext(Request, RetryOptions.Default, 1, jitter))
        );

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void Retry_After_on_a_429_or_503_raises_the_wait(int status) =>
        Assert.Equal(
            new RetryDecision.Wait(TimeSpan.FromSeconds(8)),
            RetryPolicy.Decide(
                Retry.Exponential,
                RetryOptions.Default,
                Request,
                Failed(Api(status, ("Retry-After", "8"))),
                1,
                Now,
                1.0
            )
        );

    [Fact]
    public void Retry_After_past_MaxRetryAfter_gives_up() =>
        Assert.Equal(
            new RetryDecision.GiveUp(GiveUpReason.RetryAfterTooLong),
            RetryPolicy.Decide(
                Retry.Linear,
                new RetryOptions { MaxRetryAfter = TimeSpan.FromSeconds(10) },
                Request,
                Failed(Api(429, ("retry-after", "11"))),
                1,
                Now,
                0
            )
        );

    [Fact]
    public void Retry_After_as_an_HTTP_date_is_measured_from_now() =>
        Assert.Equal(
            Some(TimeSpan.FromSeconds(90)),
            RetryPolicy.RetryAfterOf(
                Api(503, ("Retry-After", "Wed, 01 May 2024 12:01:30 GMT")),
                Now
            )
        );

    [Fact]
    public void Retry_After_is_ignored_on_other_statuses() =>
        Assert.True(RetryPolicy.RetryAfterOf(Api(500, ("Retry-After", "5")), Now).IsNone);
}
