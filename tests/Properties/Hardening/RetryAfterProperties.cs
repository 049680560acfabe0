using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;

namespace Klaviyo.Tests;

/// <summary>
/// Issue 11 #1: whatever a server puts in <c>Retry-After</c> or <c>RateLimit-Reset</c>, reading it never throws and
/// gives nothing or a wait between zero and <see cref="RetryAfter.Longest"/>, at any clock reading.
/// </summary>
public class RetryAfterProperties
{
    private static readonly string[] Pieces =
    [
        "0",
        "1",
        "9",
        "99999999999",
        "1000000000000",
        new string('9', 400),
        ".",
        "5",
        "-",
        "+",
        "e",
        "E",
        "e+400",
        "NaN",
        "Infinity",
        "∞",
        " ",
        "\t",
        ",",
        ";",
        "\"",
        "٣",
        "\ud800",
        "GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Mon, 01 Jan 0001 00:00:00 GMT",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "Sat, 01 Jan 10000 00:00:00 GMT",
    ];

    /// <summary>Header values: arbitrary strings, and strings glued from number- and date-like pieces.</summary>
    private static Gen<string> Values() =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
            Gen.Elements(Pieces).ListOf().Select(l => string.Concat(l)),
            Gen.Elements(Pieces)
        );

    private static Gen<DateTimeOffset> Instants() =>
        Gen.OneOf(
            Gen.Elements(
                DateTimeOffset.MinValue,
                DateTimeOffset.MaxValue,
                DateTimeOffset.UnixEpoch,
                new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero)
            ),
            ArbMap
                .Default.GeneratorFor<long>()
                .Select(t => new DateTimeOffset(
                    Math.Abs(t % DateTimeOffset.MaxValue.UtcTicks),
                    TimeSpan.Zero
                ))
        );

    private static bool Bounded(TimeSpan t) => t >= TimeSpan.Zero && t <= RetryAfter.Longest;

    private static bool Bounded(TimeSpan? t) => t is not { } v || Bounded(v);

    [Property(MaxTest = 2_000)]
    public Property Any_header_value_reads_as_nothing_or_a_bounded_wait_and_never_throws() =>
        Prop.ForAll(
            Values().ToArbitrary(),
            Instants().ToArbitrary(),
            (value, now) =>
            {
                var response = new KlaviyoResponse(
                    429,
                    new ResponseHeaders(
                        Prelude.Seq(
                            ("Retry-After", value),
                            ("RateLimit-Reset", value),
                            ("RateLimit-Limit", value),
                            ("RateLimit-Remaining", value)
                        )
                    ),
                    ResponseBody.None
                );
                var parsed = RetryAfter.Parse(value, now);
                return (
                    parsed.ForAll(Bounded)
                    && Bounded(response.RetryAfterSeconds)
                    && Bounded(response.RetryAfterAt(now))
                    && Bounded(response.RateLimitReset)
                    && response.RateLimitLimit is null or >= 0
                    && response.RateLimitRemaining is null or >= 0
                ).Label($"'{value}' at {now:O}: {parsed}");
            }
        );
}
