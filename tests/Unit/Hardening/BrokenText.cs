using System.Text;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Klaviyo.Tests.Hardening;

/// <summary>
/// JSON whose strings are not well-formed Unicode, as a hostile or broken server may send it: escaped lone
/// surrogates (<c>\ud800</c>), and raw bytes that are not UTF-8. Well-formed JSON otherwise, so it is classified as
/// JSON. Each case says what a lenient reader makes of the broken string: U+FFFD for each broken part.
/// </summary>
public static class BrokenText
{
    /// <summary>A JSON string literal's content (between the quotes) as raw bytes, and what it reads as.</summary>
    public sealed record Case(string Name, byte[] Literal, string Reads)
    {
        public override string ToString() => Name;
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] Bytes(params object[] parts) =>
        parts
            .SelectMany(p =>
                p switch
                {
                    string s => Encoding.UTF8.GetBytes(s),
                    byte b => [b],
                    int i => [(byte)i],
                    _ => throw new ArgumentException(p.ToString()),
                }
            )
            .ToArray();

    public static readonly Case[] Cases =
    [
        new("lone high surrogate", Ascii(@"\ud800 is not allowed"), "\uFFFD is not allowed"),
        new("lone low surrogate", Ascii(@"x \udc00 y"), "x \uFFFD y"),
        new("high surrogate at the end", Ascii(@"ends with \uD800"), "ends with \uFFFD"),
        new("reversed pair", Ascii(@"\udc00\ud800"), "\uFFFD\uFFFD"),
        new("two highs then a low", Ascii(@"\ud800\ud83d\ude00"), "\uFFFD😀"),
        new(
            "lone surrogate among other escapes",
            Ascii(@"line\nbreak \""quoted\"" \u00e9 \ud800"),
            "line\nbreak \"quoted\" é \uFFFD"
        ),
        new("invalid byte", Bytes("a", 0xFF, "b"), "a\uFFFDb"),
        new("truncated two-byte sequence", Bytes("a", 0xC3), "a\uFFFD"),
        new("overlong slash", Bytes("a", 0xC0, 0xAF, "b"), "a\uFFFD\uFFFDb"),
        new(
            "surrogate encoded in UTF-8",
            Bytes("a", 0xED, 0xA0, 0x80, "b"),
            "a\uFFFD\uFFFD\uFFFDb"
        ),
        new("invalid byte next to an escape", Bytes(@"\n", 0xFE, @"\u0041"), "\n\uFFFDA"),
    ];

    public static TheoryData<Case> All()
    {
        var data = new TheoryData<Case>();
        foreach (var c in Cases)
            data.Add(c);
        return data;
    }

    /// <summary>Builds a JSON body from pieces: strings are taken as UTF-8 JSON text, byte arrays verbatim.</summary>
    public static byte[] Json(params object[] parts) =>
        parts
            .SelectMany(p =>
                p switch
                {
                    string s => Encoding.UTF8.GetBytes(s),
                    byte[] b => b,
                    _ => throw new ArgumentException(p.ToString()),
                }
            )
            .ToArray();

    /// <summary>An error document whose first error's <c>detail</c> is the broken string; a broken key sits beside it.</summary>
    public static byte[] ErrorDocument(Case c) =>
        Json(
            "{\"errors\":[{\"id\":\"e1\",\"code\":\"invalid\",\"title\":\"Bad\",\"detail\":\"",
            c.Literal,
            "\",\"",
            c.Literal,
            "\":1,\"source\":{\"pointer\":\"/data/attributes/",
            c.Literal,
            "\"}}],\"",
            c.Literal,
            "\":true}"
        );

    /// <summary>A Kestrel handler answering with <paramref name="status"/> and these exact bytes as JSON:API.</summary>
    public static Func<HttpContext, ReceivedRequest, Task> Respond(int status, byte[] body) =>
        async (ctx, _) =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/vnd.api+json";
            ctx.Response.ContentLength = body.Length;
            await ctx.Response.Body.WriteAsync(body);
        };
}
