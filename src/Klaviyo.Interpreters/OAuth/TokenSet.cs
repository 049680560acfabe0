using System.Globalization;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// The tokens an OAuth session holds for one Klaviyo account: the access token sent on each request, the refresh
/// token that gets the next one, when the access token expires, and the scopes granted. The tokens are
/// <see cref="Secret"/>s: <see cref="ToString"/>, the debugger and JSON never show them.
/// </summary>
/// <param name="AccessToken">The access token, sent as <c>authorization: Bearer …</c>.</param>
/// <param name="RefreshToken">The refresh token (Klaviyo may rotate it on each refresh).</param>
/// <param name="ExpiresAt">When the access token expires; <see cref="DateTimeOffset.MaxValue"/> when the server did not say.</param>
/// <param name="Scopes">The scopes granted, e.g. <c>profiles:read</c>.</param>
public sealed record TokenSet(
    Secret AccessToken,
    Secret RefreshToken,
    DateTimeOffset ExpiresAt,
    Seq<string> Scopes = default
)
{
    /// <summary>
    /// The tokens in a token endpoint's answer (RFC 6749 §5.1: <c>access_token</c>, <c>refresh_token</c>,
    /// <c>expires_in</c> in seconds, <c>scope</c> space-separated), e.g. the response to <see cref="OAuth2.GetToken"/>;
    /// save them to your <see cref="ITokenStore"/> to start a session. Pure.
    /// </summary>
    /// <example><code>
    /// var tokens = (await OAuth2.GetToken(clientId, clientSecret, code, verifier, redirectUri).SendAsync(options))
    ///     .Bind(response => TokenSet.From(response, DateTimeOffset.UtcNow));
    /// </code></example>
    /// <returns>The tokens, or a <see cref="KlaviyoError.Decode"/> (which never quotes the body) when the answer is not a successful token response.</returns>
    /// <param name="response">The token endpoint's response.</param>
    /// <param name="receivedAt">When it was received: <c>expires_in</c> counts from then.</param>
    public static Either<KlaviyoError, TokenSet> From(
        KlaviyoResponse response,
        DateTimeOffset receivedAt
    ) => From(response, receivedAt, previous: null);

    /// <summary>
    /// As <see cref="From(KlaviyoResponse, DateTimeOffset)"/>; a refresh answer without <c>refresh_token</c> or
    /// <c>scope</c> keeps those of <paramref name="previous"/> (RFC 6749 §6: the server may keep the refresh token).
    /// </summary>
    internal static Either<KlaviyoError, TokenSet> From(
        KlaviyoResponse response,
        DateTimeOffset receivedAt,
        TokenSet? previous
    )
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.IsSuccess)
            return Undecodable(response, $"status {response.StatusCode} is not a token response");
        if (response.Json.Case is not JsonElement { ValueKind: JsonValueKind.Object } json)
            return Undecodable(response, "the token response is not a JSON object");
        var access = Text(json, "access_token");
        if (access is null)
            return Undecodable(response, "the token response has no access_token");
        var refresh = Secret.OrNull(Text(json, "refresh_token")) ?? previous?.RefreshToken;
        if (refresh is null)
            return Undecodable(response, "the token response has no refresh_token");
        var expiresAt = DateTimeOffset.MaxValue;
        if (json.TryGetProperty("expires_in", out var expiresIn))
        {
            if (!Seconds(expiresIn, out var seconds))
                return Undecodable(response, "expires_in is not a number of seconds");
            expiresAt = receivedAt + TimeSpan.FromSeconds(seconds);
        }
        var scope = Text(json, "scope");
        var scopes = scope is null
            ? previous?.Scopes ?? Seq<string>()
            : toSeq(scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Strict();
        return new TokenSet(Secret.Of(access), refresh, expiresAt, scopes);
    }

    /// <summary>Whether the access token must be refreshed at <paramref name="now"/>: it expires within <paramref name="skew"/>.</summary>
    internal bool ExpiresWithin(TimeSpan skew, DateTimeOffset now) =>
        ExpiresAt != DateTimeOffset.MaxValue && ExpiresAt - now <= skew;

    /// <summary>The expiry and the scopes; the tokens only as <c>[REDACTED]</c>.</summary>
    public override string ToString() =>
        $"TokenSet {{ AccessToken = {Secret.Mask}, RefreshToken = {Secret.Mask}, ExpiresAt = {ExpiresAt.ToString("O", CultureInfo.InvariantCulture)}, Scopes = [{string.Join(" ", Scopes)}] }}";

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    // Servers write expires_in as a number; some as a numeric string.
    private static bool Seconds(JsonElement value, out double seconds)
    {
        seconds = 0;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out seconds),
            JsonValueKind.String => double.TryParse(
                value.GetString(),
                NumberStyles.Float,
                CultureInfo.InvariantCulture,
                out seconds
            ),
            _ => false,
        };
        return ok && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds / 2;
    }

    // The body holds tokens: the error never carries it.
    private static KlaviyoError Undecodable(KlaviyoResponse response, string reason) =>
        new KlaviyoError.Decode(reason, response.StatusCode, response.Headers, "")
        {
            Attempts = response.Attempts,
        };
}
