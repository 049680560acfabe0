using System.Security.Cryptography;
using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Klaviyo's OAuth 2.0 authorization code flow with PKCE (RFC 7636, <c>S256</c>): the authorize URL, the code
/// verifier and challenge, and the token exchange, refresh and revocation requests.
/// </summary>
/// <remarks>
/// <para>Everything here is pure and never throws for bad input: <see cref="AuthorizeUrl"/>,
/// <see cref="CodeVerifier"/> and <see cref="CodeChallenge"/> return <c>Left</c> with a
/// <see cref="KlaviyoError.Validation"/>; the token operations carry the problems in
/// <see cref="RequestOperation.Problems"/>, so building or sending them gives the same validation error and sends
/// nothing.</para>
/// <para>The token endpoints are on the API host (<c>https://a.klaviyo.com/oauth/token</c> and
/// <c>/oauth/revoke</c>; Klaviyo stopped accepting token traffic on <c>www.klaviyo.com</c>), so send them with your
/// usual <see cref="KlaviyoOptions"/>: the client authenticates with HTTP Basic (<c>client_id:client_secret</c>),
/// and the options' API key or access token is not sent. The client secret, the code, the verifier and the tokens
/// are listed in <see cref="RequestOperation.Secrets"/>, so every printer, recorder and error message masks them.</para>
/// <example><code>
/// var start =
///     from verifier in OAuth2.CodeVerifier()
///     from challenge in OAuth2.CodeChallenge(verifier)
///     from url in OAuth2.AuthorizeUrl(clientId, "https://example.com/callback", new[] { "profiles:read" }, state, challenge)
///     select (verifier, url);
/// // … later, with the code from the redirect:
/// var tokens = await OAuth2.GetToken(clientId, clientSecret, code, verifier, "https://example.com/callback")
///     .SendAsync(new KlaviyoOptions());
/// </code></example>
/// </remarks>
public static class OAuth2
{
    /// <summary>Where the user is sent to authorize the app.</summary>
    public const string AuthorizeEndpoint = "https://www.klaviyo.com/oauth/authorize";

    /// <summary>The token endpoint's path on the API host.</summary>
    public const string TokenPath = "/oauth/token";

    /// <summary>The revocation endpoint's path on the API host.</summary>
    public const string RevokePath = "/oauth/revoke";

    /// <summary>The shortest code verifier RFC 7636 allows.</summary>
    public const int MinVerifierLength = 43;

    /// <summary>The longest code verifier RFC 7636 allows.</summary>
    public const int MaxVerifierLength = 128;

    /// <summary>RFC 7636's unreserved characters, from which verifiers are drawn.</summary>
    public const string VerifierAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    /// <summary>
    /// The URL to send the user to: <see cref="AuthorizeEndpoint"/> with <c>response_type=code</c>,
    /// <c>client_id</c>, <c>redirect_uri</c>, <c>scope</c> (space-separated), <c>state</c>,
    /// <c>code_challenge_method=S256</c> and <c>code_challenge</c>, each percent-encoded (RFC 3986).
    /// </summary>
    /// <returns>The URL, or a <see cref="KlaviyoError.Validation"/> naming every problem with the input.</returns>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="redirectUri">An absolute http(s) URL registered for the app.</param>
    /// <param name="scopes">The scopes to request, e.g. <c>profiles:read</c>; at least one.</param>
    /// <param name="state">An unguessable value you check on the redirect (CSRF protection).</param>
    /// <param name="codeChallenge">The S256 challenge of the verifier (<see cref="CodeChallenge"/>).</param>
    public static Either<KlaviyoError, string> AuthorizeUrl(
        string clientId,
        string redirectUri,
        IEnumerable<string> scopes,
        string state,
        string codeChallenge
    )
    {
        var scopeList = toSeq(scopes ?? System.Array.Empty<string>()).Strict();
        var problems =
            Required("client id", clientId)
            + CheckRedirectUri(redirectUri)
            + CheckScopes(scopeList)
            + Required("state", state)
            + CheckChallenge(codeChallenge);
        if (!problems.IsEmpty)
            return Invalid(problems);
        var sb = new StringBuilder(AuthorizeEndpoint);
        PercentEncoding.AppendPairs(
            sb,
            Seq(
                ("response_type", "code"),
                ("client_id", clientId),
                ("redirect_uri", redirectUri),
                ("scope", string.Join(" ", scopeList)),
                ("state", state),
                ("code_challenge_method", "S256"),
                ("code_challenge", codeChallenge)
            ),
            '?'
        );
        return sb.ToString();
    }

    /// <summary>
    /// A new PKCE code verifier: <paramref name="length"/> characters drawn uniformly (by rejection sampling, so
    /// without modulo bias) from <see cref="VerifierAlphabet"/> with a cryptographic random number generator.
    /// </summary>
    /// <returns>The verifier, or a <see cref="KlaviyoError.Validation"/> when the length is outside 43–128.</returns>
    /// <param name="length">The length, 43–128 (RFC 7636 §4.1); 128 by default.</param>
    /// <param name="rng">The generator; the system's cryptographic generator when <c>null</c>.</param>
    public static Either<KlaviyoError, string> CodeVerifier(
        int length = MaxVerifierLength,
        RandomNumberGenerator? rng = null
    )
    {
        if (length is < MinVerifierLength or > MaxVerifierLength)
            return Invalid(
                Seq1(
                    $"code verifier length must be within {MinVerifierLength}–{MaxVerifierLength} (RFC 7636), not {length}"
                )
            );
        if (rng is null)
        {
            using var system = RandomNumberGenerator.Create();
            return Draw(length, system);
        }
        return Draw(length, rng);
    }

    /// <summary>
    /// The S256 code challenge for a verifier (RFC 7636 §4.2): base64url without padding of the SHA-256 of the
    /// verifier's ASCII bytes.
    /// </summary>
    /// <returns>The 43-character challenge, or a <see cref="KlaviyoError.Validation"/> when the verifier is not 43–128 unreserved characters.</returns>
    /// <param name="verifier">The code verifier.</param>
    public static Either<KlaviyoError, string> CodeChallenge(string verifier)
    {
        var problems = CheckVerifier(verifier);
        if (!problems.IsEmpty)
            return Invalid(problems);
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(verifier));
        return Base64Url(hash);
    }

    /// <summary>
    /// Exchanges an authorization code for tokens: <c>POST /oauth/token</c> with
    /// <c>grant_type=authorization_code</c>, <c>code</c>, <c>code_verifier</c> and <c>redirect_uri</c>, form-encoded.
    /// </summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="clientSecret">The app's client secret.</param>
    /// <param name="code">The code from the redirect.</param>
    /// <param name="codeVerifier">The verifier whose challenge went into the authorize URL.</param>
    /// <param name="redirectUri">The same redirect URI as in the authorize URL.</param>
    public static RequestOperation GetToken(
        string clientId,
        string clientSecret,
        string code,
        string codeVerifier,
        string redirectUri
    ) =>
        TokenOperation(
            TokenPath,
            clientId,
            clientSecret,
            Seq(
                ("grant_type", "authorization_code"),
                ("code", code),
                ("code_verifier", codeVerifier),
                ("redirect_uri", redirectUri)
            ),
            Required("code", code) + CheckVerifier(codeVerifier) + CheckRedirectUri(redirectUri),
            Seq(code, codeVerifier)
        );

    /// <summary>
    /// Gets a new access token with a refresh token: <c>POST /oauth/token</c> with
    /// <c>grant_type=refresh_token</c> and <c>refresh_token</c>, form-encoded.
    /// </summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="clientSecret">The app's client secret.</param>
    /// <param name="refreshToken">The refresh token.</param>
    public static RequestOperation RefreshToken(
        string clientId,
        string clientSecret,
        string refreshToken
    ) =>
        TokenOperation(
            TokenPath,
            clientId,
            clientSecret,
            Seq(("grant_type", "refresh_token"), ("refresh_token", refreshToken)),
            Required("refresh token", refreshToken),
            Seq1(refreshToken)
        );

    /// <summary>
    /// Revokes a token (RFC 7009): <c>POST /oauth/revoke</c> with <c>token</c> and, when given,
    /// <c>token_type_hint</c>, form-encoded. Revoking a refresh token ends the app's access for that account.
    /// </summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="clientSecret">The app's client secret.</param>
    /// <param name="token">The access or refresh token to revoke.</param>
    /// <param name="tokenTypeHint"><c>access_token</c> or <c>refresh_token</c>; <c>null</c> to leave it out.</param>
    public static RequestOperation RevokeToken(
        string clientId,
        string clientSecret,
        string token,
        string? tokenTypeHint = null
    ) =>
        TokenOperation(
            RevokePath,
            clientId,
            clientSecret,
            tokenTypeHint is null
                ? Seq1(("token", token))
                : Seq(("token", token), ("token_type_hint", tokenTypeHint)),
            Required("token", token)
                + (
                    tokenTypeHint is null or "access_token" or "refresh_token"
                        ? Seq<string>()
                        : Seq1(
                            $"token type hint must be 'access_token' or 'refresh_token', not '{tokenTypeHint}'"
                        )
                ),
            Seq1(token)
        );

    private static RequestOperation TokenOperation(
        string path,
        string clientId,
        string clientSecret,
        Seq<(string Name, string Value)> fields,
        Seq<string> problems,
        Seq<string> secrets
    )
    {
        // Klaviyo's examples encode "client_id:client_secret" as is (no form-encoding first), and so do we.
        var credentials = Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{clientId ?? ""}:{clientSecret ?? ""}")
        );
        return new RequestOperation(HttpMethod.Post, path)
        {
            Body = RequestBody.Form(fields.Map(f => (f.Name, f.Value ?? ""))),
            // The token endpoint answers plain JSON, not JSON:API.
            Headers = Seq(
                ("authorization", "Basic " + credentials),
                ("accept", "application/json")
            ),
            Secrets = (Seq(clientSecret ?? "", credentials) + secrets)
                .Filter(s => !string.IsNullOrEmpty(s))
                .Map(Secret.Of),
            Problems =
                Required("client id", clientId)
                + (
                    clientId?.Contains(':') == true
                        ? Seq1("client id must not contain ':'")
                        : Seq<string>()
                )
                + Required("client secret", clientSecret)
                + problems,
        };
    }

    private static string Draw(int length, RandomNumberGenerator rng)
    {
        // 66 symbols: a byte below 198 (= 3 × 66) maps uniformly by modulo; bytes 198–255 are drawn again.
        const int limit = 256 - 256 % 66;
        var chars = new char[length];
        var buffer = new byte[length * 2];
        var filled = 0;
        while (filled < length)
        {
            rng.GetBytes(buffer);
            foreach (var b in buffer)
            {
                if (b >= limit)
                    continue;
                chars[filled++] = VerifierAlphabet[b % VerifierAlphabet.Length];
                if (filled == length)
                    break;
            }
        }
        return new string(chars);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Seq<string> Required(string what, string? value) =>
        string.IsNullOrWhiteSpace(value) ? Seq1($"{what} is empty")
        : !PercentEncoding.IsWellFormed(value) ? Seq1($"{what} is not well-formed Unicode")
        : Seq<string>();

    private static Seq<string> CheckRedirectUri(string? redirectUri)
    {
        if (string.IsNullOrWhiteSpace(redirectUri))
            return Seq1("redirect URI is empty");
        if (
            !Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        )
            return Seq1($"redirect URI '{redirectUri}' must be an absolute http or https URL");
        if (uri.Fragment.Length > 0)
            return Seq1($"redirect URI '{redirectUri}' must not have a fragment");
        return Seq<string>();
    }

    private static Seq<string> CheckScopes(Seq<string> scopes)
    {
        if (scopes.IsEmpty)
            return Seq1("at least one scope is needed, e.g. 'accounts:read'");
        return scopes
            .Filter(s =>
                string.IsNullOrWhiteSpace(s)
                || s.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            )
            .Map(s => $"scope '{s}' must be non-empty and contain no whitespace");
    }

    private static Seq<string> CheckChallenge(string? challenge) =>
        challenge is { Length: 43 } && challenge.All(IsBase64UrlChar)
            ? Seq<string>()
            : Seq1(
                "code challenge must be the 43-character base64url S256 challenge of the verifier (see OAuth2.CodeChallenge)"
            );

    private static Seq<string> CheckVerifier(string? verifier) =>
        verifier is { Length: >= MinVerifierLength and <= MaxVerifierLength }
        && verifier.All(c => VerifierAlphabet.Contains(c))
            ? Seq<string>()
            : Seq1(
                $"code verifier must be {MinVerifierLength}–{MaxVerifierLength} characters from A–Z a–z 0–9 - . _ ~ (RFC 7636)"
            );

    private static bool IsBase64UrlChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';

    private static Either<KlaviyoError, string> Invalid(Seq<string> problems) =>
        new KlaviyoError.Validation(problems) { Attempts = 0 };
}
