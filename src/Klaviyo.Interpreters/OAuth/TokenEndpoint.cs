using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Where an <see cref="OAuthSession"/> refreshes: the pure <see cref="OAuth2.RefreshToken"/> operation, built with the
/// options the session was attached to and sent through the interpreter the session wraps (so a dry run prints it,
/// a fixture replays it, a stub answers it, and retrying and rate limiting apply) — never through the session again.
/// </summary>
/// <param name="inner">The interpreter the session wraps.</param>
/// <param name="options">The options the refresh request is built with (host, port, base path, timeout).</param>
internal sealed class TokenEndpoint(IInterpreter inner, KlaviyoOptions options)
{
    /// <summary>Whether requests are only printed: then no answer is a real token response, and nothing is saved.</summary>
    public bool IsDryRun => options.Client is DryRunInterpreter;

    /// <summary>
    /// Sends the refresh grant and classifies the answer; an error says what failed, in words a person can act on.
    /// The exchange is not cancelled by any one caller: the refresh serves every caller waiting for it, and cutting it
    /// short after Klaviyo rotated the refresh token would lose the new one.
    /// </summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="clientSecret">The app's client secret.</param>
    /// <param name="refreshToken">The refresh token.</param>
    public Task<Either<KlaviyoError, KlaviyoResponse>> RefreshAsync(
        string clientId,
        Secret clientSecret,
        Secret refreshToken
    ) =>
        OAuth2
            .RefreshToken(clientId, clientSecret.Reveal(), refreshToken.Reveal())
            .Build(options)
            .MatchAsync(
                async request =>
                {
                    Either<KlaviyoError, RawResponse> outcome;
                    try
                    {
                        outcome = await inner
                            .ExecuteAsync(request, CancellationToken.None)
                            .ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        // A wrapper of the user's that throws; the transport itself is guarded.
                        outcome = new KlaviyoError.Transport(
                            request.Scrub($"{e.Message} ({e.GetType().Name})")
                        );
                    }
                    return outcome
                        .Bind(raw => raw.Classify(options.JsonCodec, request.Secrets))
                        .MapLeft(error => Explain(error, request));
                },
                error => Either<KlaviyoError, KlaviyoResponse>.Left(Explain(error, null))
            );

    /// <summary>
    /// Whether the token endpoint refused the refresh token itself: <c>invalid_grant</c> (RFC 6749 §5.2; Klaviyo's
    /// examples: the app was uninstalled, the token went unused for 90 days, or Klaviyo revoked it), or
    /// <c>invalid_grant_type</c>, under which Klaviyo's troubleshooting guide files an expired or revoked refresh token.
    /// Only authorizing again helps.
    /// </summary>
    /// <param name="error">The refresh's error.</param>
    public static bool IsRevoked(KlaviyoError error) =>
        error is KlaviyoError.Api { StatusCode: >= 400 and < 500 } api
        && ErrorCode(api) is "invalid_grant" or "invalid_grant_type";

    private static KlaviyoError Explain(KlaviyoError error, KlaviyoRequest? request) =>
        error switch
        {
            KlaviyoError.Api api when IsRevoked(api) => api with
            {
                Summary =
                    $"the refresh token was revoked or expired; authorize again (Klaviyo's token endpoint answered {api.StatusCode} {ErrorCode(api)})",
            },
            KlaviyoError.Api api => api with
            {
                Summary = Scrub(
                    $"refreshing the OAuth access token failed: the token endpoint answered {api.StatusCode}"
                        + (ErrorCode(api) is { } code ? $" {code}" : "")
                        + (Description(api) is { } text ? $": {text}" : ""),
                    request
                ),
            },
            KlaviyoError.Transport transport => transport with
            {
                Reason = "refreshing the OAuth access token: " + transport.Reason,
            },
            KlaviyoError.Decode decode => decode with
            {
                Reason = "refreshing the OAuth access token: " + decode.Reason,
                RawText = "",
            },
            KlaviyoError.Validation validation => validation with
            {
                Problems = validation.Problems.Map(p => "refreshing the OAuth access token: " + p),
            },
            _ => error,
        };

    private static string Scrub(string text, KlaviyoRequest? request) =>
        request is null ? text : request.Scrub(text);

    private static string? ErrorCode(KlaviyoError.Api api) => Field(api, "error");

    private static string? Description(KlaviyoError.Api api) => Field(api, "error_description");

    private static string? Field(KlaviyoError.Api api, string name) =>
        api.Response.Body is ResponseBody.Json { Value: { ValueKind: JsonValueKind.Object } json }
        && json.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
