using System.Net;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// The wrapper an <see cref="OAuthSession"/> puts in the chain: each request goes out with the session's access token
/// in place of any other credential; after a <c>401</c> it is sent once more with a refreshed token, and never a
/// third time.
/// </summary>
internal sealed class OAuthBearer : IInterpreter
{
    private readonly OAuthSession _session;
    private readonly IInterpreter _inner;
    private readonly TokenEndpoint _endpoint;
    private readonly string _clientPath;
    private readonly string _oauthPath;
    private readonly string? _insecureHost;

    public OAuthBearer(OAuthSession session, IInterpreter inner, KlaviyoOptions options)
    {
        _session = session;
        _inner = inner;
        _endpoint = new TokenEndpoint(inner, options);
        var basePath = BasePath(options.Path);
        _clientPath = basePath + "/client/";
        _oauthPath = basePath + "/oauth/";
        // The same rule request building applies to an API key: no bearer token over plain http except to loopback.
        _insecureHost =
            options.Protocol.Equals("http", StringComparison.OrdinalIgnoreCase)
            && !IsLoopback(options.Host)
            && !options.ClientOptions.AllowInsecureCredentials
                ? options.Host
                : null;
    }

    public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        if (!Authorizes(request))
            return await _inner.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        if (_insecureHost is { } host)
            return new KlaviyoError.Validation(
                Seq1(
                    $"refusing to send the OAuth access token over plain http to {host}; use https, or allow insecure credentials in the client options"
                )
            )
            {
                Attempts = 0,
            };
        var tokens = await _session
            .TokensAsync(null, _endpoint, cancellationToken)
            .ConfigureAwait(false);
        return await tokens
            .MatchAsync(
                tokens => SendAsync(request, tokens, cancellationToken),
                error => Left<KlaviyoError, RawResponse>(error)
            )
            .ConfigureAwait(false);
    }

    private async Task<Either<KlaviyoError, RawResponse>> SendAsync(
        KlaviyoRequest request,
        TokenSet tokens,
        CancellationToken cancellationToken
    )
    {
        var first = await _inner
            .ExecuteAsync(Authorize(request, tokens), cancellationToken)
            .ConfigureAwait(false);
        if (!first.Exists(response => response.StatusCode == 401))
            return first;
        // Klaviyo answers 401 to an access token it no longer accepts (expired early, or revoked): refresh once (or
        // take the token another caller just got) and send once more. A second 401 is the answer.
        var sent = first.Match(response => response.Attempts, _ => 0);
        var next = await _session
            .TokensAsync(tokens.AccessToken, _endpoint, cancellationToken)
            .ConfigureAwait(false);
        return await next.MatchAsync(
                async fresh =>
                    (
                        await _inner
                            .ExecuteAsync(Authorize(request, fresh), cancellationToken)
                            .ConfigureAwait(false)
                    ).BiMap(
                        response => response with { Attempts = response.Attempts + sent },
                        error => error with { Attempts = error.Attempts + sent }
                    ),
                error => Left<KlaviyoError, RawResponse>(error with { Attempts = sent })
            )
            .ConfigureAwait(false);
    }

    private bool Authorizes(KlaviyoRequest request) =>
        !request.Path.StartsWith(_clientPath, StringComparison.Ordinal)
        && !request.Path.StartsWith(_oauthPath, StringComparison.Ordinal);

    private static KlaviyoRequest Authorize(KlaviyoRequest request, TokenSet tokens)
    {
        var credential = Secret.Of("Bearer " + tokens.AccessToken.Reveal());
        return request with
        {
            Authorization = credential,
            Secrets = request.Secrets.Add(credential).Add(tokens.AccessToken),
        };
    }

    // As request building writes it: empty, or "/" and the path without a trailing slash.
    private static string BasePath(string path)
    {
        var trimmed = path.Trim().TrimEnd('/');
        return trimmed.Length == 0 ? ""
            : trimmed.StartsWith('/') ? trimmed
            : "/" + trimmed;
    }

    private static bool IsLoopback(string host)
    {
        var h = host.Trim('[', ']');
        return h.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || h.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(h, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>The session and the wrapped interpreter.</summary>
    public override string ToString() => $"OAuthSession({_session.ClientId}, {_inner})";
}
