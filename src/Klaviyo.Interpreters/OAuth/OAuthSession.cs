using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// An OAuth session for one Klaviyo account: it authorizes every request with the current access token
/// (<c>authorization: Bearer …</c>, in place of any API key), refreshes the token before it expires and after a
/// <c>401</c> (then sends the request once more), and keeps the tokens in an <see cref="ITokenStore"/>.
/// </summary>
/// <remarks>
/// <para><b>One refresh at a time.</b> However many calls need a new token at once, the session sends one refresh
/// and they all wait for it. Klaviyo may rotate the refresh token on each refresh; the new tokens are saved to the
/// store before the new access token is used, so a crash never leaves only a spent refresh token behind.</para>
/// <para><b>Revoked.</b> When the token endpoint refuses the refresh token (<c>invalid_grant</c>: the app was
/// uninstalled, the token went unused too long, or Klaviyo revoked it), calls fail with a
/// <see cref="KlaviyoError.Api"/> saying "the refresh token was revoked or expired; authorize again". The session does
/// not try again: later calls fail at once with the same error, sending nothing, until the store holds other tokens
/// (save the tokens of a new authorization to it and the next call uses them).</para>
/// <para><b>Where it sits.</b> Attach it with <see cref="OAuthSessionExtensions.WithOAuthSession"/>, which puts it
/// in <see cref="ClientOptions.Wrappers"/>: outside retrying and rate limiting, so that they see the bearer token
/// (a rate limiter keys the account on the credential), the refresh and the resend after a <c>401</c> each take a
/// rate-limit permit and are retried like any request, and a retry never loops over refreshes (a <c>401</c> is not
/// retried; it comes back to the session, which refreshes once). The refresh is sent through the interpreter the
/// session wraps — never through the session — so it works under a dry run (printed, nothing saved), a replay, a
/// recording and a stub.</para>
/// <para>The session skips requests to the client API (<c>/client/…</c>, which takes no credential) and to the token
/// endpoints (<c>/oauth/…</c>, which authenticate the app itself). Times are read from the clock given to the
/// constructor, so tests drive expiry with a fake clock.</para>
/// </remarks>
/// <example><code>
/// var session = new OAuthSession(clientId, Secret.Of(clientSecret), new FileTokenStore("klaviyo-tokens.json"));
/// var options = new KlaviyoOptions().WithOAuthSession(session);
/// var lists = await Lists.GetLists().SendAsync(options);
/// </code></example>
public sealed class OAuthSession
{
    private readonly Secret _clientSecret;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();

    // Guarded by _gate.
    private TokenSet? _tokens;
    private TokenSet? _unsaved;
    private (Secret RefreshToken, KlaviyoError Error)? _revoked;
    private Task<Either<KlaviyoError, TokenSet>>? _flight;

    /// <summary>A session for the app <paramref name="clientId"/>, keeping its tokens in <paramref name="store"/>.</summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="clientSecret">The app's client secret.</param>
    /// <param name="store">Where the tokens are kept; it must already hold tokens when the first request is sent
    /// (save <see cref="TokenSet.From(KlaviyoResponse, DateTimeOffset)"/> of the code exchange to it).</param>
    /// <param name="clock">The clock expiry is measured on; the system clock when <c>null</c>.</param>
    public OAuthSession(
        string clientId,
        Secret clientSecret,
        ITokenStore store,
        TimeProvider? clock = null
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentNullException.ThrowIfNull(clientSecret);
        ArgumentNullException.ThrowIfNull(store);
        ClientId = clientId;
        _clientSecret = clientSecret;
        Store = store;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The app's client id.</summary>
    public string ClientId { get; }

    /// <summary>Where the tokens are kept.</summary>
    public ITokenStore Store { get; }

    /// <summary>
    /// How long before the access token expires the session refreshes it: 60 seconds by default, so a request never
    /// leaves with a token that expires on the way.
    /// </summary>
    public TimeSpan RefreshBeforeExpiry { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An interpreter that sends through <paramref name="inner"/> with this session's access token. Prefer
    /// <see cref="OAuthSessionExtensions.WithOAuthSession"/>, which puts it where it belongs; use this to place it
    /// yourself in <see cref="ClientOptions.Wrappers"/>.
    /// </summary>
    /// <param name="inner">The interpreter it wraps; refreshes are sent through it too.</param>
    /// <param name="options">The options refresh requests are built with (host, port, protocol, base path, timeout) —
    /// the options the wrapped requests come from.</param>
    public IInterpreter Wrap(IInterpreter inner, KlaviyoOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        return new OAuthBearer(this, inner, options);
    }

    /// <summary>
    /// Whether <paramref name="error"/> says the token endpoint refused the refresh token (<c>invalid_grant</c>: the
    /// app was uninstalled, the token went unused too long, or Klaviyo revoked it). Only authorizing again helps: send
    /// the user through the authorize URL and save the new tokens to the store.
    /// </summary>
    /// <param name="error">An error a call with the session returned.</param>
    public static bool IsRevoked(KlaviyoError error) => TokenEndpoint.IsRevoked(error);

    /// <summary>The client id and the store; never a token or the client secret.</summary>
    public override string ToString() => $"OAuthSession(client {ClientId}, {Store})";

    /// <summary>
    /// The tokens to send with: the current ones when they are fresh (and not <paramref name="rejected"/>), else the
    /// outcome of the one flight that loads the store and refreshes when needed, shared by every caller waiting.
    /// </summary>
    /// <param name="rejected">The access token a <c>401</c> answered, if any: never handed out again.</param>
    /// <param name="endpoint">Where a refresh is sent, should one be needed.</param>
    /// <param name="cancellationToken">Stops this caller waiting (the flight goes on for the others).</param>
    internal async Task<Either<KlaviyoError, TokenSet>> TokensAsync(
        Secret? rejected,
        TokenEndpoint endpoint,
        CancellationToken cancellationToken
    )
    {
        for (var round = 1; ; round++)
        {
            Task<Either<KlaviyoError, TokenSet>> flight;
            bool joined;
            lock (_gate)
            {
                if (
                    _flight is null
                    && _revoked is null
                    && _unsaved is null
                    && _tokens is { } current
                    && Usable(current, rejected)
                )
                    return current;
                joined = _flight is not null;
                // Task.Run: the flight never runs inline here, so it cannot finish (and clear _flight) before it is set.
                flight = _flight ??= Task.Run(() => FlyAsync(rejected, endpoint));
            }
            Either<KlaviyoError, TokenSet> outcome;
            try
            {
                outcome = await flight.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new KlaviyoError.Cancelled { Attempts = 0 };
            }
            // A flight another caller started (to load the store, say) may bring back the very token a 401 refused:
            // then one flight of our own, which refreshes it.
            if (
                round == 1
                && joined
                && rejected is not null
                && outcome.Exists(tokens => tokens.AccessToken.Equals(rejected))
            )
                continue;
            return outcome;
        }
    }

    private bool Usable(TokenSet tokens, Secret? rejected) =>
        !tokens.ExpiresWithin(RefreshBeforeExpiry, _clock.GetUtcNow())
        && (rejected is null || !tokens.AccessToken.Equals(rejected));

    private async Task<Either<KlaviyoError, TokenSet>> FlyAsync(
        Secret? rejected,
        TokenEndpoint endpoint
    )
    {
        Either<KlaviyoError, TokenSet> outcome;
        try
        {
            outcome = await FlyCoreAsync(rejected, endpoint).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Only a store can throw here (the wrapped interpreter returns its failures).
            outcome = StoreFailed(e);
        }
        lock (_gate)
            _flight = null;
        return outcome;
    }

    private async Task<Either<KlaviyoError, TokenSet>> FlyCoreAsync(
        Secret? rejected,
        TokenEndpoint endpoint
    )
    {
        TokenSet current;
        TokenSet? unsaved;
        lock (_gate)
            unsaved = _unsaved;
        if (unsaved is not null)
        {
            // Refreshed tokens the store failed to save are the newest there are (the refresh token they replace may
            // be spent): save them before anything else.
            try
            {
                await Store.SaveAsync(unsaved, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return StoreFailed(e, unsaved);
            }
            lock (_gate)
            {
                _unsaved = null;
                _tokens = unsaved;
            }
            current = unsaved;
        }
        else
        {
            // The store is the truth: another process may have refreshed, or the user saved a new authorization.
            var stored = await Store.LoadAsync(CancellationToken.None).ConfigureAwait(false);
            if (stored is null)
                return NoTokens();
            lock (_gate)
            {
                if (_revoked is { } revoked && revoked.RefreshToken.Equals(stored.RefreshToken))
                    return revoked.Error with { Attempts = 0 };
                _revoked = null;
                _tokens = stored;
            }
            current = stored;
        }
        if (Usable(current, rejected))
            return current;
        return await RefreshAsync(current, rejected, endpoint).ConfigureAwait(false);
    }

    private async Task<Either<KlaviyoError, TokenSet>> RefreshAsync(
        TokenSet current,
        Secret? rejected,
        TokenEndpoint endpoint
    )
    {
        var answer = await endpoint
            .RefreshAsync(ClientId, _clientSecret, current.RefreshToken)
            .ConfigureAwait(false);
        // A dry run printed the refresh and sent nothing: carry on with the tokens there are, saving nothing.
        if (endpoint.IsDryRun)
            return current;
        var receivedAt = _clock.GetUtcNow();
        return await answer
            .MatchAsync(
                response => Adopt(response, receivedAt, current),
                error => Refused(error, current, rejected)
            )
            .ConfigureAwait(false);
    }

    private Task<Either<KlaviyoError, TokenSet>> Adopt(
        KlaviyoResponse response,
        DateTimeOffset receivedAt,
        TokenSet previous
    ) =>
        TokenSet
            .From(response, receivedAt, previous)
            .MatchAsync(
                async fresh =>
                {
                    // A replayed fixture answers with redacted tokens: usable for the replay, never worth saving.
                    if (!fresh.AccessToken.Equals(Secret.Of(Secret.Mask)))
                    {
                        try
                        {
                            await Store
                                .SaveAsync(fresh, CancellationToken.None)
                                .ConfigureAwait(false);
                        }
                        catch (Exception e)
                        {
                            lock (_gate)
                                _unsaved = fresh;
                            return StoreFailed(e, fresh);
                        }
                    }
                    lock (_gate)
                        _tokens = fresh;
                    return Right<KlaviyoError, TokenSet>(fresh);
                },
                error => error
            );

    private async Task<Either<KlaviyoError, TokenSet>> Refused(
        KlaviyoError error,
        TokenSet current,
        Secret? rejected
    )
    {
        if (!TokenEndpoint.IsRevoked(error))
            return error;
        // Another process sharing the store may have refreshed first and spent the refresh token we sent: its
        // tokens are in the store now.
        var stored = await Store.LoadAsync(CancellationToken.None).ConfigureAwait(false);
        lock (_gate)
        {
            if (
                stored is not null
                && !stored.RefreshToken.Equals(current.RefreshToken)
                && Usable(stored, rejected)
            )
            {
                _tokens = stored;
                return stored;
            }
            _revoked = (current.RefreshToken, error);
        }
        return error;
    }

    private KlaviyoError NoTokens() =>
        new KlaviyoError.Validation(
            Seq1(
                $"no OAuth tokens in {Store}; authorize first: exchange the code with OAuth2.GetToken and save TokenSet.From(response) to the store"
            )
        )
        {
            Attempts = 0,
        };

    private KlaviyoError StoreFailed(Exception e, TokenSet? fresh = null)
    {
        var secrets = Seq1(_clientSecret);
        lock (_gate)
        {
            foreach (var tokens in new[] { _tokens, _unsaved, fresh })
                if (tokens is not null)
                    secrets = secrets.Add(tokens.AccessToken).Add(tokens.RefreshToken);
        }
        var what = fresh is null
            ? "the token store failed"
            : "the refreshed tokens could not be saved (the session keeps them and saves them before the next request)";
        // The one scrubbing rule, reached through a request that carries the secrets.
        var scrubbed = new KlaviyoRequest(HttpMethod.Get, "", "") { Secrets = secrets }.Scrub(
            $"{what}: {e.Message} ({e.GetType().Name})"
        );
        return new KlaviyoError.Transport(scrubbed) { Attempts = 0, RequestSent = false };
    }
}
