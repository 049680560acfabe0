using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// Issue 11 #2 and #3: JSON:API documents whose strings and keys hold arbitrary escapes (lone surrogates included)
/// and arbitrary bytes that are not UTF-8. Every reader of server JSON answers without throwing: the error list, the
/// document, attribute decoding, and the next-page link.
/// </summary>
public class BrokenJsonProperties
{
    private sealed record Attributes(
        string? Email,
        int? Count,
        DateTimeOffset? Created,
        List<string>? Tags
    );

    /// <summary>The content of a JSON string: pieces of escapes, surrogates, plain text and stray bytes.</summary>
    private static Gen<byte[]> Literal() =>
        Gen.OneOf(
                Gen.Elements(
                        @"\ud800",
                        @"\udc00",
                        @"\uDBFF",
                        @"\ud83d\ude00",
                        @"\n",
                        @"\""",
                        @"\\",
                        @"\u0000",
                        @"\u001b[2J",
                        "a",
                        "é",
                        "😀",
                        "2024-01-01T00:00:00Z",
                        "42",
                        " "
                    )
                    .Select(Encoding.UTF8.GetBytes),
                Gen.Choose(0x80, 0xFF).Select(b => new[] { (byte)b })
            )
            .ListOf()
            .Select(parts => parts.SelectMany(p => p).ToArray());

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static Gen<byte[]> Documents() =>
        Literal()
            .ArrayOf(8)
            .Select(l =>
                new[]
                {
                    Utf8("{\"data\":[{\"type\":\""),
                    l[0],
                    Utf8("\",\"id\":\""),
                    l[1],
                    Utf8("\",\"attributes\":{\"email\":\""),
                    l[2],
                    Utf8("\",\"count\":\""),
                    l[3],
                    Utf8("\",\"created\":\""),
                    l[3],
                    Utf8("\",\"tags\":[\""),
                    l[4],
                    Utf8("\"],\""),
                    l[5],
                    Utf8("\":1},\"relationships\":{\""),
                    l[6],
                    Utf8("\":{\"data\":{\"type\":\"list\",\"id\":\""),
                    l[7],
                    Utf8(
                        "\"}}}}],\"links\":{\"next\":\"https://a.klaviyo.com/api/x?page%5Bcursor%5D="
                    ),
                    l[0],
                    Utf8("\",\""),
                    l[1],
                    Utf8("\":0},\"errors\":[{\"detail\":\""),
                    l[2],
                    Utf8("\",\"source\":{\"pointer\":\""),
                    l[3],
                    Utf8("\"}}],\""),
                    l[4],
                    Utf8("\":0}"),
                }
                    .SelectMany(b => b)
                    .ToArray()
            );

    [Property(MaxTest = 1_000)]
    public Property Every_reader_of_server_JSON_answers_without_throwing() =>
        Prop.ForAll(
            Documents().ToArbitrary(),
            bytes =>
            {
                JsonElement root;
                try
                {
                    root = JsonDocument.Parse(bytes).RootElement;
                }
                catch (JsonException)
                {
                    // A generated escape that is not JSON (e.g. "\u" cut short) is the classifier's business.
                    return true.Label("not JSON");
                }
                var body = new ResponseBody.Json(root);
                var errors = KlaviyoApiError.FromBody(body);
                var document = JsonApiDocument.Parse(root);
                var decoded = document.Bind(d => d.DataAs<Attributes>());
                var next = PageLinks.Next(
                    new RequestOperation(HttpMethod.Get, "/api/x"),
                    body,
                    new KlaviyoOptions()
                );
                var response = ResponseClassifier.Classify(
                    new RawResponse(
                        400,
                        LanguageExt.Prelude.Seq1(("content-type", "application/vnd.api+json")),
                        bytes
                    ),
                    SystemTextJsonCodec.Default,
                    default
                );
                return (
                    errors.Count == 1
                    && document.IsRight
                    && (decoded.IsRight || decoded.IsLeft)
                    && (next.IsRight || next.IsLeft)
                    && response.IsLeft
                ).Label($"{Encoding.UTF8.GetString(bytes)}: {errors.Count} {document} {decoded}");
            }
        );
}
