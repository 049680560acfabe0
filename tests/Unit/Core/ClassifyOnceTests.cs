using System.Text;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Core;

/// <summary>
/// A response answered many times (a stub's, a fixture's) has its JSON checked once; a copy with another body, or a
/// body that failed the check, is checked every time.
/// </summary>
public class ClassifyOnceTests
{
    private static readonly Seq<(string Name, string Value)> JsonHeaders = Seq1(
        ("content-type", "application/vnd.api+json")
    );

    private static RawResponse Raw(string body) =>
        new(200, JsonHeaders, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void The_same_response_classified_again_gives_the_same_body()
    {
        var raw = Raw("""{"data":[{"type":"profile","id":"1"}]}""");

        var first = raw.Classify();
        var second = raw.Classify();

        Assert.True(first.IsRight);
        Assert.True(second.IsRight);
        Assert.Equal(first, second);
        Assert.Equal(
            "1",
            ((KlaviyoResponse)second.Case!)
                .Json.Map(j => j.GetProperty("data")[0].GetProperty("id").GetString())
                .IfNone("")
        );
    }

    [Fact]
    public void A_copy_with_a_malformed_body_is_checked_again_and_refused()
    {
        var raw = Raw("""{"data":[]}""");
        Assert.True(raw.Classify().IsRight);

        var broken = raw with { Body = Encoding.UTF8.GetBytes("""{"data":[""") };

        Assert.IsType<KlaviyoError.Decode>(broken.Classify().Case);
    }

    [Fact]
    public void A_copy_with_a_slice_of_the_same_bytes_is_checked_again()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"a":1}{"b":2}""");
        var whole = new RawResponse(200, JsonHeaders, bytes.AsMemory(0, 7));
        Assert.True(whole.Classify().IsRight);

        var both = whole with { Body = bytes };

        Assert.IsType<KlaviyoError.Decode>(both.Classify().Case);
    }

    [Fact]
    public void A_malformed_body_is_refused_every_time()
    {
        var raw = Raw("""{"data":[1,""");

        Assert.IsType<KlaviyoError.Decode>(raw.Classify().Case);
        Assert.IsType<KlaviyoError.Decode>(raw.Classify().Case);
    }

    [Fact]
    public void Many_threads_classifying_one_response_all_get_it()
    {
        var raw = Raw("""{"data":[{"type":"profile","id":"7"}],"links":{"next":null}}""");

        var results = Enumerable
            .Range(0, 64)
            .AsParallel()
            .WithDegreeOfParallelism(8)
            .Select(_ => raw.Classify())
            .ToList();

        Assert.All(results, r => Assert.True(r.IsRight));
    }
}
