using System.Text.Json;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests;

public class JsonApiDocumentTests
{
    public sealed record Named(string? Name, string? Email);

    [Fact]
    public void Data_that_is_an_array_is_Many_in_order()
    {
        var doc = KlaviyoSamples.Document(KlaviyoSamples.GetLists);

        var many = Assert.IsType<JsonApiData.Many>(doc.Data);
        Assert.Equal(new[] { "Y6nRLr", "XkPq7z" }, many.Items.Map(r => r.Id!).ToArray());
        Assert.All(doc.Resources, r => Assert.Equal("list", r.Type));
    }

    [Fact]
    public void Data_that_is_an_object_is_One_and_Single_decodes_it()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":{"type":"list","id":"Y6nRLr","attributes":{"name":"Newsletter"},"links":{"self":"https://a.klaviyo.com/api/lists/Y6nRLr/"}},"links":{"self":"https://a.klaviyo.com/api/lists/Y6nRLr/"}}"""
        );

        var one = Assert.IsType<JsonApiData.One>(doc.Data);
        Assert.Equal("Y6nRLr", one.Resource.Id);
        Assert.Equal("Newsletter", doc.Single<Named>().Right().Attributes.Name);
        Assert.Single(doc.DataAs<Named>().Right());
        Assert.Equal("https://a.klaviyo.com/api/lists/Y6nRLr/", doc.Links.Self);
    }

    [Fact]
    public void Data_that_is_null_is_Null_with_no_resources_and_Single_is_an_error()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":null,"links":{"self":"https://a.klaviyo.com/api/events/1/profile/"}}"""
        );

        Assert.IsType<JsonApiData.Null>(doc.Data);
        Assert.True(doc.Resources.IsEmpty);
        Assert.True(doc.DataAs<Named>().Right().IsEmpty);
        Assert.Contains("found null", doc.Single<Named>().Left().Message);
    }

    [Fact]
    public void Single_on_a_collection_of_two_is_an_error_naming_the_count()
    {
        var doc = KlaviyoSamples.Document(KlaviyoSamples.GetLists);

        Assert.Contains("found 2", doc.Single<Named>().Left().Message);
    }

    [Fact]
    public void Top_level_links_give_the_next_page_and_tolerate_null_and_missing_links()
    {
        var profiles = KlaviyoSamples.Document(KlaviyoSamples.GetProfiles);
        var events = KlaviyoSamples.Document(KlaviyoSamples.GetEvents);
        var lists = KlaviyoSamples.Document(KlaviyoSamples.GetLists);
        var bare = KlaviyoSamples.Document("""{"data":[]}""");

        Assert.Equal(
            "https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D=bmV4dDo6aWQ6OjQzMjE",
            profiles.Links.Next
        );
        Assert.Null(profiles.Links.Prev); // null
        Assert.Null(events.Links.Next); // null: the last page
        Assert.Null(lists.Links.Next); // missing
        Assert.Equal("https://a.klaviyo.com/api/lists/", lists.Links.Self);
        Assert.Equal(JsonApiLinks.None, bare.Links);
    }

    [Fact]
    public void A_link_given_as_an_object_is_read_from_its_href()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":[],"links":{"self":{"href":"https://a.klaviyo.com/api/x/"},"first":"https://a.klaviyo.com/api/x/?p=1","last":7}}"""
        );

        Assert.Equal("https://a.klaviyo.com/api/x/", doc.Links.Self);
        Assert.Equal("https://a.klaviyo.com/api/x/?p=1", doc.Links.First);
        Assert.Null(doc.Links.Last); // a number is not a link
    }

    [Fact]
    public void Meta_is_kept_as_JSON_when_present_and_null_when_absent()
    {
        var events = KlaviyoSamples.Document(KlaviyoSamples.GetEvents);
        var lists = KlaviyoSamples.Document(KlaviyoSamples.GetLists);

        Assert.Equal(
            "Filter by metric_id to narrow results",
            events.Meta!.Value.GetProperty("agent_hints").GetProperty("next_steps")[0].GetString()
        );
        Assert.Null(lists.Meta);
    }

    [Fact]
    public void Relationships_distinguish_to_one_to_many_empty_and_links_only()
    {
        var profiles = KlaviyoSamples.Document(KlaviyoSamples.GetProfiles);
        var events = KlaviyoSamples.Document(KlaviyoSamples.GetEvents);
        var evt = events.Resources[0];
        var sarah = profiles.Resources[0];

        var profile = evt.Relationship("profile").Value();
        Assert.False(profile.IsToMany);
        Assert.True(profile.HasData);
        Assert.Equal(
            new ResourceIdentifier("profile", "01GDDKASAP8TKDDA2GRZDSVP4H"),
            profile.One.Value()
        );
        Assert.Equal(
            "https://a.klaviyo.com/api/events/4vRpBT2jAbQ/profile/",
            profile.Links.Related
        );

        var attributions = evt.Relationships["attributions"];
        Assert.True(attributions.IsToMany);
        Assert.True(attributions.HasData);
        Assert.True(attributions.Data.IsEmpty);
        Assert.Equal(JsonApiLinks.None, attributions.Links);

        var tokens = sarah.Relationships["push-tokens"];
        Assert.True(tokens.IsToMany);
        Assert.Equal(
            new[] { new ResourceIdentifier("push-token", "PT-9a1") },
            tokens.Data.ToArray()
        );
        Assert.True(tokens.One.IsNone); // to-many, even with one item

        var lists = sarah.Relationships["lists"];
        Assert.False(lists.HasData); // links only: not requested with include
        Assert.True(lists.Data.IsEmpty);
        Assert.Equal(
            "https://a.klaviyo.com/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H/relationships/lists/",
            lists.Links.Self
        );
        Assert.True(sarah.Relationship("segments").IsNone);
    }

    [Fact]
    public void A_relationship_target_is_found_among_the_included_resources()
    {
        var events = KlaviyoSamples.Document(KlaviyoSamples.GetEvents);
        var metricRef = events.Resources[0].Relationships["metric"].One.Value();

        var metric = events.Find(metricRef).Value();

        Assert.Equal("RnhNWp", metric.Id);
        Assert.Equal("Placed Order", metric.AttributesAs<Named>().Right().Name);
        Assert.Equal(2, events.Included.Count);
        Assert.True(events.Find(new ResourceIdentifier("metric", "nope")).IsNone);
        Assert.True(events.Find(new ResourceIdentifier("profile", "RnhNWp")).IsNone); // type matters
    }

    [Fact]
    public void Included_resources_keep_their_type_attributes_and_links()
    {
        var lists = KlaviyoSamples.Document(KlaviyoSamples.GetLists);

        var tag = Assert.Single(lists.Included);

        Assert.Equal("tag", tag.Type);
        Assert.Equal("Seasonal", tag.Attributes.GetProperty("name").GetString());
        Assert.Equal(
            "https://a.klaviyo.com/api/tags/abcd1234-ef56-gh78-ij90-abcdef123456/",
            tag.Links.Self
        );
        Assert.Equal(
            new ResourceIdentifier("tag", "abcd1234-ef56-gh78-ij90-abcdef123456"),
            tag.Identifier.Value()
        );
    }

    [Fact]
    public void A_relationship_endpoint_answer_of_bare_identifiers_reads_as_resources_without_attributes()
    {
        var doc = KlaviyoSamples.Document(
            """{"data":[{"type":"profile","id":"01A"},{"type":"profile","id":12345}],"links":{"self":"https://a.klaviyo.com/api/lists/L/relationships/profiles/","next":null}}"""
        );

        Assert.Equal(new[] { "01A", "12345" }, doc.Resources.Map(r => r.Id!).ToArray());
        Assert.All(doc.Resources, r => Assert.Equal("{}", r.Attributes.GetRawText()));
    }

    [Fact]
    public void An_error_document_exposes_its_errors()
    {
        var doc = KlaviyoSamples.Document(
            """{"errors":[{"id":"e4d7c9b0","status":400,"code":"invalid","title":"Invalid input.","detail":"The 'email' field is not a valid email.","source":{"pointer":"/data/attributes/email"}}]}"""
        );

        Assert.IsType<JsonApiData.Null>(doc.Data);
        var error = Assert.Single(doc.Errors);
        Assert.Equal("invalid", error.Code);
        Assert.Equal("400", error.Status);
        Assert.Equal("/data/attributes/email", error.SourcePointer);
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"text\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("null", "null")]
    public void A_root_that_is_not_an_object_is_a_decode_error(string json, string found)
    {
        var error = Assert.IsType<KlaviyoError.Decode>(
            JsonApiDocument.Parse(KlaviyoSamples.Json(json)).Left()
        );

        Assert.Contains("found " + found, error.Message);
        Assert.Equal(json, error.RawText);
    }

    [Theory]
    [InlineData("""{"data":[{"type":"list","id":"a"},"oops"]}""", "$.data[1]")]
    [InlineData("""{"data":7}""", "$.data")]
    [InlineData("""{"data":[],"included":[{"type":"tag","id":"t"},[]]}""", "$.included[1]")]
    [InlineData("""{"data":[],"included":{"type":"tag"}}""", "$.included")]
    public void A_non_object_where_a_resource_must_be_names_its_path(string json, string path)
    {
        var error = JsonApiDocument.Parse(KlaviyoSamples.Json(json)).Left();

        Assert.Contains($"at {path},", error.Message);
    }

    [Fact]
    public void A_response_document_is_read_from_the_JSON_body()
    {
        var response = KlaviyoSamples.Response(200, KlaviyoSamples.GetLists);

        var doc = response.Document().Right();

        Assert.Equal(2, doc.Resources.Count);
        Assert.Equal(
            new[] { "Newsletter", "VIP" },
            response.DataAs<Named>().Right().Map(r => r.Attributes.Name!).ToArray()
        );
    }

    [Fact]
    public void A_response_body_that_is_not_JSON_is_a_decode_error_with_the_status_and_text()
    {
        var response = KlaviyoSamples.Response(200, "<html>maintenance</html>", "text/html");

        var error = Assert.IsType<KlaviyoError.Decode>(response.Document().Left());

        Assert.Equal(200, error.StatusCode);
        Assert.Equal("<html>maintenance</html>", error.RawText);
        Assert.Contains("text/html", error.Message);
    }

    [Fact]
    public void An_empty_response_body_is_a_decode_error()
    {
        var response = new KlaviyoResponse(
            202,
            new ResponseHeaders(Seq<(string, string)>.Empty),
            ResponseBody.None
        );

        var error = Assert.IsType<KlaviyoError.Decode>(response.Document().Left());

        Assert.Equal(202, error.StatusCode);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void A_JSON_body_that_is_an_array_is_a_decode_error_carrying_the_response()
    {
        var response = KlaviyoSamples.Response(200, "[1,2]");

        var error = Assert.IsType<KlaviyoError.Decode>(response.Document().Left());

        Assert.Equal(200, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Equal("[1,2]", error.RawText);
    }

    [Fact]
    public void ToString_leaves_attributes_out()
    {
        var doc = KlaviyoSamples.Document(KlaviyoSamples.GetProfiles);
        var typed = doc.DataAs<Named>().Right()[0];

        Assert.DoesNotContain("sarah.mason", doc.ToString());
        Assert.DoesNotContain("sarah.mason", doc.Resources[0].ToString());
        Assert.DoesNotContain("sarah.mason", typed.ToString());
        Assert.Contains("01GDDKASAP8TKDDA2GRZDSVP4H", typed.ToString());
    }
}
