using LanguageExt;
using Xunit;

namespace Klaviyo.Tests.Hardening;

/// <summary>
/// Issue 11 #1, parse side: a <c>Retry-After</c> (or <c>RateLimit-Reset</c>) header of any shape gives a bounded
/// wait or nothing, and never an exception.
/// </summary>
public class RetryAfterBoundsTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly string FourHundredDigits = new('9', 400);

    private static KlaviyoResponse With(params (string Name, string Value)[] headers) =>
        new(429, new ResponseHeaders(Prelude.toSeq(headers)), ResponseBody.None);

    public static TheoryData<string> Huge =>
        new()
        {
            "1000000000000.5",
            "922337203685.4775807",
            "922337203686",
            "9223372036854775807",
            "9223372036854775808",
            "99999999999999999999999999999999999",
            FourHundredDigits,
            FourHundredDigits + ".5",
            FourHundredDigits + "." + FourHundredDigits,
            "000000000000000000000000000001000000000000.5",
        };

    [Theory]
    [MemberData(nameof(Huge))]
    public void A_huge_delay_in_seconds_is_read_as_the_longest_wait(string value)
    {
        Assert.Equal(Prelude.Some(RetryAfter.Longest), RetryAfter.Parse(value, Now));
        Assert.Equal(RetryAfter.Longest, With(("Retry-After", value)).RetryAfterSeconds);
        Assert.Equal(RetryAfter.Longest, With(("Retry-After", value)).RetryAfterAt(Now));
        Assert.Equal(RetryAfter.Longest, With(("RateLimit-Reset", value)).RateLimitReset);
    }

    [Fact]
    public void The_longest_wait_is_a_century_and_safe_to_add_to_any_date_this_side_of_7000()
    {
        Assert.Equal(TimeSpan.FromDays(36_525), RetryAfter.Longest);
        Assert.True(
            new DateTimeOffset(7000, 1, 1, 0, 0, 0, TimeSpan.Zero) + RetryAfter.Longest > Now
        );
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("3", 3.0)]
    [InlineData(" 3 ", 3.0)]
    [InlineData("1.5", 1.5)]
    [InlineData("0.0000001", 0.0000001)]
    [InlineData("0.00000001", 0.0)]
    [InlineData("120.", 120.0)]
    [InlineData(".5", 0.5)]
    [InlineData("007", 7.0)]
    public void An_ordinary_delay_in_seconds_is_read_exactly(string value, double seconds)
    {
        var expected = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        Assert.Equal(Prelude.Some(expected), RetryAfter.Parse(value, Now));
        Assert.Equal(expected, With(("Retry-After", value)).RetryAfterSeconds);
    }

    [Fact]
    public void A_long_fraction_is_cut_at_tick_precision_not_refused()
    {
        var value = "2." + FourHundredDigits;
        Assert.Equal(
            Prelude.Some(TimeSpan.FromSeconds(2) + TimeSpan.FromTicks(9_999_999)),
            RetryAfter.Parse(value, Now)
        );
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("-0.5")]
    [InlineData("-1000000000000.5")]
    [InlineData("+5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("∞")]
    [InlineData("1e3")]
    [InlineData("1E+400")]
    [InlineData("1e-400")]
    [InlineData("0x10")]
    [InlineData("1,5")]
    [InlineData("1 5")]
    [InlineData("1..5")]
    [InlineData(".")]
    [InlineData("٣")]
    [InlineData("３")]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("\u0000")]
    [InlineData("Sat, 01 Jan 10000 00:00:00 GMT")]
    [InlineData("Mon, 32 Jan 2024 00:00:00 GMT")]
    public void Nonsense_is_no_wait_at_all(string value)
    {
        Assert.Equal(Option<TimeSpan>.None, RetryAfter.Parse(value, Now));
        Assert.Null(With(("Retry-After", value)).RetryAfterSeconds);
        Assert.Null(With(("Retry-After", value)).RetryAfterAt(Now));
        // RateLimit-Reset is list-valued: "1,5" is the list (1, 5), whose first item is one second.
        if (value.IndexOfAny([',', ';']) < 0)
            Assert.Null(With(("RateLimit-Reset", value)).RateLimitReset);
    }

    [Fact]
    public void A_date_at_the_end_of_time_is_the_longest_wait_and_one_at_its_start_is_none()
    {
        const string last = "Fri, 31 Dec 9999 23:59:59 GMT";
        const string first = "Mon, 01 Jan 0001 00:00:00 GMT";

        Assert.Equal(Prelude.Some(RetryAfter.Longest), RetryAfter.Parse(last, Now));
        Assert.Equal(
            Prelude.Some(RetryAfter.Longest),
            RetryAfter.Parse(last, DateTimeOffset.MinValue)
        );
        Assert.Equal(Prelude.Some(TimeSpan.Zero), RetryAfter.Parse(last, DateTimeOffset.MaxValue));
        Assert.Equal(Prelude.Some(TimeSpan.Zero), RetryAfter.Parse(first, Now));
        Assert.Equal(Prelude.Some(TimeSpan.Zero), RetryAfter.Parse(first, DateTimeOffset.MinValue));
        Assert.Equal(
            RetryAfter.Longest,
            With(("Retry-After", last)).RetryAfterAt(DateTimeOffset.MinValue)
        );
    }

    [Fact]
    public void Delay_seconds_do_not_depend_on_the_clock_even_at_its_ends()
    {
        Assert.Equal(
            Prelude.Some(RetryAfter.Longest),
            RetryAfter.Parse("1000000000000.5", DateTimeOffset.MaxValue)
        );
        Assert.Equal(
            Prelude.Some(TimeSpan.FromSeconds(3)),
            RetryAfter.Parse("3", DateTimeOffset.MinValue)
        );
    }
}
