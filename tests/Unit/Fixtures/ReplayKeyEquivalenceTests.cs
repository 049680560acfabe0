using System.Text;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Fixtures;

/// <summary>
/// The replay lookup computes its key from the redacted path and query only (no redacted copy of the request, no key
/// string), and scrubbing works from forms computed once per scope. Both must give exactly what the previous code
/// gave: the key of the whole redacted request, and the text <c>Scrub</c> gave. The previous implementations are kept
/// here, word for word, as the reference.
/// </summary>
public sealed class ReplayKeyEquivalenceTests
{
    private const string ApiKey = "pk_equivalence_key_123";

    private static readonly RedactionRules[] Rules =
    [
        RedactionRules.Default,
        new() { QueryParameters = Seq1("email"), Values = Seq("shop-7 secret", "abcd") },
        new()
        {
            ReplaceQueryParameter = (name, value) =>
                name == "phone" ? "+15555550100" : value.ToUpperInvariant(),
            Values = Seq1("über/geheim"),
        },
    ];

    private static KlaviyoRequest[] Requests()
    {
        var options = new KlaviyoOptions { ApiKey = ApiKey };
        KlaviyoRequest Build(RequestOperation op) =>
            RequestBuilder.Build(op, options).Match(r => r, e => throw new Exception(e.Message));
        var plain = Build(
            new RequestOperation(HttpMethod.Get, "/api/profiles")
            {
                Query = Seq(
                    ("fields[profile]", "email,first_name"),
                    ("page[size]", "20"),
                    ("include", "lists")
                ),
            }
        );
        return
        [
            plain,
            plain with
            {
                Path = "/api/profiles/p%201/",
            },
            plain with
            {
                Path = "/api/profiles/" + ApiKey,
                Query = default,
            },
            plain with
            {
                Path = "/api/x/" + Uri.EscapeDataString("a " + ApiKey + " b"),
            },
            plain with
            {
                Path = "/api/x/%c3%bcber%2Fgeheim/%zz",
            },
            plain with
            {
                Path = "",
            },
            plain with
            {
                Path = "relative",
            },
            plain with
            {
                Method = new HttpMethod("patch"),
            },
            plain with
            {
                Query = Seq(
                    ("b", "2"),
                    ("a", "z"),
                    ("a", "y"),
                    ("code", "oauth-code-value"),
                    ("Email", "ada@example.com"),
                    ("phone", "+1 555"),
                    ("k", "key=" + ApiKey),
                    ("k2", "shop-7 secret"),
                    ("k3", "x shop-7+secret y"),
                    ("k4", "shop-7%20secret"),
                    ("ü ber", "a/b?c&d=e#f"),
                    (ApiKey, "named after the key"),
                    ("", "")
                ),
            },
            plain with
            {
                Secrets = Seq(Secret.Of(ApiKey), Secret.Of("pk_equivalence"), Secret.Of("abc")),
                Path = "/api/pk_equivalence/pk_equivalence_key_123x",
            },
            plain with
            {
                Secrets = default,
                Path = "/api/" + ApiKey,
            },
        ];
    }

    [Fact]
    public void The_key_from_the_redacted_target_is_the_key_of_the_whole_redacted_request()
    {
        var compared = 0;
        foreach (var rules in Rules)
        foreach (var request in Requests())
        {
            var safe = request.Redact(rules);
            var (path, query) = request.RedactedTarget(rules);
            Assert.Equal(safe.Path, path);
            Assert.Equal(safe.Query, query);
            Assert.Equal(ReferenceKey(safe), RequestKey.Of(request.Method.Method, path, query));
            compared++;
        }
        Assert.Equal(Rules.Length * Requests().Length, compared);
    }

    [Fact]
    public void The_key_of_a_recorded_url_is_what_it_was()
    {
        string[] urls =
        [
            "https://a.klaviyo.com/api/profiles/?page%5Bsize%5D=20&fields%5Bprofile%5D=email%2Cfirst_name",
            "http://127.0.0.1:5000/api/profiles/p%201?b=2&a=z&a=y&&x",
            "https://a.klaviyo.com/api/x/%c3%bcber%2fgeheim/%zz#frag",
            "https://a.klaviyo.com",
            "https://a.klaviyo.com?only=query",
            "/api/relative?q=%E2%82%AC",
        ];
        foreach (var url in urls)
        {
            var recorded = new RecordedRequest("get", url, default, StoredBody.None);
            Assert.Equal(ReferenceKey(recorded), RequestKey.Of(recorded));
        }
    }

    [Fact]
    public void A_path_with_a_secret_is_still_masked_in_the_target()
    {
        var request = Requests()[2];
        var (path, _) = request.RedactedTarget();
        Assert.DoesNotContain(ApiKey, path);
        Assert.Contains(Uri.EscapeDataString(Redaction.Mask), path);
    }

    [Fact]
    public void Scrubbing_from_precomputed_forms_gives_what_scrubbing_each_time_gave()
    {
        Seq<string>[] secretSets =
        [
            Seq1(ApiKey),
            Seq("a b c d", "a b", "shop-7 secret", "über/geheim", "abc", "tok\"en\\x"),
            Seq("x<y>&z'", "pk_equivalence", "pk_equivalence_key_123"),
        ];
        string[] texts =
        [
            "",
            "nothing here",
            "key " + ApiKey + " and " + Uri.EscapeDataString(ApiKey),
            "a b c d; a+b+c+d; a%20b%20c%20d; a%20b; a+b",
            "shop-7+secret shop-7%20secret %C3%BCber%2Fgeheim %c3%bcber%2fgeheim",
            "{\"m\":\"\\u00fcber/geheim x\\u003cy\\u003e\\u0026z\\u0027 tok\\\"en\\\\x\"}",
            "{\"m\":\"x\\u003Cy\\u003E\\u0026z\\u0027\"}",
            "pk_equivalence_key_123 pk_equivalence",
        ];
        var compared = 0;
        foreach (var secrets in secretSets)
        foreach (var text in texts)
        {
            Assert.Equal(ReferenceScrub(text, secrets), Redaction.Scrub(text, secrets));
            Assert.Equal(
                ReferenceScrub(text, secrets),
                RedactionScope
                    .ForRequest(secrets.Map(Secret.Of).Strict(), RedactionRules.Default)
                    .Scrub(text)
            );
            compared++;
        }
        Assert.Equal(secretSets.Length * texts.Length, compared);
    }

    // ---- The previous RequestKey, as it was. ----

    private static string ReferenceKey(KlaviyoRequest safe) =>
        ReferenceKey(safe.Method.Method, DecodedSegments(safe.Path), safe.Query);

    private static string ReferenceKey(RecordedRequest recorded)
    {
        var (path, query) = SplitUrl(recorded.Url);
        return ReferenceKey(recorded.Method, DecodedSegments(path), Pairs(query));
    }

    private static string ReferenceKey(
        string method,
        string[] segments,
        Seq<(string Name, string Value)> query
    )
    {
        var sb = new StringBuilder(64);
        sb.Append(method.ToUpperInvariant()).Append(' ');
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
                sb.Append('/');
            sb.Append(Uri.EscapeDataString(segments[i]));
        }
        if (segments.Length == 1)
            sb.Append('/');
        if (query.IsEmpty)
            return sb.ToString();
        var sorted = query.ToArray();
        System.Array.Sort(
            sorted,
            (a, b) =>
            {
                var byName = string.CompareOrdinal(a.Name, b.Name);
                return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
            }
        );
        var first = true;
        foreach (var (name, value) in sorted)
        {
            sb.Append(first ? '?' : '&');
            first = false;
            sb.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return sb.ToString();
    }

    private static string[] DecodedSegments(string path)
    {
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
            segments[i] = Decode(segments[i]);
        return segments;
    }

    private static (string Path, string? Query) SplitUrl(string url)
    {
        var hash = url.IndexOf('#');
        if (hash >= 0)
            url = url[..hash];
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var pathStart = url.IndexOfAny(['/', '?'], schemeEnd < 0 ? 0 : schemeEnd + 3);
        if (pathStart < 0)
            return ("/", null);
        var question = url.IndexOf('?', pathStart);
        var path = question < 0 ? url[pathStart..] : url[pathStart..question];
        return (path.Length == 0 ? "/" : path, question < 0 ? null : url[(question + 1)..]);
    }

    private static Seq<(string Name, string Value)> Pairs(string? query)
    {
        if (string.IsNullOrEmpty(query))
            return default;
        var list = new List<(string, string)>();
        foreach (var piece in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = piece.IndexOf('=');
            list.Add(
                eq < 0 ? (Decode(piece), "") : (Decode(piece[..eq]), Decode(piece[(eq + 1)..]))
            );
        }
        return list.ToSeq().Strict();
    }

    private static string Decode(string value) =>
        value.Contains('%') ? Uri.UnescapeDataString(value) : value;

    // ---- The previous Redaction.Scrub, as it was. ----

    private static string ReferenceScrub(string text, Seq<string> secrets)
    {
        if (secrets.IsEmpty || string.IsNullOrEmpty(text))
            return text;
        foreach (
            var s in secrets.Count > 1
                ? secrets.OrderByDescending(s => s?.Length ?? 0)
                : (IEnumerable<string>)secrets
        )
        {
            if (s is null || s.Length < 4)
                continue;
            text = text.Replace(s, Redaction.Mask, StringComparison.Ordinal);
            if (text.IndexOf('\\') >= 0)
                foreach (var form in Redaction.JsonEscapedForms(s))
                    text = text.Replace(form, Redaction.Mask, StringComparison.Ordinal);
            if (!PercentEncoding.IsWellFormed(s))
                continue;
            var encoded = PercentEncoding.Encode(s);
            if (ReferenceEquals(encoded, s) || encoded == s)
                continue;
            text = text.Replace(encoded, Redaction.Mask, StringComparison.Ordinal);
            var lowerHex = Redaction.LowerHex(encoded);
            if (lowerHex != encoded)
                text = text.Replace(lowerHex, Redaction.Mask, StringComparison.Ordinal);
            if (encoded.Contains("%20", StringComparison.Ordinal))
            {
                text = text.Replace(
                    encoded.Replace("%20", "+"),
                    Redaction.Mask,
                    StringComparison.Ordinal
                );
                text = text.Replace(
                    lowerHex.Replace("%20", "+"),
                    Redaction.Mask,
                    StringComparison.Ordinal
                );
            }
        }
        return text;
    }
}
