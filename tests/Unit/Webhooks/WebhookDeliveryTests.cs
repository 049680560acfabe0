using System.Text;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static LanguageExt.Prelude;

// Not Klaviyo.Tests.Webhooks: that namespace would hide the generated Webhooks class from the other tests.
namespace Klaviyo.Tests.IncomingWebhooks;

/// <summary>Decoding a delivery body into <see cref="WebhookDelivery"/>: lenient inside, strict about the envelope.</summary>
public class WebhookDeliveryTests
{
    private static Either<KlaviyoError, WebhookDelivery> Decode(
        string json,
        string? webhookId = null
    ) => WebhookDelivery.Decode(Encoding.UTF8.GetBytes(json), webhookId);

    private static KlaviyoError.Decode Left(Either<KlaviyoError, WebhookDelivery> result) =>
        Assert.IsType<KlaviyoError.Decode>(Err(result));

    [Fact]
    public void Decodes_the_documented_shape_into_events_and_meta()
    {
        var delivery = Ok(Decode(SignedDelivery.Json()));

        Assert.Equal(
            new WebhookDeliveryMeta(
                "AbC123",
                "01JWEBHOOK000000000000TEST",
                SignedDelivery.SentAt,
                "2024-06-28"
            ),
            delivery.Meta
        );
        var ev = Assert.Single(delivery.Events);
        Assert.Equal("event:klaviyo.sent_sms", ev.Topic);
        Assert.Equal("4L3cwQae2TX", ev.ExternalId);
        var evt = ev.Event.Match(e => e, () => throw new Xunit.Sdk.XunitException("no event"));
        Assert.Equal("4L3cwQae2TX", evt.Id);
        Assert.Equal(1784109600, evt.Attributes.Timestamp);
        Assert.Equal(SignedDelivery.SentAt, evt.Attributes.Datetime);
        Assert.Equal(Some(SignedDelivery.SentAt), evt.Attributes.Time);
        Assert.Equal("a5a3b480-3f5a-11f1-8001-000000000000", evt.Attributes.Uuid);
        Assert.Equal(
            "hi",
            evt.Attributes.EventProperties!.Value.GetProperty("message_body").GetString()
        );
        Assert.Equal(Some("01JPROFILE"), ev.RelatedId("profile"));
        Assert.Equal(Some("SMSMET"), ev.RelatedId("metric"));
        Assert.Equal(Option<string>.None, ev.RelatedId("attributions"));
        Assert.Equal(
            "https://a.klaviyo.com/api/events/4L3cwQae2TX/",
            ev.Payload.Resources.Head.Links.Self
        );
    }

    [Fact]
    public void Keeps_every_event_in_order_including_unknown_topics_and_payloads_of_other_shapes()
    {
        var json = """
            {"data":[
              {"topic":"event:klaviyo.opened_email","external_id":"E1","payload":{"data":{"type":"event","id":"E1","attributes":{"timestamp":"1784109600"}}}},
              {"topic":"event:klaviyo.some_future_topic","external_id":2,"payload":{"data":{"type":"event","id":"E2","attributes":{}}}},
              {"topic":"profile:klaviyo.created","payload":{"data":{"type":"profile","id":"P1","attributes":{"email":"x@example.com"}}}},
              {"external_id":"E4"}
            ],"meta":{"klaviyo_webhook_id":"W"}}
            """;

        var delivery = Ok(Decode(json));

        Assert.Equal(
            new[]
            {
                "event:klaviyo.opened_email",
                "event:klaviyo.some_future_topic",
                "profile:klaviyo.created",
                "",
            },
            delivery.Events.Map(e => e.Topic).ToArray()
        );
        Assert.Equal(
            new[] { "E1", "2", null, "E4" },
            delivery.Events.Map(e => e.ExternalId).ToArray()
        );
        Assert.Equal(
            new[] { true, true, false, false },
            delivery.Events.Map(e => e.Event.IsSome).ToArray()
        );
        // A number sent as a string still decodes; a profile payload stays available raw.
        Assert.Equal(
            Some(SignedDelivery.SentAt),
            delivery.Events[0].Event.Bind(e => e.Attributes.Time)
        );
        Assert.Equal("P1", delivery.Events[2].Payload.Resources.Head.Id);
        Assert.Equal(
            Option<DateTimeOffset>.None,
            delivery.Events[1].Event.Bind(e => e.Attributes.Time)
        );
    }

    [Fact]
    public void Ignores_unknown_fields_and_reads_missing_parts_as_absent()
    {
        Assert.Equal(
            new WebhookDelivery(
                Seq<WebhookEvent>(),
                new WebhookDeliveryMeta(null, null, null, null)
            ),
            Ok(Decode("""{"something_new":[1,2,3]}"""))
        );
        var delivery = Ok(
            Decode(
                """{"data":[{"topic":"t","payload":null,"extra":{"deep":[true]}}],"meta":{"klaviyo_account_id":"A","extra":1},"links":{}}"""
            )
        );
        Assert.Equal("A", delivery.Meta.AccountId);
        Assert.True(delivery.Events.Head.Payload.Data is JsonApiData.Null);
    }

    public static TheoryData<string, string> Broken =>
        new()
        {
            { "", "the body is empty" },
            { "   ", "the body is not JSON" },
            { "{\"data\":", "the body is not JSON" },
            { "not json", "the body is not JSON (line 1, byte " },
            { "{}\n {}", "the body is not JSON (line 2, byte 2)" },
            { "[]", "expected a JSON object at $, found an array" },
            { "{\"data\":{}}", "expected an array of events at $.data, found an object" },
            { "{\"data\":[{},7]}", "expected an event object at $.data[1], found a number" },
            {
                "{\"data\":[{\"topic\":\"t\",\"payload\":[]}]}",
                "at $.data[0].payload, found an array"
            },
            {
                "{\"data\":[{},{\"payload\":{\"data\":[1]}}]}",
                "expected a resource object at $.data[1].payload.data[0], found a number"
            },
            {
                "{\"data\":[{\"payload\":{\"data\":{\"type\":\"event\",\"attributes\":{\"datetime\":\"soon\"}}}}]}",
                "at $.data[0].payload.data.attributes.datetime"
            },
            { "{\"meta\":[]}", "expected an object at $.meta, found an array" },
            {
                "{\"meta\":{\"timestamp\":\"later\"}}",
                "at $.meta.timestamp: expected an ISO 8601 date"
            },
        };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Names_what_is_not_a_delivery_and_where(string json, string says)
    {
        var error = Left(Decode(json));

        Assert.Contains(says, error.Message);
        Assert.Equal(0, error.StatusCode);
        Assert.Equal(0, error.Attempts);
    }

    [Fact]
    public void Refuses_a_delivery_whose_webhook_id_header_differs_from_the_body()
    {
        var json = SignedDelivery.Json("01JWEBHOOKA");

        Assert.True(Decode(json, "01JWEBHOOKA").IsRight);
        Assert.True(Decode(json, null).IsRight);
        var error = Left(Decode(json, "01JWEBHOOKB"));
        Assert.Contains("Klaviyo-Webhook-Id header ('01JWEBHOOKB')", error.Message);
        Assert.Contains("'01JWEBHOOKA'", error.Message);
        Assert.Contains("absent", Left(Decode("""{"data":[]}""", "01JWEBHOOKB")).Message);
    }

    private static readonly byte[] Specials = "{}[]\",:0a \\"u8.ToArray();

    [Fact]
    public void Never_throws_on_garbage_deep_nesting_or_huge_input()
    {
        var random = new Random(14);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 512)];
            random.NextBytes(bytes);
            _ = WebhookDelivery.Decode(bytes);
        }
        // Mutations of a real delivery reach deeper than random bytes do.
        var real = Encoding.UTF8.GetBytes(SignedDelivery.Json());
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])real.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
                mutated[random.Next(mutated.Length)] = Specials[random.Next(Specials.Length)];
            _ = WebhookDelivery.Decode(mutated);
        }

        Assert.Contains("not JSON", Left(Decode(new string('[', 100_000))).Message);
        var many =
            "{\"data\":["
            + string.Join(",", Enumerable.Repeat("{\"topic\":\"t\"}", 100_000))
            + "]}";
        Assert.Equal(100_000, Ok(Decode(many)).Events.Count);
    }

    [Fact]
    public void ToString_leaves_event_properties_out()
    {
        var json = SignedDelivery.Json().Replace("\"hi\"", "\"sarah.mason@klaviyo-demo.com\"");
        var delivery = Ok(Decode(json));
        var texts = new[]
        {
            delivery.ToString(),
            delivery.Events.Head.ToString(),
            delivery.Events.Head.Event.Map(e => e.Attributes.ToString()).IfNone(""),
            delivery.Events.Head.Event.Map(e => e.ToString()).IfNone(""),
        };

        foreach (var text in texts)
            Assert.DoesNotContain("sarah.mason", text);
        Assert.Contains("event:klaviyo.sent_sms", texts[0]);
        Assert.Contains("Events = 1", texts[0]);
    }
}
