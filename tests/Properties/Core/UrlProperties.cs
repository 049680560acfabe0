using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests;

public class UrlProperties
{
    // Pieces that break naive encoders, mixed with arbitrary characters (including astral-plane pairs).
    private static readonly string[] Tricky =
    [
        "/",
        "?",
        "#",
        "%",
        "%2F",
        "%25",
        "..",
        ".",
        " ",
        "+",
        "&",
        "=",
        "[",
        "]",
        "'",
        "\"",
        "\\",
        ";",
        ":",
        "@",
        "é",
        "日本",
        "😀",
        "\u0000",
        "\t",
        "~",
        "-",
        "_",
    ];

    private static Gen<string> Text(bool allowEmpty)
    {
        var piece = Gen.OneOf(
            Gen.Elements(Tricky),
            ArbMap
                .Default.GeneratorFor<char>()
                .Select(c => char.IsSurrogate(c) ? "x" : c.ToString()),
            Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32)
        );
        var text = piece.ListOf().Select(l => string.Concat(l));
        return allowEmpty ? text : text.Where(s => s.Length > 0);
    }

    private static Arbitrary<(
        string[] PathParams,
        (string, string)[] Query,
        int? Port,
        string BasePath
    )> Inputs() =>
        (
            from pathParams in Gen.ArrayOf(Text(false), 1)
                .Zip(Gen.ArrayOf(Text(false), 1), (a, b) => a.Concat(b).ToArray())
            from query in Gen.ArrayOf(Text(true).Zip(Text(true), (n, v) => (n, v)))
            from port in Gen.OneOf(
                Gen.Constant<int?>(null),
                Gen.Choose(1, 65535).Select(p => (int?)p)
            )
            from basePath in Gen.Elements("", "/", "/proxy", "/a/b/")
            select (pathParams.Take(2).ToArray(), query, port, basePath)
        ).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Built_urls_parse_and_every_parameter_round_trips_as_one_segment_in_order() =>
        Prop.ForAll(
            Inputs(),
            input =>
            {
                var (pathParams, query, port, basePath) = input;
                var op = PathTemplate.Operation(
                    HttpMethod.Get,
                    "/api/lists/{id}/relationships/{rel}",
                    pathParams
                ) with
                {
                    Query = toSeq(query),
                };
                var options = new KlaviyoOptions
                {
                    Host = "example.test",
                    Port = port,
                    Path = basePath,
                };
                var built = RequestBuilder.Build(op, options);

                if (pathParams.Any(p => p is "." or ".."))
                    return built.IsLeft.Label("a dot segment is rejected");

                var request = built.Match(
                    r => r,
                    e => throw new InvalidOperationException(e.ToString())
                );
                var uri = new Uri(request.Url);
                var okAuthority =
                    uri.Scheme == "https"
                    && uri.Host == "example.test"
                    && uri.Port == (port ?? 443);

                var path = uri.GetComponents(UriComponents.Path, UriFormat.UriEscaped);
                var segments = path.Split('/');
                var baseSegments =
                    basePath.Trim('/').Length == 0 ? 0 : basePath.Trim('/').Split('/').Length;
                var expected = new[]
                {
                    "api",
                    "lists",
                    pathParams[0],
                    "relationships",
                    pathParams[1],
                };
                var tail = segments.Skip(baseSegments).Select(Uri.UnescapeDataString).ToArray();
                var okPath =
                    segments.Length == baseSegments + expected.Length
                    && tail.SequenceEqual(expected);

                var rawQuery = uri.GetComponents(UriComponents.Query, UriFormat.UriEscaped);
                var pairs =
                    rawQuery.Length == 0 && query.Length == 0
                        ? []
                        : rawQuery
                            .Split('&')
                            .Select(p => p.Split('='))
                            .Select(kv =>
                                (Uri.UnescapeDataString(kv[0]), Uri.UnescapeDataString(kv[1]))
                            )
                            .ToArray();
                var okQuery =
                    pairs.SequenceEqual(query)
                    && rawQuery
                        .Split('&')
                        .All(p => p.Count(c => c == '=') == 1 || query.Length == 0);

                return (okAuthority && okPath && okQuery).Label(
                    $"url={request.Url} authority={okAuthority} path={okPath} query={okQuery}"
                );
            }
        );

    [Property(MaxTest = 200)]
    public Property Percent_encoding_leaves_only_unreserved_characters_and_unescapes_to_the_input() =>
        Prop.ForAll(
            Text(true).ToArbitrary(),
            s =>
            {
                var encoded = PercentEncoding.Encode(s);
                return encoded.All(c =>
                        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '%'
                    )
                    && Uri.UnescapeDataString(encoded) == s;
            }
        );
}
