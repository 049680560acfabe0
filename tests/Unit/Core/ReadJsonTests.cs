using System.Text;
using System.Text.Json;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests;

public class ReadJsonTests
{
    private static KlaviyoResponse Classified(string contentType, string body) =>
        Ok(
            new RawResponse(
                200,
                Seq1(("content-type", contentType)),
                Encoding.UTF8.GetBytes(body)
            ).Classify()
        );

    [Fact]
    public void Reads_what_it_needs_from_the_JSON_body()
    {
        var response = Classified(
            "application/vnd.api+json",
            """{"data":[{"id":"a"},{"id":"b"}]}"""
        );

        var ids = response.ReadJson(root =>
            string.Join(
                ",",
                root.GetProperty("data")
                    .EnumerateArray()
                    .Select(d => d.GetProperty("id").GetString())
            )
        );

        Assert.Equal("a,b", ids.IfNone(""));
    }

    [Fact]
    public void Keeps_no_tree_an_element_taken_out_of_the_reader_is_no_longer_usable()
    {
        var response = Classified("application/json", """{"data":[1,2,3]}""");
        JsonElement escaped = default;

        var length = response.ReadJson(root =>
        {
            escaped = root;
            return root.GetProperty("data").GetArrayLength();
        });

        Assert.Equal(3, length.IfNone(0));
        Assert.Throws<ObjectDisposedException>(() => escaped.GetProperty("data"));
        // The response itself still reads its body.
        Assert.Equal(3, response.Json.Map(j => j.GetProperty("data").GetArrayLength()).IfNone(0));
    }

    [Fact]
    public void Uses_the_tree_already_built_when_Json_was_read_first()
    {
        var response = Classified("application/json", """{"n":7}""");
        var kept = response.Json.IfNone(default(JsonElement));

        var n = response.ReadJson(root => root.GetProperty("n").GetInt32());

        Assert.Equal(7, n.IfNone(0));
        Assert.Equal(7, kept.GetProperty("n").GetInt32());
    }

    [Fact]
    public void Is_none_for_a_body_that_is_not_JSON()
    {
        var response = Classified("text/plain", "hello");

        Assert.True(response.ReadJson(root => root.ValueKind).IsNone);
    }
}
