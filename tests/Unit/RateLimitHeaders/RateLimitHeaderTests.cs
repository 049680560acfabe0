using LanguageExt;
using Xunit;

namespace Klaviyo.Tests;

public class RateLimitHeaderTests
{
    private static KlaviyoResponse With(params (string Name, string Value)[] headers) =>
        new(200, new ResponseHeaders(Prelude.toSeq(headers)), ResponseBody.None);

    private static readonly DateTimeOffset Now = new(2015, 10, 21, 7, 27, 30, TimeSpan.Zero);

    [Fact]
    public void Reads_the_steady_window_headers_Klaviyo_sends_on_a_success()
    {
        var r = With(
            ("RateLimit-Limit", "150"),
            ("RateLimit-Remaining", "149"),
            ("RateLimit-Reset", "44")
        );

        Assert.Equal(150, r.RateLimitLimit);
        Assert.Equal(149, r.RateLimitRemaining);
        Assert.Equal(TimeSpan.FromSeconds(44), r.RateLimitReset);
    }

    [Fact]
    public void All_values_are_null_when_the_headers_are_absent()
    {
        var r = With(("content-type", "application/vnd.api+json"));

        Assert.Null(r.RateLimitLimit);
        Assert.Null(r.RateLimitRemaining);
        Assert.Null(r.RateLimitReset);
        Assert.Null(r.RetryAfterSeconds);
        Assert.Null(r.RetryAfterAt(Now));
    }

    [Fact]
    public void Header_names_match_in_any_case()
    {
        var r = With(
            ("ratelimit-limit", "10"),
            ("RATELIMIT-REMAINING", "3"),
            ("rAtElImIt-rEsEt", "1"),
            ("retry-after", "2")
        );

        Assert.Equal(10, r.RateLimitLimit);
        Assert.Equal(3, r.RateLimitRemaining);
        Assert.Equal(TimeSpan.FromSeconds(1), r.RateLimitReset);
        Assert.Equal(TimeSpan.FromSeconds(2), r.RetryAfterSeconds);
    }

    [Theory]
    [InlineData("10, 10;w=1, 150;w=60", 10)]
    [InlineData("150;w=60", 150)]
    [InlineData(" 75 ,700;w=60", 75)]
    [InlineData("\"3\"", 3)]
    [InlineData("0", 0)]
    public void Only_the_first_number_of_a_list_valued_header_counts(string value, int expected)
    {
        var r = With(("RateLimit-Limit", value), ("RateLimit-Remaining", value));

        Assert.Equal(expected, r.RateLimitLimit);
        Assert.Equal(expected, r.RateLimitRemaining);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ten")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    [InlineData("limit=10")]
    [InlineData(", 10")]
    public void A_malformed_count_is_null(string value)
    {
        var r = With(("RateLimit-Limit", value), ("RateLimit-Remaining", value));

        Assert.Null(r.RateLimitLimit);
        Assert.Null(r.RateLimitRemaining);
    }

    [Theory]
    [InlineData("30", 30.0)]
    [InlineData("1.5", 1.5)]
    [InlineData("59;w=60", 59.0)]
    public void The_reset_is_read_as_seconds(string value, double seconds)
    {
        Assert.Equal(
            TimeSpan.FromSeconds(seconds),
            With(("RateLimit-Reset", value)).RateLimitReset
        );
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData("1e400")]
    public void A_malformed_reset_is_null(string value)
    {
        Assert.Null(With(("RateLimit-Reset", value)).RateLimitReset);
    }

    [Fact]
    public void The_first_header_wins_when_one_is_repeated()
    {
        var r = With(("RateLimit-Remaining", "7"), ("RateLimit-Remaining", "9"));

        Assert.Equal(7, r.RateLimitRemaining);
    }

    [Fact]
    public void Retry_after_in_seconds_is_read_both_ways()
    {
        var r = With(("Retry-After", "3"));

        Assert.Equal(TimeSpan.FromSeconds(3), r.RetryAfterSeconds);
        Assert.Equal(TimeSpan.FromSeconds(3), r.RetryAfterAt(Now));
    }

    [Fact]
    public void Retry_after_as_an_HTTP_date_needs_the_clock_and_is_not_a_seconds_value()
    {
        var r = With(("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"));

        Assert.Null(r.RetryAfterSeconds);
        Assert.Equal(TimeSpan.FromSeconds(30), r.RetryAfterAt(Now));
        Assert.Equal(TimeSpan.Zero, r.RetryAfterAt(Now.AddMinutes(5))); // already passed
    }

    [Theory]
    [InlineData("later")]
    [InlineData("-3")]
    [InlineData("")]
    [InlineData("21 Oct 2015")]
    public void A_malformed_retry_after_is_null(string value)
    {
        var r = With(("Retry-After", value));

        Assert.Null(r.RetryAfterSeconds);
        Assert.Null(r.RetryAfterAt(Now));
    }

    [Fact]
    public void A_429_carries_retry_after_and_no_rate_limit_headers()
    {
        var r = KlaviyoSamples.Response(
            429,
            """{"errors":[{"id":"x","status":429,"code":"throttled","title":"Request was throttled.","detail":"Request was throttled. Expected available in 2 seconds."}]}""",
            headers: ("Retry-After", "2")
        );

        Assert.Equal(429, r.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), r.RetryAfterSeconds);
        Assert.Null(r.RateLimitRemaining);
    }
}
