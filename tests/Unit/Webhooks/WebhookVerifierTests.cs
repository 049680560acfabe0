using System.Text;
using Microsoft.Extensions.Time.Testing;
using Xunit;

// Not Klaviyo.Tests.Webhooks: that namespace would hide the generated Webhooks class from the other tests.
namespace Klaviyo.Tests.IncomingWebhooks;

/// <summary>
/// The verifier against deliveries signed independently (<see cref="SignedDelivery"/>, with <c>HMACSHA256</c>
/// directly), with the time given or driven by a <see cref="FakeTimeProvider"/>.
/// </summary>
public class WebhookVerifierTests
{
    private static readonly DateTimeOffset SentAt = SignedDelivery.SentAt;
    private static readonly WebhookVerifier Verifier = new(Secret.Of(SignedDelivery.Secret));

    private static WebhookVerification Verify(SignedDelivery d, DateTimeOffset? now = null) =>
        Verifier.Verify(d.Body, d.Lookup, now ?? SentAt);

    [Fact]
    public void Accepts_a_delivery_signed_over_the_body_then_the_timestamp()
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());

        var result = Verify(delivery, SentAt.AddSeconds(2));

        Assert.Equal(new WebhookVerification.Valid(SentAt, 0), result);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Matches_a_vector_computed_outside_this_library()
    {
        // Body, secret, timestamp and signature from an independent open-source verifier (Rust), built on Klaviyo's
        // documented construction and cross-checked there with Python's hmac and openssl; re-checked with Python's
        // hmac for this test. The timestamp is the one in Klaviyo's own example request.
        const string body =
            """{"data":[{"external_id":"4L3cwQae2TX","topic":"event:klaviyo.sent_sms"}],"meta":{"klaviyo_webhook_id":"a8b890458b4bbfaa26d961471b83c101d6de23bd826e7e5173a15310985ec3cb"}}""";
        var headers = new Dictionary<string, string>
        {
            ["Klaviyo-Signature"] =
                "5aa0e720d80b3a04ca04baf3c65cdfe31da57504af69fee8da29c35d45f0596b",
            ["Klaviyo-Timestamp"] = "Thu, 04 Jan 2024 18:05:25 GMT",
        };
        var verifier = new WebhookVerifier(Secret.Of("klaviyo-test-secret"));

        var result = verifier.Verify(
            Encoding.UTF8.GetBytes(body),
            SignedDelivery.LookupIn(headers),
            new DateTimeOffset(2024, 1, 4, 18, 5, 25, TimeSpan.Zero)
        );

        Assert.Equal(
            new WebhookVerification.Valid(
                new DateTimeOffset(2024, 1, 4, 18, 5, 25, TimeSpan.Zero),
                0
            ),
            result
        );
    }

    [Fact]
    public void Reads_the_signature_in_Klaviyos_docs_example_but_cannot_match_it_without_its_unpublished_body_and_secret()
    {
        // Klaviyo's example request shows this signature and timestamp, with neither the exact body bytes nor the
        // secret: the best a test can do is show the example is well formed (not Malformed) and checked.
        var headers = new Dictionary<string, string>
        {
            ["Klaviyo-Signature"] =
                "e6c00e313eaea50ca3b89a7de5a782a2014f96fb8315c065898c669d831912d1",
            ["Klaviyo-Timestamp"] = "Thu, 04 Jan 2024 18:05:25 GMT",
        };

        var result = Verifier.Verify(
            Encoding.UTF8.GetBytes(SignedDelivery.Json()),
            SignedDelivery.LookupIn(headers),
            new DateTimeOffset(2024, 1, 4, 18, 5, 25, TimeSpan.Zero)
        );

        Assert.IsType<WebhookVerification.BadSignature>(result);
    }

    public static TheoryData<string, DateTimeOffset> TimestampSpellings =>
        new()
        {
            { "Wed, 15 Jul 2026 10:00:00 GMT", SentAt },
            { "2026-07-15T10:00:00+00:00", SentAt },
            { "2026-07-15T10:00:00.101159+00:00", SentAt.AddTicks(1_011_590) },
            { "2026-07-15T12:00:00+02:00", SentAt },
            { "2026-07-15T10:00:00Z", SentAt },
            { "2026-07-15T10:00:00", SentAt },
            { "1784109600", SentAt },
        };

    [Theory]
    [MemberData(nameof(TimestampSpellings))]
    public void Reads_http_dates_iso_8601_and_unix_seconds(string timestamp, DateTimeOffset sentAt)
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json(), timestamp);

        var result = Verify(delivery);

        Assert.Equal(new WebhookVerification.Valid(sentAt, 0), result);
    }

    [Fact]
    public void Accepts_uppercase_hex_and_whitespace_around_header_values()
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());
        var headers = new Dictionary<string, string>
        {
            ["Klaviyo-Signature"] = "  " + delivery.Signature.ToUpperInvariant() + " ",
            ["Klaviyo-Timestamp"] = " " + delivery.Timestamp + "\t",
        };

        Assert.True(
            Verifier.Verify(delivery.Body, SignedDelivery.LookupIn(headers), SentAt).IsValid
        );
    }

    public static TheoryData<string> TamperedBodies =>
        new()
        {
            // One character changed.
            SignedDelivery.Json().Replace("sent_sms", "sent_smz"),
            // Only whitespace added: what a JSON re-serialisation or pretty-printer does.
            SignedDelivery.Json() + "\n",
            SignedDelivery.Json().Replace("\"data\":", "\"data\": "),
            // Truncated.
            SignedDelivery.Json()[..^1],
            "",
        };

    [Theory]
    [MemberData(nameof(TamperedBodies))]
    public void Rejects_a_changed_body_as_a_bad_signature(string tampered)
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());

        var result = Verifier.Verify(Encoding.UTF8.GetBytes(tampered), delivery.Lookup, SentAt);

        Assert.Equal(new WebhookVerification.BadSignature(1), result);
    }

    [Theory]
    [InlineData("Wed, 15 Jul 2026 10:00:01 GMT")]
    // The same instant spelled differently: the signature covers the bytes, not the instant.
    [InlineData("2026-07-15T10:00:00+00:00")]
    [InlineData("1784109600")]
    public void Rejects_a_changed_timestamp_as_a_bad_signature(string timestamp)
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());

        var result = Verify(delivery with { Timestamp = timestamp });

        Assert.IsType<WebhookVerification.BadSignature>(result);
    }

    [Fact]
    public void Rejects_a_delivery_signed_with_another_secret()
    {
        var delivery = SignedDelivery.Sign(
            SignedDelivery.Json(),
            secret: "another-secret-0123456789"
        );

        Assert.Equal(new WebhookVerification.BadSignature(1), Verify(delivery));
    }

    [Fact]
    public void Rejects_a_signature_over_the_timestamp_then_the_body()
    {
        // The order matters: Klaviyo appends the timestamp to the body.
        var body = SignedDelivery.Json();
        var timestamp = SignedDelivery.HttpDate(SentAt);
        var reversed = SignedDelivery.Sign(timestamp + body, "");
        var delivery = new SignedDelivery(
            Encoding.UTF8.GetBytes(body),
            timestamp,
            reversed.Signature
        );

        Assert.IsType<WebhookVerification.BadSignature>(Verify(delivery));
    }

    [Fact]
    public void Accepts_a_signed_empty_body()
    {
        var delivery = SignedDelivery.Sign("");

        Assert.Equal(new WebhookVerification.Valid(SentAt, 0), Verify(delivery));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(299)]
    [InlineData(300)]
    [InlineData(-1)]
    [InlineData(-300)]
    public void Accepts_timestamps_up_to_the_tolerance_either_side_of_now(int seconds)
    {
        var clock = new FakeTimeProvider(SentAt.AddSeconds(seconds));
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());

        var result = Verifier.Verify(delivery.Body, delivery.Lookup, clock);

        Assert.Equal(new WebhookVerification.Valid(SentAt, 0), result);
    }

    [Fact]
    public void Rejects_a_delivery_one_second_older_than_the_tolerance_as_stale()
    {
        var clock = new FakeTimeProvider(SentAt + WebhookVerifier.DefaultTolerance);
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());
        Assert.True(Verifier.Verify(delivery.Body, delivery.Lookup, clock).IsValid);

        clock.Advance(TimeSpan.FromSeconds(1));
        var result = Verifier.Verify(delivery.Body, delivery.Lookup, clock);

        var stale = Assert.IsType<WebhookVerification.Stale>(result);
        Assert.Equal(SentAt, stale.SentAt);
        Assert.Equal(TimeSpan.FromSeconds(301), stale.Age);
        Assert.Equal(TimeSpan.FromMinutes(5), stale.Tolerance);
        Assert.Equal(WebhookTimestampSource.Header, stale.Source);
        Assert.Contains("5 min 1 s ago", stale.Message);
        Assert.Contains("beyond the 5 min tolerance", stale.Message);
    }

    [Fact]
    public void Rejects_a_delivery_dated_further_in_the_future_than_the_tolerance_as_stale()
    {
        var now = SentAt - WebhookVerifier.DefaultTolerance - TimeSpan.FromSeconds(1);
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());

        var stale = Assert.IsType<WebhookVerification.Stale>(Verify(delivery, now));

        Assert.Equal(TimeSpan.FromSeconds(-301), stale.Age);
        Assert.Contains("5 min 1 s in the future", stale.Message);
    }

    [Fact]
    public void A_tolerance_of_its_own_moves_both_edges()
    {
        var verifier = new WebhookVerifier(Secret.Of(SignedDelivery.Secret))
        {
            Tolerance = TimeSpan.FromSeconds(30),
        };
        var d = SignedDelivery.Sign(SignedDelivery.Json());

        Assert.True(verifier.Verify(d.Body, d.Lookup, SentAt.AddSeconds(30)).IsValid);
        Assert.True(verifier.Verify(d.Body, d.Lookup, SentAt.AddSeconds(-30)).IsValid);
        Assert.IsType<WebhookVerification.Stale>(
            verifier.Verify(d.Body, d.Lookup, SentAt.AddSeconds(31))
        );
        Assert.IsType<WebhookVerification.Stale>(
            verifier.Verify(d.Body, d.Lookup, SentAt.AddSeconds(-31))
        );
    }

    [Fact]
    public void An_infinite_tolerance_turns_the_freshness_check_off()
    {
        var verifier = new WebhookVerifier(Secret.Of(SignedDelivery.Secret))
        {
            Tolerance = Timeout.InfiniteTimeSpan,
        };
        var d = SignedDelivery.Sign(SignedDelivery.Json());

        Assert.True(verifier.Verify(d.Body, d.Lookup, SentAt.AddYears(3)).IsValid);
    }

    [Fact]
    public void A_negative_tolerance_is_refused_when_configured()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new WebhookVerifier(Secret.Of(SignedDelivery.Secret))
            {
                Tolerance = TimeSpan.FromSeconds(-1),
            }
        );
    }

    [Fact]
    public void Checks_freshness_only_after_the_signature()
    {
        // A forged old delivery is a bad signature, not stale: Stale always means authentic but old.
        var forged = SignedDelivery.Sign(SignedDelivery.Json(), secret: "not-the-secret-at-all");

        Assert.IsType<WebhookVerification.BadSignature>(Verify(forged, SentAt.AddDays(1)));
    }

    [Fact]
    public void A_header_clock_hours_off_reads_as_stale_with_a_hint_and_the_body_timestamp_can_be_checked_instead()
    {
        // Reported for real deliveries: Klaviyo-Timestamp in local time labelled GMT, hours away from meta.timestamp.
        var delivery = SignedDelivery.Sign(
            SignedDelivery.Json(),
            SignedDelivery.HttpDate(SentAt.AddHours(5))
        );

        var byHeader = Assert.IsType<WebhookVerification.Stale>(Verify(delivery));
        var byBody = new WebhookVerifier(Secret.Of(SignedDelivery.Secret))
        {
            TimestampSource = WebhookTimestampSource.Body,
        }.Verify(delivery.Body, delivery.Lookup, SentAt);

        Assert.Contains("WebhookTimestampSource.Body", byHeader.Message);
        Assert.Equal(new WebhookVerification.Valid(SentAt, 0), byBody);
    }

    [Fact]
    public void Body_timestamps_are_checked_for_freshness_too()
    {
        var verifier = new WebhookVerifier(Secret.Of(SignedDelivery.Secret))
        {
            TimestampSource = WebhookTimestampSource.Body,
        };
        var d = SignedDelivery.Sign(SignedDelivery.Json());

        var stale = Assert.IsType<WebhookVerification.Stale>(
            verifier.Verify(d.Body, d.Lookup, SentAt.AddMinutes(6))
        );
        Assert.Equal(WebhookTimestampSource.Body, stale.Source);
        Assert.Contains("meta.timestamp", stale.Message);
    }

    [Theory]
    [InlineData("""{"data":[]}""")]
    [InlineData("""{"meta":{"timestamp":17}}""")]
    [InlineData("not json")]
    public void Body_timestamps_must_be_there_when_they_are_the_source(string body)
    {
        var verifier = new WebhookVerifier(Secret.Of(SignedDelivery.Secret))
        {
            TimestampSource = WebhookTimestampSource.Body,
        };
        var d = SignedDelivery.Sign(body);

        var malformed = Assert.IsType<WebhookVerification.Malformed>(
            verifier.Verify(d.Body, d.Lookup, SentAt)
        );
        Assert.Contains("meta.timestamp", malformed.Message);
    }

    [Fact]
    public void Accepts_any_of_several_secrets_while_rotating_and_says_which_one_matched()
    {
        var verifier = new WebhookVerifier(
            Secret.Of("new-secret-0123456789"),
            Secret.Of("old-secret-0123456789")
        );
        var byNew = SignedDelivery.Sign(SignedDelivery.Json(), secret: "new-secret-0123456789");
        var byOld = SignedDelivery.Sign(SignedDelivery.Json(), secret: "old-secret-0123456789");
        var byNeither = SignedDelivery.Sign(
            SignedDelivery.Json(),
            secret: "gone-secret-0123456789"
        );

        Assert.Equal(2, verifier.SecretCount);
        Assert.Equal(
            new WebhookVerification.Valid(SentAt, 0),
            verifier.Verify(byNew.Body, byNew.Lookup, SentAt)
        );
        Assert.Equal(
            new WebhookVerification.Valid(SentAt, 1),
            verifier.Verify(byOld.Body, byOld.Lookup, SentAt)
        );
        var bad = verifier.Verify(byNeither.Body, byNeither.Lookup, SentAt);
        Assert.Equal(new WebhookVerification.BadSignature(2), bad);
        Assert.Contains("any of the 2 configured secrets", bad.Message);
    }

    [Fact]
    public void Needs_at_least_one_non_empty_secret()
    {
        Assert.Throws<ArgumentException>(() => new WebhookVerifier());
        Assert.Throws<ArgumentException>(() => new WebhookVerifier(Secret.Of("")));
        Assert.Throws<ArgumentException>(() => new WebhookVerifier(Secret.Of("ok"), null!));
    }

    public static TheoryData<string?, string?, string> MalformedHeaders
    {
        get
        {
            var good = SignedDelivery.Sign(SignedDelivery.Json());
            return new()
            {
                { null, good.Timestamp, "Klaviyo-Signature header is missing" },
                { "", good.Timestamp, "Klaviyo-Signature header is missing" },
                { "   ", good.Timestamp, "Klaviyo-Signature header is missing" },
                { good.Signature, null, "Klaviyo-Timestamp header is missing" },
                { good.Signature, "", "Klaviyo-Timestamp header is missing" },
                { good.Signature[..63], good.Timestamp, "64 hex digits" },
                { good.Signature + "0", good.Timestamp, "64 hex digits" },
                { "sha256=" + good.Signature, good.Timestamp, "64 hex digits" },
                { good.Signature[..62] + "zz", good.Timestamp, "64 hex digits" },
                // A repeated header, as ASP.NET Core joins it: Klaviyo sends one signature.
                {
                    good.Signature + "," + good.Signature,
                    good.Timestamp,
                    "must be one HMAC-SHA256"
                },
                {
                    Convert.ToBase64String(Convert.FromHexString(good.Signature)),
                    good.Timestamp,
                    "64 hex digits"
                },
            };
        }
    }

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void Reports_missing_and_misshapen_signature_headers_as_malformed(
        string? signature,
        string? timestamp,
        string says
    )
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());
        var headers = new Dictionary<string, string?>
        {
            ["Klaviyo-Signature"] = signature,
            ["Klaviyo-Timestamp"] = timestamp,
        };

        var result = Verifier.Verify(
            delivery.Body,
            name => headers.GetValueOrDefault(name),
            SentAt
        );

        var malformed = Assert.IsType<WebhookVerification.Malformed>(result);
        Assert.Contains(says, malformed.Message);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-13-45T99:00:00Z")]
    [InlineData("Wed, 15 Jul 2026 10:00:00 CEST")]
    [InlineData("99999999999999999999")]
    [InlineData("-1784109600")]
    public void Reports_a_signed_timestamp_that_does_not_parse_as_malformed(string timestamp)
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json(), timestamp);

        var malformed = Assert.IsType<WebhookVerification.Malformed>(Verify(delivery));

        Assert.Contains("Klaviyo-Timestamp is not a timestamp", malformed.Message);
    }

    [Fact]
    public void Never_echoes_huge_or_unprintable_header_values()
    {
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());
        var huge = new string('a', 1 << 20);
        var cases = new[]
        {
            (Signature: huge, Timestamp: delivery.Timestamp),
            (Signature: delivery.Signature, Timestamp: huge),
            (Signature: "\u001b[31mred\r\nX-Injected: 1", Timestamp: delivery.Timestamp),
            (Signature: delivery.Signature, Timestamp: "\u001b[31m\r\nX-Injected: 1"),
        };

        foreach (var (signature, timestamp) in cases)
        {
            var headers = new Dictionary<string, string>
            {
                ["Klaviyo-Signature"] = signature,
                ["Klaviyo-Timestamp"] = timestamp,
            };
            var result = Verifier.Verify(delivery.Body, SignedDelivery.LookupIn(headers), SentAt);

            Assert.IsType<WebhookVerification.Malformed>(result);
            Assert.True(result.Message.Length < 400, result.Message);
            Assert.DoesNotContain("\u001b", result.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("\n", result.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("aaaaaaaaaa", result.Message);
        }
    }

    [Fact]
    public void Never_throws_on_random_bodies_and_headers()
    {
        var random = new Random(1414);
        var delivery = SignedDelivery.Sign(SignedDelivery.Json());
        string Junk(int max)
        {
            var chars = new char[random.Next(max)];
            for (var i = 0; i < chars.Length; i++)
                chars[i] = (char)random.Next(0, 0x3000);
            return new string(chars);
        }
        var signatures = new Func<string?>[]
        {
            () => null,
            () => Junk(100),
            () => Convert.ToHexString(RandomBytes(random, 32)),
            () => delivery.Signature,
        };
        var timestamps = new Func<string?>[]
        {
            () => null,
            () => Junk(80),
            () => delivery.Timestamp,
            () => random.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var sources = new[] { WebhookTimestampSource.Header, WebhookTimestampSource.Body };
        var kinds = new HashSet<Type>();

        for (var i = 0; i < 3000; i++)
        {
            var body =
                random.Next(4) == 0 ? delivery.Body : RandomBytes(random, random.Next(0, 2000));
            var headers = new Dictionary<string, string?>
            {
                ["Klaviyo-Signature"] = signatures[random.Next(signatures.Length)](),
                ["Klaviyo-Timestamp"] = timestamps[random.Next(timestamps.Length)](),
            };
            var verifier = new WebhookVerifier(Secret.Of(SignedDelivery.Secret))
            {
                TimestampSource = sources[random.Next(2)],
            };
            var now =
                random.Next(2) == 0
                    ? SentAt
                    : DateTimeOffset.FromUnixTimeSeconds(random.NextInt64(0, 253_402_300_799));

            var result = verifier.Verify(body, name => headers.GetValueOrDefault(name), now);

            kinds.Add(result.GetType());
            Assert.False(string.IsNullOrWhiteSpace(result.Message));
        }
        // The random walk reached every kind of outcome, so it exercised every path.
        Assert.Equal(4, kinds.Count);
    }

    [Fact]
    public void No_result_message_or_ToString_holds_the_secret_or_the_expected_signature()
    {
        var secret = "whsec_LEAKCHECK_" + Guid.NewGuid().ToString("N");
        var verifier = new WebhookVerifier(Secret.Of(secret), Secret.Of(secret + "-old"))
        {
            TimestampSource = WebhookTimestampSource.Header,
        };
        var good = SignedDelivery.Sign(SignedDelivery.Json(), secret: secret);
        var tampered = SignedDelivery.Json().Replace("hi", "hey");
        // The signature that would make the tampered body pass: printing it would let anyone forge deliveries.
        var forgery = SignedDelivery.Sign(tampered, good.Timestamp, secret).Signature;
        var results = new WebhookVerification[]
        {
            verifier.Verify(good.Body, good.Lookup, SentAt),
            verifier.Verify(Encoding.UTF8.GetBytes(tampered), good.Lookup, SentAt),
            verifier.Verify(good.Body, good.Lookup, SentAt.AddHours(1)),
            verifier.Verify(good.Body, _ => null, SentAt),
        };

        Assert.Equal(
            [
                typeof(WebhookVerification.Valid),
                typeof(WebhookVerification.BadSignature),
                typeof(WebhookVerification.Stale),
                typeof(WebhookVerification.Malformed),
            ],
            results.Select(r => r.GetType())
        );
        var texts = results
            .SelectMany(r => new[] { r.Message, r.ToString() })
            .Append(verifier.ToString())
            .ToList();
        foreach (var text in texts)
        {
            Assert.DoesNotContain("LEAKCHECK", text);
            Assert.DoesNotContain(forgery, text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(
            "WebhookVerifier { Secrets = 2, Tolerance = 5 min, TimestampSource = Header }",
            verifier.ToString()
        );
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
