using System.Text;
using System.Text.Json;
using Xunit;

namespace Klaviyo.Tests.Unit.Core;

/// <summary>
/// The codec's parse keeps its tree for as long as the response lives, so it must build the same tree as
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> while allocating an exact-size index
/// instead of a pool array that never goes back.
/// </summary>
public class KeptJsonTests
{
    public static TheoryData<string> Documents() =>
        new()
        {
            "{}",
            "[]",
            "42",
            "-1.5e300",
            "\"text\"",
            "true",
            "false",
            "null",
            "  {\"a\" : [1, 2, {\"b\": null}] }  ",
            "{\"emoji\":\"\\ud83d\\ude00\",\"escaped\":\"a\\\"b\\\\c\\n\",\"plain\":\"żółw\"}",
            "{\"dup\":1,\"dup\":2}",
            "12345678901234567890123456789012345678901234567890",
            new string('[', 64) + new string(']', 64),
            Page(9),
        };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Builds_the_same_tree_as_JsonDocument_Parse(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var expected = JsonDocument.Parse(bytes);

        var kept = SystemTextJsonCodec.Default.Parse(bytes);

        Assert.True(JsonElement.DeepEquals(expected.RootElement, kept));
        Assert.Equal(expected.RootElement.GetRawText(), kept.GetRawText());
        Assert.Equal(expected.RootElement.ValueKind, kept.ValueKind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\":1,}")]
    [InlineData("[1] [2]")]
    [InlineData("// comment\n{}")]
    public void Refuses_what_JsonDocument_Parse_refuses(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(bytes));

        Assert.ThrowsAny<JsonException>(() => SystemTextJsonCodec.Default.Parse(bytes));
    }

    [Fact]
    public void Refuses_nesting_deeper_than_JsonDocument_Parse_allows()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('[', 65) + new string(']', 65));

        Assert.ThrowsAny<JsonException>(() => SystemTextJsonCodec.Default.Parse(bytes));
    }

    [Fact]
    public void The_tree_stays_valid_after_many_later_parses()
    {
        // The index is the document's own array: later parses (which rent and return pool arrays) cannot overwrite it.
        var first = SystemTextJsonCodec.Default.Parse(Encoding.UTF8.GetBytes(Page(9)));
        for (var i = 0; i < 200; i++)
            _ = SystemTextJsonCodec.Default.Parse(Encoding.UTF8.GetBytes(Page(i % 12)));

        var data = first.GetProperty("data");
        Assert.Equal(9, data.GetArrayLength());
        Assert.Equal(
            "person8@example.com",
            data[8].GetProperty("attributes").GetProperty("email").GetString()
        );
    }

    [Fact]
    public void Keeping_a_2_KB_page_allocates_an_exact_index_not_a_4_KB_pool_array()
    {
        var bytes = Encoding.UTF8.GetBytes(Page(9));
        Assert.InRange(bytes.Length, 2048, 4000);
        for (var i = 0; i < 50; i++)
            _ = SystemTextJsonCodec.Default.Parse(bytes);

        const int Parses = 200;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Parses; i++)
            _ = SystemTextJsonCodec.Default.Parse(bytes);
        var perParse = (GC.GetAllocatedBytesForCurrentThread() - before) / Parses;

        // JsonDocument.Parse keeps a 4,096-byte pool array per kept document (4,19x B in all); the exact index of this
        // page's ~210 tokens is 12 bytes each.
        Assert.InRange(perParse, 1, 3_200);
    }

    private static string Page(int profiles)
    {
        var json = new StringBuilder("{\"data\":[");
        for (var i = 0; i < profiles; i++)
        {
            if (i > 0)
                json.Append(',');
            json.Append(
                $"{{\"type\":\"profile\",\"id\":\"01GDDKASAP8TKDDA2GRZDSVP{i:D2}\",\"attributes\":{{\"email\":\"person{i}@example.com\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"created\":\"2022-11-08T00:00:00+00:00\"}},\"links\":{{\"self\":\"https://a.klaviyo.com/api/profiles/{i}/\"}}}}"
            );
        }
        return json.Append(
                "],\"links\":{\"self\":\"https://a.klaviyo.com/api/profiles/\",\"next\":null}}"
            )
            .ToString();
    }
}
