using System.Text.Json;
using LanguageExt;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Klaviyo.Tests.Hardening;

/// <summary>
/// Issue 11 #3: a 2xx JSON:API body whose strings (values and keys, anywhere) are not well-formed Unicode is data:
/// <see cref="JsonApiDocument.Parse"/>, <see cref="KlaviyoResponse.Document"/>, attribute decoding,
/// <see cref="PageLinks"/>, <c>AllPages().RunAsync</c> and <c>PaginateAsync</c> read it with each broken part as
/// U+FFFD, and none of them throws.
/// </summary>
public class BrokenDocumentTests
{
    private const string Key = "pk_broken_document_0123456789";

    public static TheoryData<BrokenText.Case> Cases() => BrokenText.All();

    private sealed record Profile(string? Email, string? FirstName);

    /// <summary>
    /// A page of one profile with the broken string in its id, an attribute, a relationship name and target, its
    /// links, an included resource, the meta, and as a key at every level (last, so a lookup by name passes it).
    /// </summary>
    private static byte[] Page(BrokenText.Case c, string? next) =>
        BrokenText.Json(
            "{\"data\":[{\"type\":\"profile\",\"id\":\"p1",
            c.Literal,
            "\",\"attributes\":{\"email\":\"a",
            c.Literal,
            "@example.com\",\"first_name\":\"Ada\",\"",
            c.Literal,
            "\":\"",
            c.Literal,
            "\"},\"relationships\":{\"lists",
            c.Literal,
            "\":{\"data\":[{\"type\":\"list\",\"id\":\"L",
            c.Literal,
            "\",\"",
            c.Literal,
            "\":0}],\"",
            c.Literal,
            "\":0}},\"links\":{\"self\":\"s",
            c.Literal,
            "\",\"",
            c.Literal,
            "\":0},\"",
            c.Literal,
            "\":0}],\"included\":[{\"type\":\"list\",\"id\":\"L",
            c.Literal,
            "\",\"",
            c.Literal,
            "\":0}],\"links\":{\"self\":\"x",
            c.Literal,
            "\",\"next\":",
            next is null ? "null" : JsonSerializer.Serialize(next),
            ",\"",
            c.Literal,
            "\":0},\"meta\":{\"",
            c.Literal,
            "\":1},\"",
            c.Literal,
            "\":true}"
        );

    private static JsonElement Root(byte[] json) => JsonDocument.Parse(json).RootElement;

    private static void AssertReadsLeniently(BrokenText.Case c, JsonApiDocument document)
    {
        var resource = Assert.Single(document.Resources);
        Assert.Equal("profile", resource.Type);
        Assert.Equal("p1" + c.Reads, resource.Id);
        Assert.Equal("s" + c.Reads, resource.Links.Self);
        var lists = resource
            .Relationship("lists" + c.Reads)
            .IfNone(() => throw new Xunit.Sdk.XunitException("relationship missing"));
        Assert.Equal(new ResourceIdentifier("list", "L" + c.Reads), Assert.Single(lists.Data));
        Assert.Equal(
            new ResourceIdentifier("list", "L" + c.Reads),
            document.Included.Single().Identifier
        );
        Assert.Equal("x" + c.Reads, document.Links.Self);
        Assert.NotNull(document.Meta);
        var decoded = resource.AttributesAs<Profile>();
        var profile = Assert.IsType<Profile>(
            decoded.Case is KlaviyoError e
                ? throw new Xunit.Sdk.XunitException(e.Message)
                : decoded.Case
        );
        Assert.Equal("a" + c.Reads + "@example.com", profile.Email);
        Assert.Equal("Ada", profile.FirstName);
        Assert.Contains("JsonApiDocument", document.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void JsonApiDocument_Parse_reads_broken_strings_leniently(BrokenText.Case broken)
    {
        var result = JsonApiDocument.Parse(Root(Page(broken, next: null)));

        AssertReadsLeniently(broken, Assert.IsType<JsonApiDocument>(result.Case));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void KlaviyoResponse_Document_reads_broken_strings_leniently(BrokenText.Case broken)
    {
        var classified = ResponseClassifier.Classify(
            new RawResponse(
                200,
                Prelude.Seq1(("content-type", "application/vnd.api+json")),
                Page(broken, next: null)
            ),
            SystemTextJsonCodec.Default,
            default
        );
        var response = Assert.IsType<KlaviyoResponse>(classified.Case);

        AssertReadsLeniently(broken, Assert.IsType<JsonApiDocument>(response.Document().Case));
        var data = Assert.IsAssignableFrom<Seq<JsonApiResource<Profile>>>(
            response.DataAs<Profile>().Case
        );
        Assert.Equal("a" + broken.Reads + "@example.com", data.Single().Attributes.Email);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_decode_error_about_a_broken_document_carries_its_text_and_does_not_throw(
        BrokenText.Case broken
    )
    {
        var document = Assert.IsType<JsonApiDocument>(
            JsonApiDocument.Parse(Root(Page(broken, next: null))).Case
        );

        var single = document.Single<Profile>();
        Assert.IsType<JsonApiResource<Profile>>(single.Case);
        var mismatch = document.Resources.Head.AttributesAs<Dictionary<string, int>>();
        var error = Assert.IsType<KlaviyoError.Decode>(mismatch.Case);
        Assert.Contains("\"first_name\":\"Ada\"", error.RawText);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PageLinks_reads_links_next_past_broken_keys(BrokenText.Case broken)
    {
        var options = new KlaviyoOptions();
        var body = new ResponseBody.Json(
            Root(Page(broken, next: "https://a.klaviyo.com/api/profiles?page%5Bcursor%5D=2"))
        );
        var current = new RequestOperation(HttpMethod.Get, "/api/profiles");

        Assert.Equal(
            "https://a.klaviyo.com/api/profiles?page%5Bcursor%5D=2",
            PageLinks.NextLink(body)
        );
        var next = Assert.IsType<RequestOperation>(
            PageLinks.Next(current, body, options).Case is Option<RequestOperation> o
                ? o.Case
                : null
        );
        Assert.Equal(Prelude.Seq1(("page[cursor]", "2")), next.Query);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_broken_links_next_is_followed_with_U_FFFD_or_refused_never_thrown(
        BrokenText.Case broken
    )
    {
        var body = new ResponseBody.Json(
            Root(
                BrokenText.Json(
                    "{\"data\":[],\"links\":{\"next\":\"https://a.klaviyo.com/api/profiles?page%5Bcursor%5D=",
                    broken.Literal,
                    "\"}}"
                )
            )
        );
        var current = new RequestOperation(HttpMethod.Get, "/api/profiles");

        Assert.Equal(
            "https://a.klaviyo.com/api/profiles?page%5Bcursor%5D=" + broken.Reads,
            PageLinks.NextLink(body)
        );
        var result = PageLinks.Next(current, body, new KlaviyoOptions());
        // What System.Uri makes of the replacement characters (and a newline) is its business; the link is
        // followed to the same host with a cursor, or refused as a validation error.
        result.Match(
            next =>
                Assert.Equal(
                    "page[cursor]",
                    next.Map(n => n.Query.Head.Name).IfNone("(no next page)")
                ),
            error => Assert.IsType<KlaviyoError.Validation>(error)
        );
    }

    /// <summary>Two pages over Kestrel, both broken; the first links to the second.</summary>
    private static Task<LoopbackServer> ServeTwoBrokenPages(BrokenText.Case broken)
    {
        LoopbackServer? self = null;
        var started = LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                var second = ctx.Request.Query.ContainsKey("page[cursor]");
                var body = Page(
                    broken,
                    second ? null : $"http://127.0.0.1:{self!.Port}/api/profiles?page%5Bcursor%5D=2"
                );
                ctx.Response.ContentType = "application/vnd.api+json";
                await ctx.Response.Body.WriteAsync(body);
            }
        );
        return started.ContinueWith(t => self = t.Result);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AllPages_RunAsync_collects_broken_pages(BrokenText.Case broken)
    {
        await using var server = await ServeTwoBrokenPages(broken);
        var options = server.Options(new KlaviyoOptions { ApiKey = Key });

        var result = await new RequestOperation(HttpMethod.Get, "/api/profiles")
            .AllPages()
            .RunAsync(options);

        var pages = Assert.IsAssignableFrom<Seq<JsonApiDocument>>(result.Case);
        Assert.Equal(2, pages.Count);
        foreach (var page in pages)
            AssertReadsLeniently(broken, page);
        Assert.Equal(2, server.Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task PaginateAsync_streams_broken_pages(BrokenText.Case broken)
    {
        await using var server = await ServeTwoBrokenPages(broken);
        var options = server.Options(new KlaviyoOptions { ApiKey = Key });
        var first = new RequestOperation(HttpMethod.Get, "/api/profiles");

        var ids = await first.PaginateAsync(options).Select(r => r.Id).ToListAsync();
        var emails = await first
            .PaginateAsync<Profile>(options)
            .Select(r => r.Attributes.Email)
            .ToListAsync();
        var pages = await first.PagesAsync(options).ToListAsync();

        Assert.Equal(["p1" + broken.Reads, "p1" + broken.Reads], ids);
        Assert.Equal(Enumerable.Repeat("a" + broken.Reads + "@example.com", 2), emails);
        Assert.Equal(2, pages.Count);
    }
}
