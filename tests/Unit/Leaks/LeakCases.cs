using System.Text;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Leaks;

/// <summary>Every kind of secret a request can carry, each with the carrier it travels in.</summary>
public enum SecretKind
{
    /// <summary><see cref="KlaviyoOptions.ApiKey"/>, sent as <c>authorization: Klaviyo-API-Key …</c>.</summary>
    ApiKey,

    /// <summary><see cref="KlaviyoOptions.AccessToken"/>, sent as <c>authorization: Bearer …</c>.</summary>
    AccessToken,

    /// <summary>A built-in secret header the user sets (<c>x-api-key</c>).</summary>
    SecretHeader,

    /// <summary>The OAuth client secret, sent inside <c>authorization: Basic base64(id:secret)</c>.</summary>
    ClientSecret,

    /// <summary>The refresh token of the refresh grant (a form field).</summary>
    RefreshToken,

    /// <summary>The authorization code of the code grant (a form field).</summary>
    AuthorizationCode,

    /// <summary>The PKCE code verifier (a form field; unreserved characters only).</summary>
    CodeVerifier,

    /// <summary>The token revoked by <see cref="OAuth2.RevokeToken"/> (a form field).</summary>
    RevokedToken,

    /// <summary>A webhook's <c>secret_key</c> in a <c>create_webhook</c> body, given as a plain string (a spec secret field).</summary>
    WebhookSecretKey,

    /// <summary>The same, given as a <see cref="Secret"/> (revealed only on the wire).</summary>
    TypedWebhookSecretKey,

    /// <summary>A value in a query parameter the operation declares in <see cref="RequestOperation.Secrets"/>.</summary>
    DeclaredQuerySecret,

    /// <summary>A JSON body field the user names in <see cref="RedactionRules.BodyFields"/> / <see cref="FixtureOptions.FilterBodyFields"/>.</summary>
    UserBodyField,

    /// <summary>A header the user names in <see cref="RedactionRules.Headers"/> / <see cref="FixtureOptions.FilterHeaders"/>.</summary>
    UserHeader,
}

/// <summary>One generated secret of one kind: the options and the operation that carry it, and what a leak looks like.</summary>
public sealed record LeakCase(SecretKind Kind, string Secret)
{
    public const string ClientId = "leak-client";
    public const string PlainKey = "pk_plain_000000";
    public const string RedirectUri = "https://example.com/callback";
    private const string Verifier = "verifier-plain-0000000000000000000000000000000000";

    /// <summary>Whether only printers that are given the user's rules can hide it.</summary>
    public bool NeedsUserRules => Kind is SecretKind.UserBodyField or SecretKind.UserHeader;

    /// <summary>The user's rules (they name the user's field and header).</summary>
    public static readonly RedactionRules Rules = new()
    {
        BodyFields = Seq1("shop_token"),
        Headers = Seq1("x-shop-token"),
    };

    /// <summary>The same as fixture filters.</summary>
    public static readonly FixtureOptions FixtureRules = new()
    {
        FilterBodyFields = Seq1("shop_token"),
        FilterHeaders = Seq1("x-shop-token"),
        AllowPlaybackRepeats = true,
    };

    /// <summary>Options carrying the secret when it is a credential or a header, starting from <paramref name="start"/>.</summary>
    public KlaviyoOptions Options(KlaviyoOptions? start = null)
    {
        var o = start ?? new KlaviyoOptions();
        return Kind switch
        {
            SecretKind.ApiKey => o with { ApiKey = Secret },
            SecretKind.AccessToken => o with { AccessToken = Secret, ApiKey = PlainKey },
            SecretKind.SecretHeader => o with
            {
                ApiKey = PlainKey,
                Headers = Seq1(("x-api-key", Secret)),
            },
            SecretKind.UserHeader => o with
            {
                ApiKey = PlainKey,
                Headers = Seq1(("x-shop-token", Secret)),
            },
            SecretKind.ClientSecret
            or SecretKind.RefreshToken
            or SecretKind.AuthorizationCode
            or SecretKind.CodeVerifier
            or SecretKind.RevokedToken => o,
            _ => o with { ApiKey = PlainKey },
        };
    }

    /// <summary>The operation carrying the secret (a plain GET for credentials and headers).</summary>
    public RequestOperation Operation =>
        Kind switch
        {
            SecretKind.ClientSecret => OAuth2.GetToken(
                ClientId,
                Secret,
                "code_plain_0000",
                Verifier,
                RedirectUri
            ),
            SecretKind.RefreshToken => OAuth2.RefreshToken(ClientId, "cs_plain_0000", Secret),
            SecretKind.AuthorizationCode => OAuth2.GetToken(
                ClientId,
                "cs_plain_0000",
                Secret,
                Verifier,
                RedirectUri
            ),
            SecretKind.CodeVerifier => OAuth2.GetToken(
                ClientId,
                "cs_plain_0000",
                "code_plain_0000",
                Secret,
                RedirectUri
            ),
            SecretKind.RevokedToken => OAuth2.RevokeToken(
                ClientId,
                "cs_plain_0000",
                Secret,
                "refresh_token"
            ),
            SecretKind.WebhookSecretKey => Webhook(Secret),
            SecretKind.TypedWebhookSecretKey => Webhook(Klaviyo.Secret.Of(Secret)),
            SecretKind.DeclaredQuerySecret => new RequestOperation(HttpMethod.Get, "/api/things")
            {
                Query = Seq(("state", Secret), ("page[size]", "5")),
                Secrets = Seq1(Klaviyo.Secret.Of(Secret)),
            },
            SecretKind.UserBodyField => new RequestOperation(
                HttpMethod.Post,
                "/api/profiles"
            ).WithBody(
                RequestBody.Json(
                    new
                    {
                        data = new
                        {
                            type = "profile",
                            attributes = new
                            {
                                email = "ada@example.com",
                                properties = new { shop_token = Secret },
                            },
                        },
                    }
                )
            ),
            _ => new RequestOperation(HttpMethod.Get, "/api/accounts"),
        };

    /// <summary>
    /// Variants that fail validation because of the secret itself (a line break in a header, a lone surrogate in a
    /// form field or query, a verifier too short, a header name that cannot be sent, credentials over plain http…),
    /// for the kinds that have them.
    /// </summary>
    public IReadOnlyList<(
        string Why,
        KlaviyoOptions Options,
        RequestOperation Operation
    )> Invalid =>
        Kind switch
        {
            SecretKind.ApiKey =>
            [
                (
                    "line break after the key",
                    new KlaviyoOptions { ApiKey = Secret + "\r\nx-injected: 1" },
                    Operation
                ),
                (
                    "the key in a header that cannot be sent",
                    new KlaviyoOptions
                    {
                        ApiKey = Secret,
                        Headers = Seq1(
                            ("authorization", $"Klaviyo-API-Key {Secret}\r\nx-injected: 1")
                        ),
                    },
                    Operation
                ),
                (
                    "the key again under a header name that cannot be sent",
                    new KlaviyoOptions { ApiKey = Secret, Headers = Seq1(("bad header", Secret)) },
                    Operation
                ),
            ],
            SecretKind.AccessToken =>
            [
                (
                    "line break inside the token",
                    new KlaviyoOptions
                    {
                        AccessToken =
                            Secret[..(Secret.Length / 2)] + "\n" + Secret[(Secret.Length / 2)..],
                    },
                    Operation
                ),
                (
                    "over plain http to another host",
                    new KlaviyoOptions
                    {
                        AccessToken = Secret,
                        Protocol = "http",
                        Host = "example.com",
                    },
                    Operation
                ),
            ],
            SecretKind.SecretHeader =>
            [
                (
                    "line break in the header",
                    Options() with
                    {
                        Headers = Seq1(("x-api-key", Secret + "\r\nx-injected: 1")),
                    },
                    Operation
                ),
            ],
            SecretKind.ClientSecret =>
            [
                (
                    "a client id holding the secret and a colon",
                    new KlaviyoOptions(),
                    OAuth2.GetToken(
                        "client:" + Secret,
                        Secret,
                        "code_plain_0000",
                        Verifier,
                        RedirectUri
                    )
                ),
            ],
            SecretKind.RefreshToken =>
            [
                (
                    "lone surrogate",
                    Options(),
                    OAuth2.RefreshToken(ClientId, "cs_plain_0000", Secret + "\uD800")
                ),
            ],
            SecretKind.AuthorizationCode =>
            [
                (
                    "lone surrogate",
                    Options(),
                    OAuth2.GetToken(
                        ClientId,
                        "cs_plain_0000",
                        Secret + "\uD800",
                        Verifier,
                        RedirectUri
                    )
                ),
            ],
            SecretKind.CodeVerifier =>
            [
                (
                    "too short",
                    Options(),
                    OAuth2.GetToken(
                        ClientId,
                        "cs_plain_0000",
                        "code_plain_0000",
                        Secret[..30],
                        RedirectUri
                    )
                ),
            ],
            SecretKind.RevokedToken =>
            [
                (
                    "the token as the type hint",
                    Options(),
                    OAuth2.RevokeToken(ClientId, "cs_plain_0000", Secret, Secret)
                ),
            ],
            SecretKind.DeclaredQuerySecret =>
            [
                (
                    "lone surrogate",
                    Options(),
                    Operation with
                    {
                        Query = Seq1(("state", Secret + "\uD800")),
                    }
                ),
            ],
            _ => [],
        };

    /// <summary>A <c>create_webhook</c> operation whose <c>secret_key</c> is <paramref name="secretKey"/> (a string or a <see cref="Klaviyo.Secret"/>).</summary>
    public static RequestOperation Webhook(object secretKey) =>
        Webhooks.CreateWebhook(
            new
            {
                data = new
                {
                    type = "webhook",
                    attributes = new
                    {
                        name = "orders",
                        endpoint_url = "https://example.com/hooks/klaviyo",
                        secret_key = secretKey,
                    },
                    relationships = new Dictionary<string, object>
                    {
                        ["webhook-topics"] = new
                        {
                            data = new[]
                            {
                                new { type = "webhook-topic", id = "event:klaviyo.sent_sms" },
                            },
                        },
                    },
                },
            }
        );

    /// <summary>What a leak of this secret looks like (for a client secret, its Basic credentials too).</summary>
    private IReadOnlyList<(string Form, string Text)> Forms =>
        _forms ??=
            Kind == SecretKind.ClientSecret
                ?
                [
                    .. SecretForms.Of(Secret),
                    .. SecretForms
                        .Of(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{Secret}")))
                        .Select(f => ($"Basic credentials, {f.Form}", f.Text)),
                ]
                : SecretForms.Of(Secret);

    private IReadOnlyList<(string Form, string Text)>? _forms;

    /// <summary>Fails when <paramref name="text"/> shows the secret in any form.</summary>
    public void AssertAbsent(string where, string? text) =>
        SecretForms.AssertAbsent(Forms, $"{where} [{Kind}]", text);

    public override string ToString() => $"{Kind}: {Secret.Length} characters";
}

/// <summary>
/// Reproducible secrets with hostile characters: a seeded generator (the same values on every run and machine) that
/// puts quotes, backslashes, <c>%</c>, <c>+</c>, <c>&amp;</c>, <c>=</c>, spaces, look-alike escapes (<c>%2B</c>,
/// <c>\u0041</c>) and <c>&lt;/script&gt;</c> into every secret, and non-ASCII, emoji and control characters where the
/// carrier takes them (bodies and queries; headers take printable ASCII only, a verifier only unreserved characters).
/// Each secret holds random runs of 12+ letters and digits, which no encoding changes: the search finds any form.
/// </summary>
public static class GeneratedSecrets
{
    public const int Seed = 20_261_201;
    public const int PerKind = 4;

    private static readonly string[] Printable =
    [
        "\"",
        "\\",
        "%",
        "+",
        "&",
        "=",
        " ",
        "'",
        "</script>",
        "%2B",
        "\\u0041",
        ";",
        ",",
        ":",
        "/",
        "?",
        "#",
        "{}",
        "$(x)",
        "`",
        "~",
        "*",
        "<!--",
        "[REDACTED",
    ];

    private static readonly string[] Unicode =
    [
        "é",
        "日本",
        "😀",
        "\u2028",
        "ß",
        "\u00a0",
        "\uFEFF",
    ];

    private static readonly string[] Control = ["\n", "\t", "\r", "\u0001", "\u007f", "\0"];

    private static readonly string[] Unreserved = ["-", ".", "_", "~"];

    private const string Alphanumeric =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>The hostile pieces a carrier of <paramref name="kind"/> takes.</summary>
    public static string[] Pieces(SecretKind kind) =>
        kind switch
        {
            SecretKind.ApiKey
            or SecretKind.AccessToken
            or SecretKind.SecretHeader
            or SecretKind.UserHeader => Printable,
            SecretKind.CodeVerifier => Unreserved,
            _ => [.. Printable, .. Unicode, .. Control],
        };

    /// <summary>The secrets of one kind: first one with every piece the carrier takes, then random mixes.</summary>
    public static IEnumerable<string> For(SecretKind kind)
    {
        var random = new Random(Seed + 7919 * (int)kind);
        var pieces = Pieces(kind);
        string Core() =>
            new(
                Enumerable
                    .Range(0, 12 + random.Next(5))
                    .Select(_ => Alphanumeric[random.Next(Alphanumeric.Length)])
                    .ToArray()
            );
        // Every piece, each between random runs.
        var all = new StringBuilder(Core());
        foreach (var piece in pieces)
            all.Append(piece).Append(Core());
        yield return Fit(kind, all.ToString());
        for (var i = 1; i < PerKind; i++)
        {
            var mix = new StringBuilder(Core());
            for (var j = 0; j < 3; j++)
                mix.Append(pieces[random.Next(pieces.Length)]).Append(Core());
            yield return Fit(kind, mix.ToString());
        }
    }

    // A verifier is 43–128 characters.
    private static string Fit(SecretKind kind, string s) =>
        kind == SecretKind.CodeVerifier && s.Length > 128 ? s[..128] : s;

    /// <summary>The case for a theory row.</summary>
    public static LeakCase Case(SecretKind kind, int sample) =>
        new(kind, For(kind).ElementAt(sample));

    /// <summary>
    /// Rows for a theory: every kind (or those <paramref name="where"/> keeps) × the index of each of its secrets
    /// (the secret is made again from the seed, so a row's name stays readable and its value reproducible).
    /// </summary>
    public static TheoryData<SecretKind, int> Rows(Func<LeakCase, bool>? where = null)
    {
        var rows = new TheoryData<SecretKind, int>();
        foreach (var kind in Enum.GetValues<SecretKind>())
            for (var sample = 0; sample < PerKind; sample++)
                if (where is null || where(Case(kind, sample)))
                    rows.Add(kind, sample);
        return rows;
    }
}
