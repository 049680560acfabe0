using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests;

public class JsonApiBuilderTests
{
    private static readonly KlaviyoOptions Options = new() { ApiKey = "pk_test_builder" };

    /// <summary>The body bytes exactly as the request builder encodes them with the given options.</summary>
    private static string Sent(
        object? body,
        KlaviyoOptions? options = null,
        string path = "/api/profiles"
    )
    {
        var op = new RequestOperation(HttpMethod.Post, path) { Body = RequestBody.Json(body) };
        var request = RequestBuilder
            .Build(op, options ?? Options)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal("application/vnd.api+json", request.ContentType);
        return Encoding.UTF8.GetString(request.Content.ToBytes().Span);
    }

    [Fact]
    public void A_resource_with_attributes_and_a_to_many_relationship_is_sent_as_a_JSON_API_envelope()
    {
        var document = JsonApi.Document(
            JsonApi
                .Resource("profile")
                .Attributes(new { email = "a@b.c" })
                .ToMany("lists", JsonApi.Ref("list", "L1"))
        );

        Assert.Equal(
            """{"data":{"type":"profile","attributes":{"email":"a@b.c"},"relationships":{"lists":{"data":[{"type":"list","id":"L1"}]}}}}""",
            Sent(document)
        );
    }

    [Fact]
    public void An_id_and_a_to_one_relationship_are_written_when_given()
    {
        var document = JsonApi.Document(
            JsonApi
                .Resource("coupon-code", "SPRING-10")
                .Attributes(
                    new { unique_code = "SPRING-10", expires_at = "2025-01-01T00:00:00+00:00" }
                )
                .ToOne("coupon", JsonApi.Ref("coupon", "SPRING"))
        );

        Assert.Equal(
            """{"data":{"type":"coupon-code","id":"SPRING-10","attributes":{"unique_code":"SPRING-10","expires_at":"2025-01-01T00:00:00\u002B00:00"},"relationships":{"coupon":{"data":{"type":"coupon","id":"SPRING"}}}}}""",
            Sent(document, path: "/api/coupon-codes")
        );
    }

    [Fact]
    public void A_to_one_relationship_set_to_null_clears_it_and_an_empty_to_many_is_an_empty_array()
    {
        var document = JsonApi.Document(
            JsonApi.Resource("catalog-item", "I1").ToOne("variant", null).ToMany("categories")
        );

        Assert.Equal(
            """{"data":{"type":"catalog-item","id":"I1","relationships":{"variant":{"data":null},"categories":{"data":[]}}}}""",
            Sent(document)
        );
    }

    [Fact]
    public void Attribute_names_are_written_exactly_as_given()
    {
        var attributes = new Dictionary<string, object?>
        {
            ["first_name"] = "Sarah",
            ["LastName"] = "Mason",
            ["phoneNumber"] = null,
            ["properties"] = new { LoyaltyTier = "gold" },
        };

        Assert.Equal(
            """{"data":{"type":"profile","attributes":{"first_name":"Sarah","LastName":"Mason","phoneNumber":null,"properties":{"LoyaltyTier":"gold"}}}}""",
            Sent(JsonApi.Document(JsonApi.Resource("profile").Attributes(attributes)))
        );
    }

    [Fact]
    public void Attributes_may_be_a_JsonNode_or_a_JsonElement()
    {
        var node = new JsonObject { ["name"] = "Newsletter" };
        var element = JsonDocument.Parse("""{"name":"VIP"}""").RootElement;

        Assert.Equal(
            """{"data":{"type":"list","attributes":{"name":"Newsletter"}}}""",
            Sent(JsonApi.Document(JsonApi.Resource("list").Attributes(node)))
        );
        Assert.Equal(
            """{"data":{"type":"list","attributes":{"name":"VIP"}}}""",
            Sent(JsonApi.Document(JsonApi.Resource("list").Attributes(element)))
        );
    }

    [Fact]
    public void A_relationship_endpoint_body_is_an_array_of_identifiers()
    {
        var body = JsonApi.Document(JsonApi.Refs("profile", "01A", "01B"));

        Assert.Equal(
            """{"data":[{"type":"profile","id":"01A"},{"type":"profile","id":"01B"}]}""",
            Sent(body, path: "/api/lists/Y6nRLr/relationships/profiles")
        );
    }

    [Fact]
    public void A_to_one_relationship_endpoint_body_is_one_identifier()
    {
        Assert.Equal(
            """{"data":{"type":"tag-group","id":"G1"}}""",
            Sent(JsonApi.Document(JsonApi.Ref("tag-group", "G1")))
        );
    }

    [Fact]
    public void Many_resources_are_written_as_an_array_in_order()
    {
        var body = JsonApi.Document(
            new[]
            {
                JsonApi.Resource("profile").Attributes(new { email = "1@x.io" }),
                JsonApi.Resource("profile", "P2"),
            }
        );

        Assert.Equal(
            """{"data":[{"type":"profile","attributes":{"email":"1@x.io"}},{"type":"profile","id":"P2"}]}""",
            Sent(body)
        );
    }

    [Fact]
    public void A_document_nests_inside_attributes_as_bulk_jobs_need()
    {
        var job = JsonApi.Document(
            JsonApi
                .Resource("profile-subscription-bulk-create-job")
                .Attributes(
                    new
                    {
                        profiles = JsonApi.Document(
                            new[]
                            {
                                JsonApi
                                    .Resource("profile")
                                    .Attributes(new { email = "sarah.mason@klaviyo-demo.com" }),
                            }
                        ),
                    }
                )
                .ToOne("list", JsonApi.Ref("list", "Y6nRLr"))
        );

        Assert.Equal(
            """{"data":{"type":"profile-subscription-bulk-create-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"sarah.mason@klaviyo-demo.com"}}]}},"relationships":{"list":{"data":{"type":"list","id":"Y6nRLr"}}}}}""",
            Sent(job, path: "/api/profile-subscription-bulk-create-jobs")
        );
    }

    [Fact]
    public void A_codec_with_a_naming_policy_still_writes_the_envelope_names_literally()
    {
        var camel = Options with
        {
            JsonCodec = new SystemTextJsonCodec(
                new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower }
            ),
        };

        var body = JsonApi.Document(
            JsonApi
                .Resource("profile", "P1")
                .Attributes(new { FirstName = "Sarah" })
                .ToMany("push-tokens", JsonApi.Ref("push-token", "T1"))
        );

        Assert.Equal(
            """{"data":{"type":"profile","id":"P1","attributes":{"first-name":"Sarah"},"relationships":{"push-tokens":{"data":[{"type":"push-token","id":"T1"}]}}}}""",
            Sent(body, camel)
        );
    }

    [Fact]
    public void Builders_return_new_values_and_a_repeated_relationship_replaces_the_first_in_place()
    {
        var start = JsonApi
            .Resource("profile")
            .ToMany("lists", JsonApi.Ref("list", "L1"))
            .ToOne("owner", JsonApi.Ref("user", "U"));
        var changed = start.ToMany("lists", JsonApi.Ref("list", "L2"));

        Assert.Equal(
            """{"data":{"type":"profile","relationships":{"lists":{"data":[{"type":"list","id":"L1"}]},"owner":{"data":{"type":"user","id":"U"}}}}}""",
            Sent(JsonApi.Document(start))
        );
        Assert.Equal(
            """{"data":{"type":"profile","relationships":{"lists":{"data":[{"type":"list","id":"L2"}]},"owner":{"data":{"type":"user","id":"U"}}}}}""",
            Sent(JsonApi.Document(changed))
        );
    }

    [Fact]
    public void Equal_builds_are_equal_values()
    {
        RequestDocument Build(string id) =>
            JsonApi.Document(
                JsonApi.Resource("profile", id).ToMany("lists", JsonApi.Refs("list", "L1", "L2"))
            );

        Assert.Equal(Build("P1"), Build("P1"));
        Assert.NotEqual(Build("P1"), Build("P2"));
    }

    [Fact]
    public void What_is_sent_reads_back_as_the_same_resource()
    {
        var sent = Sent(
            JsonApi.Document(
                JsonApi
                    .Resource("profile", "P1")
                    .Attributes(new { first_name = "Sarah" })
                    .ToMany("lists", JsonApi.Refs("list", "L1", "L2"))
            )
        );

        var read = KlaviyoSamples.Document(sent).Resources.Head;

        Assert.Equal(("profile", "P1"), (read.Type, read.Id));
        Assert.Equal(JsonApi.Refs("list", "L1", "L2"), read.Relationships["lists"].Data);
        Assert.Equal("Sarah", read.AttributesAs<JsonApiDecodingTests.Profile>().Right().FirstName);
    }

    [Fact]
    public void ToString_of_a_request_document_leaves_attributes_out()
    {
        var doc = JsonApi.Document(
            JsonApi.Resource("profile").Attributes(new { email = "private@example.com" })
        );

        Assert.DoesNotContain("private@example.com", doc.ToString());
        Assert.Contains("profile", doc.ToString());
    }

    [Fact]
    public void A_resource_identifier_is_written_with_lowercase_names_wherever_it_appears()
    {
        Assert.Equal(
            """{"data":{"type":"event","attributes":{"metric":{"type":"metric","id":"RnhNWp"}}}}""",
            Sent(
                JsonApi.Document(
                    JsonApi
                        .Resource("event")
                        .Attributes(new { metric = JsonApi.Ref("metric", "RnhNWp") })
                )
            )
        );
    }
}
