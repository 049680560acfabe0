using System.Security.Cryptography;
using System.Text;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;

namespace Klaviyo.Tests.OAuth2Flow;

public class OAuth2Tests
{
    // RFC 7636 Appendix B.
    private const string RfcVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private const string RfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private const string ClientId = "client-id-abc";
    private const string ClientSecret = "client-secret-XYZ-987";
    private const string ApiKey = "pk_private_key_never_sent";

    private static KlaviyoError.Validation Invalid<T>(Either<KlaviyoError, T> e) =>
        Assert.IsType<KlaviyoError.Validation>(Err(e));

    private static Dictionary<string, string> Pairs(string encoded) =>
        encoded
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(
                p => Uri.UnescapeDataString(p[0]),
                p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : "")
            );

    private static string Basic(string id, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}"));

    [Fact]
    public void Code_challenge_matches_RFC_7636_appendix_B()
    {
        Assert.Equal(RfcChallenge, Ok(Klaviyo.OAuth2.CodeChallenge(RfcVerifier)));
    }

    [Fact]
    public void Code_challenge_is_base64url_without_padding_of_SHA256_of_the_verifier()
    {
        var verifier = new string('~', 43) + "abc-._XYZ";
        var expected = Convert
            .ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            .TrimEnd('=')
            .Replace('+', '-')
            .Replace('/', '_');

        var challenge = Ok(Klaviyo.OAuth2.CodeChallenge(verifier));

        Assert.Equal(expected, challenge);
        Assert.Equal(43, challenge.Length);
        Assert.DoesNotContain('=', challenge);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("")]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX+")] // '+' is not unreserved
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXé")]
    public void Code_challenge_reports_a_verifier_that_RFC_7636_does_not_allow(string verifier)
    {
        var error = Invalid(Klaviyo.OAuth2.CodeChallenge(verifier));
        Assert.Contains("code verifier", error.Message);
    }

    [Theory]
    [InlineData(43)]
    [InlineData(64)]
    [InlineData(128)]
    public void Code_verifier_has_the_requested_length_and_only_unreserved_characters(int length)
    {
        var verifier = Ok(Klaviyo.OAuth2.CodeVerifier(length));

        Assert.Equal(length, verifier.Length);
        Assert.All(verifier, c => Assert.Contains(c, Klaviyo.OAuth2.VerifierAlphabet));
    }

    [Fact]
    public void Code_verifier_is_128_characters_by_default_and_differs_each_time()
    {
        var a = Ok(Klaviyo.OAuth2.CodeVerifier());
        var b = Ok(Klaviyo.OAuth2.CodeVerifier());

        Assert.Equal(128, a.Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Verifier_alphabet_is_exactly_RFC_7636_unreserved_characters()
    {
        var expected = Enumerable
            .Range(0, 128)
            .Select(i => (char)i)
            .Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            .OrderBy(c => c);
        Assert.Equal(expected, Klaviyo.OAuth2.VerifierAlphabet.OrderBy(c => c));
    }

    [Theory]
    [InlineData(42)]
    [InlineData(129)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Code_verifier_length_outside_43_to_128_is_a_validation_error(int length)
    {
        var error = Invalid(Klaviyo.OAuth2.CodeVerifier(length));
        Assert.Contains(
            length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            error.Message
        );
        Assert.Equal(0, error.Attempts);
    }

    [Fact]
    public void Code_verifier_draws_again_for_bytes_that_would_bias_the_alphabet()
    {
        // 66 symbols: bytes 198–255 would favour the first 58 symbols if taken modulo 66, so they are skipped.
        var rng = new ScriptedRandom(255, 198, 0, 1, 65, 66, 197);

        var verifier = Ok(Klaviyo.OAuth2.CodeVerifier(43, rng));

        var alphabet = Klaviyo.OAuth2.VerifierAlphabet;
        var pattern = new[] { alphabet[0], alphabet[1], alphabet[65], alphabet[0], alphabet[65] };
        Assert.Equal(
            new string(Enumerable.Range(0, 43).Select(i => pattern[i % pattern.Length]).ToArray()),
            verifier
        );
    }

    [Fact]
    public void Authorize_url_parses_with_System_Uri_and_round_trips_its_parameters()
    {
        var redirect = "https://example.com/callback?shop=a b&x=1";
        var state = "state with spaces & = / ?";
        var url = Ok(
            Klaviyo.OAuth2.AuthorizeUrl(
                ClientId,
                redirect,
                new[] { "accounts:read", "profiles:write" },
                state,
                RfcChallenge
            )
        );

        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri));
        Assert.Equal("https", uri!.Scheme);
        Assert.Equal("www.klaviyo.com", uri.Host);
        Assert.Equal("/oauth/authorize", uri.AbsolutePath);
        var query = Pairs(uri.Query.TrimStart('?'));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["response_type"] = "code",
                ["client_id"] = ClientId,
                ["redirect_uri"] = redirect,
                ["scope"] = "accounts:read profiles:write",
                ["state"] = state,
                ["code_challenge_method"] = "S256",
                ["code_challenge"] = RfcChallenge,
            },
            query
        );
        // Spaces are %20 (RFC 3986), never '+', which a server could read as a literal plus.
        Assert.Contains("scope=accounts%3Aread%20profiles%3Awrite", url);
        Assert.DoesNotContain('+', url);
    }

    [Fact]
    public void Authorize_url_reports_every_bad_input_instead_of_throwing()
    {
        var error = Invalid(
            Klaviyo.OAuth2.AuthorizeUrl(
                "",
                "/relative/callback",
                new[] { "ok:read", "has space" },
                " ",
                "not-a-challenge"
            )
        );

        Assert.Equal(5, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains("client id"));
        Assert.Contains(error.Problems, p => p.Contains("redirect URI"));
        Assert.Contains(error.Problems, p => p.Contains("'has space'"));
        Assert.Contains(error.Problems, p => p.Contains("state"));
        Assert.Contains(error.Problems, p => p.Contains("code challenge"));
    }

    [Fact]
    public void Authorize_url_needs_at_least_one_scope()
    {
        var error = Invalid(
            Klaviyo.OAuth2.AuthorizeUrl(
                ClientId,
                "https://example.com/cb",
                Array.Empty<string>(),
                "s",
                RfcChallenge
            )
        );
        Assert.Contains(error.Problems, p => p.Contains("scope"));
    }

    [Fact]
    public void Token_exchange_builds_a_form_post_with_basic_client_authentication_and_no_api_key()
    {
        var op = Klaviyo.OAuth2.GetToken(
            ClientId,
            ClientSecret,
            "auth-code-123",
            RfcVerifier,
            "https://example.com/cb"
        );

        var request = Ok(RequestBuilder.Build(op, new KlaviyoOptions { ApiKey = ApiKey }));

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://a.klaviyo.com/oauth/token", request.Url);
        Assert.Equal(Basic(ClientId, ClientSecret), (request.Authorization?.Reveal() ?? ""));
        Assert.DoesNotContain(
            request.Headers,
            h => h.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
        );
        Assert.DoesNotContain(request.Headers, h => h.Value.Contains(ApiKey));
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = "auth-code-123",
                ["code_verifier"] = RfcVerifier,
                ["redirect_uri"] = "https://example.com/cb",
            },
            Pairs(Encoding.UTF8.GetString(request.Content.ToBytes().Span))
        );
    }

    [Fact]
    public void Refresh_builds_a_refresh_token_grant()
    {
        var op = Klaviyo.OAuth2.RefreshToken(ClientId, ClientSecret, "refresh-token-456");

        var request = Ok(RequestBuilder.Build(op, new KlaviyoOptions { ApiKey = ApiKey }));

        Assert.Equal("https://a.klaviyo.com/oauth/token", request.Url);
        Assert.Equal(Basic(ClientId, ClientSecret), (request.Authorization?.Reveal() ?? ""));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = "refresh-token-456",
            },
            Pairs(Encoding.UTF8.GetString(request.Content.ToBytes().Span))
        );
    }

    [Fact]
    public void Revoke_posts_the_token_and_its_type_hint_to_the_revoke_endpoint()
    {
        var withHint = Ok(
            RequestBuilder.Build(
                Klaviyo.OAuth2.RevokeToken(
                    ClientId,
                    ClientSecret,
                    "refresh-token-456",
                    "refresh_token"
                ),
                new KlaviyoOptions { AccessToken = "access-token-of-options" }
            )
        );
        var withoutHint = Ok(
            RequestBuilder.Build(
                Klaviyo.OAuth2.RevokeToken(ClientId, ClientSecret, "access-token-789"),
                new KlaviyoOptions { ApiKey = ApiKey }
            )
        );

        Assert.Equal("https://a.klaviyo.com/oauth/revoke", withHint.Url);
        Assert.Equal(Basic(ClientId, ClientSecret), (withHint.Authorization?.Reveal() ?? ""));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["token"] = "refresh-token-456",
                ["token_type_hint"] = "refresh_token",
            },
            Pairs(Encoding.UTF8.GetString(withHint.Content.ToBytes().Span))
        );
        Assert.Equal(
            new Dictionary<string, string> { ["token"] = "access-token-789" },
            Pairs(Encoding.UTF8.GetString(withoutHint.Content.ToBytes().Span))
        );
    }

    [Fact]
    public void Printed_token_requests_hide_the_client_secret_the_code_the_verifier_and_the_tokens()
    {
        var options = new KlaviyoOptions { ApiKey = ApiKey };
        var credentials = Basic(ClientId, ClientSecret)["Basic ".Length..];
        var printed = new[]
        {
            Klaviyo.OAuth2.GetToken(
                ClientId,
                ClientSecret,
                "auth-code-123",
                RfcVerifier,
                "https://example.com/cb"
            ),
            Klaviyo.OAuth2.RefreshToken(ClientId, ClientSecret, "refresh-token-456"),
            Klaviyo.OAuth2.RevokeToken(ClientId, ClientSecret, "access-token-789", "access_token"),
        }
            .Select(op => Ok(RequestBuilder.Build(op, options)).ToString())
            .ToList();

        Assert.All(
            printed,
            p =>
            {
                Assert.Contains("authorization: Basic [REDACTED]", p);
                foreach (
                    var secret in new[]
                    {
                        ClientSecret,
                        credentials,
                        "auth-code-123",
                        RfcVerifier,
                        "refresh-token-456",
                        "access-token-789",
                        ApiKey,
                    }
                )
                    Assert.DoesNotContain(secret, p);
            }
        );
    }

    [Fact]
    public void Token_operations_carry_their_secrets_for_every_printer()
    {
        var op = Klaviyo.OAuth2.GetToken(
            ClientId,
            ClientSecret,
            "auth-code-123",
            RfcVerifier,
            "https://example.com/cb"
        );
        var request = Ok(RequestBuilder.Build(op, new KlaviyoOptions { ApiKey = ApiKey }));

        Assert.Contains(Secret.Of(ClientSecret), op.Secrets);
        Assert.Contains(Secret.Of("auth-code-123"), op.Secrets);
        Assert.Contains(Secret.Of(RfcVerifier), op.Secrets);
        Assert.Contains(Secret.Of(ClientSecret), request.Secrets);
        Assert.Contains(Secret.Of(ApiKey), request.Secrets);
        Assert.Contains(
            Secret.Of(RfcVerifier),
            Klaviyo.OAuth2.RefreshToken(ClientId, ClientSecret, RfcVerifier).Secrets
        );
    }

    [Fact]
    public void Bad_token_input_is_a_validation_error_when_built_and_names_each_problem()
    {
        var op = Klaviyo.OAuth2.GetToken(ClientId, "", "", "too-short", "not a url");

        var error = Invalid(RequestBuilder.Build(op, new KlaviyoOptions()));

        Assert.Contains(error.Problems, p => p.Contains("client secret"));
        Assert.Contains(error.Problems, p => p.Contains("code is empty"));
        Assert.Contains(error.Problems, p => p.Contains("code verifier"));
        Assert.Contains(error.Problems, p => p.Contains("redirect URI"));
        Assert.Contains(
            Invalid(
                RequestBuilder.Build(
                    Klaviyo.OAuth2.RevokeToken(ClientId, ClientSecret, "tok-1234", "id_token"),
                    new KlaviyoOptions()
                )
            ).Problems,
            p => p.Contains("token type hint")
        );
    }

    [Fact]
    public async Task Token_exchange_sent_to_a_loopback_server_arrives_as_a_basic_authenticated_form_post()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(
                200,
                """{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1","scope":"accounts:read"}""",
                "application/json"
            )
        );

        var result = await Klaviyo
            .OAuth2.GetToken(
                ClientId,
                ClientSecret,
                "auth-code-123",
                RfcVerifier,
                "https://example.com/cb"
            )
            .SendAsync(server.Options(new KlaviyoOptions { ApiKey = ApiKey }));

        var response = result.Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(
            "at-1",
            response.Json.Map(j => j.GetProperty("access_token").GetString()).IfNone("")
        );
        var got = Assert.Single(server.Received);
        Assert.Equal("POST", got.Method);
        Assert.Equal("/oauth/token", got.Path);
        Assert.Equal(Basic(ClientId, ClientSecret), got.Header("authorization"));
        Assert.Equal("application/x-www-form-urlencoded", got.Header("content-type"));
        Assert.DoesNotContain(got.Headers, h => h.Value.Contains(ApiKey));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = "auth-code-123",
                ["code_verifier"] = RfcVerifier,
                ["redirect_uri"] = "https://example.com/cb",
            },
            Pairs(got.BodyText)
        );
    }

    /// <summary>A generator that repeats a fixed byte pattern, to pin how bytes become symbols.</summary>
    private sealed class ScriptedRandom(params byte[] pattern) : RandomNumberGenerator
    {
        private int _next;

        public override void GetBytes(byte[] data)
        {
            for (var i = 0; i < data.Length; i++)
                data[i] = pattern[_next++ % pattern.Length];
        }
    }
}
