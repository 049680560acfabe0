using LanguageExt;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.OAuthSessions;

/// <summary>
/// The whole session flow against a local Klaviyo-like server (<see cref="TokenServer"/>): expiry is driven by a fake
/// clock, concurrency by holding the token endpoint until every caller waits on it; nothing waits on the wall clock.
/// </summary>
public class OAuthSessionTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RequestOperation GetLists = new(HttpMethod.Get, "/api/lists");

    private sealed class Setup : IAsyncDisposable
    {
        public FakeTimeProvider Clock { get; } = new(Start);
        public TokenServer Server { get; private set; } = null!;
        public ITokenStore Store { get; private set; } = null!;
        public TokenSet Initial { get; private set; } = null!;
        public OAuthSession Session { get; private set; } = null!;
        public KlaviyoOptions Options { get; private set; } = null!;

        public static async Task<Setup> StartAsync(
            Func<TokenSet, ITokenStore>? store = null,
            KlaviyoOptions? options = null
        )
        {
            var setup = new Setup();
            setup.Server = await TokenServer.StartAsync(setup.Clock);
            setup.Initial = setup.Server.Authorize();
            setup.Store = (store ?? (t => new InMemoryTokenStore(t)))(setup.Initial);
            setup.Session = new OAuthSession(
                TokenServer.ClientId,
                Secret.Of(setup.Server.ClientSecret),
                setup.Store,
                setup.Clock
            );
            setup.Options = setup.Server.Options(options).WithOAuthSession(setup.Session);
            return setup;
        }

        public Task<Either<KlaviyoError, KlaviyoResponse>> SendAsync(
            CancellationToken cancellationToken = default
        ) => GetLists.SendAsync(Options, cancellationToken);

        public async Task<TokenSet> StoredAsync() =>
            await Store.LoadAsync(CancellationToken.None)
            ?? throw new Xunit.Sdk.XunitException("the store is empty");

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    private static KlaviyoResponse Ok(Either<KlaviyoError, KlaviyoResponse> result) =>
        result.Match(
            r => r,
            e => throw new Xunit.Sdk.XunitException("expected a response, got " + e)
        );

    private static KlaviyoError Failed(Either<KlaviyoError, KlaviyoResponse> result) =>
        result.Match(
            r => throw new Xunit.Sdk.XunitException("expected an error, got " + r),
            e => e
        );

    [Fact]
    public async Task Sends_the_access_token_as_a_bearer_in_place_of_the_api_key()
    {
        await using var s = await Setup.StartAsync(
            options: new KlaviyoOptions { ApiKey = "pk_not_sent" }
        );

        Ok(await s.SendAsync());

        Assert.Equal([s.Initial.AccessToken.Reveal()], s.Server.BearersSeen);
        Assert.DoesNotContain(
            s.Server.Http.Received,
            r => r.Header("authorization")?.Contains("pk_not_sent") == true
        );
        Assert.Equal(0, s.Server.RefreshAttempts);
    }

    [Fact]
    public async Task Refreshes_the_access_token_before_it_expires_on_the_clock()
    {
        await using var s = await Setup.StartAsync();

        // 61 s before expiry: outside the 60 s margin, the token is used as is.
        s.Clock.Advance(TokenServer.Lifetime - TimeSpan.FromSeconds(61));
        Ok(await s.SendAsync());
        Assert.Equal(0, s.Server.RefreshAttempts);

        // 59 s before expiry: inside the margin, refreshed before sending, while the old token would still work.
        s.Clock.Advance(TimeSpan.FromSeconds(2));
        Ok(await s.SendAsync());

        Assert.Equal(1, s.Server.Refreshes);
        Assert.Equal(0, s.Server.Unauthorized);
        var stored = await s.StoredAsync();
        Assert.Equal(stored.AccessToken.Reveal(), s.Server.BearersSeen[^1]);
        Assert.NotEqual(s.Initial.AccessToken, stored.AccessToken);
        Assert.Equal(s.Clock.GetUtcNow() + TokenServer.Lifetime, stored.ExpiresAt);
    }

    [Fact]
    public async Task The_refresh_margin_is_configurable()
    {
        await using var s = await Setup.StartAsync();
        var session = new OAuthSession(
            TokenServer.ClientId,
            Secret.Of(s.Server.ClientSecret),
            s.Store,
            s.Clock
        )
        {
            RefreshBeforeExpiry = TimeSpan.FromMinutes(10),
        };
        var options = s.Server.Options().WithOAuthSession(session);

        s.Clock.Advance(TokenServer.Lifetime - TimeSpan.FromMinutes(9));
        Ok(await GetLists.SendAsync(options));

        Assert.Equal(1, s.Server.Refreshes);
        Assert.Equal(0, s.Server.Unauthorized);
    }

    [Fact]
    public async Task Refreshes_after_a_401_and_sends_the_request_once_more()
    {
        await using var s = await Setup.StartAsync();
        s.Server.ExpireAccessTokens(); // Klaviyo no longer accepts it, though it has not expired on our clock

        var response = Ok(await s.SendAsync());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(2, response.Attempts);
        Assert.Equal(1, s.Server.Refreshes);
        Assert.Equal(1, s.Server.Unauthorized);
        Assert.Equal(2, s.Server.ApiCalls);
        Assert.Equal((await s.StoredAsync()).AccessToken.Reveal(), s.Server.BearersSeen[^1]);
    }

    [Fact]
    public async Task A_second_401_is_the_answer_after_one_refresh_and_one_resend()
    {
        await using var s = await Setup.StartAsync();
        s.Server.RejectAllBearers = true;

        var error = Assert.IsType<KlaviyoError.Api>(Failed(await s.SendAsync()));

        Assert.Equal(401, error.StatusCode);
        Assert.False(OAuthSession.IsRevoked(error));
        Assert.Equal(1, s.Server.RefreshAttempts);
        Assert.Equal(2, s.Server.ApiCalls);
    }

    [Fact]
    public async Task Sixty_four_concurrent_calls_needing_a_new_token_share_one_refresh()
    {
        await using var s = await Setup.StartAsync();
        s.Clock.Advance(TokenServer.Lifetime);
        var arrived = s.Server.HoldRefreshes();

        var calls = Enumerable.Range(0, 64).Select(_ => s.SendAsync()).ToArray();
        await arrived.WaitAsync(TimeSpan.FromSeconds(30));
        // The refresh is held at the server, so no call can have a token yet.
        Assert.DoesNotContain(calls, c => c.IsCompleted);
        s.Server.Release();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(200, Ok(r).StatusCode));
        Assert.Equal(1, s.Server.RefreshAttempts);
        var fresh = (await s.StoredAsync()).AccessToken.Reveal();
        Assert.Equal(64, s.Server.BearersSeen.Count);
        Assert.All(s.Server.BearersSeen, b => Assert.Equal(fresh, b));
    }

    [Fact]
    public async Task Sixty_four_concurrent_401s_share_one_refresh()
    {
        await using var s = await Setup.StartAsync();
        s.Server.ExpireAccessTokens();
        // Every call sends the old token and gets its 401 at the same moment.
        s.Server.AnswerUnauthorizedTogether(64);

        var calls = Enumerable.Range(0, 64).Select(_ => s.SendAsync()).ToArray();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(200, Ok(r).StatusCode));
        Assert.Equal(1, s.Server.RefreshAttempts);
        Assert.Equal(64, s.Server.Unauthorized);
        Assert.Equal(128, s.Server.ApiCalls);
    }

    [Fact]
    public async Task Saves_the_rotated_refresh_token_before_using_the_new_access_token()
    {
        TokenServer? server = null;
        var seenBeforeSave = new List<bool>();
        await using var s = await Setup.StartAsync(store: initial => new ObservedStore(
            new InMemoryTokenStore(initial),
            saved => seenBeforeSave.Add(server!.BearersSeen.Contains(saved.AccessToken.Reveal()))
        ));
        server = s.Server;
        s.Clock.Advance(TokenServer.Lifetime);

        Ok(await s.SendAsync());

        var stored = await s.StoredAsync();
        Assert.Equal(s.Server.CurrentRefreshToken, stored.RefreshToken.Reveal());
        Assert.NotEqual(s.Initial.RefreshToken, stored.RefreshToken);
        Assert.Equal(new[] { "lists:read", "profiles:read" }, stored.Scopes.ToArray());
        // Saved once, and at that moment the server had not yet seen the new access token.
        Assert.Equal([false], seenBeforeSave);
    }

    [Fact]
    public async Task Each_refresh_uses_the_refresh_token_the_last_one_returned()
    {
        await using var s = await Setup.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            s.Clock.Advance(TokenServer.Lifetime);
            Ok(await s.SendAsync());
        }

        // With rotation, a refresh with a spent token would be refused: all three worked.
        Assert.Equal(3, s.Server.Refreshes);
        Assert.Equal(3, s.Server.RefreshAttempts);
    }

    [Fact]
    public async Task A_revoked_refresh_token_is_a_clear_error_after_one_attempt_and_no_loop()
    {
        await using var s = await Setup.StartAsync();
        s.Server.RevokeRefreshToken();
        s.Clock.Advance(TokenServer.Lifetime);

        var first = Assert.IsType<KlaviyoError.Api>(Failed(await s.SendAsync()));
        Assert.StartsWith(
            "the refresh token was revoked or expired; authorize again",
            first.Message
        );
        Assert.Equal(400, first.StatusCode);
        Assert.True(OAuthSession.IsRevoked(first));
        Assert.Equal(1, s.Server.RefreshAttempts);

        // Later calls fail at once with the same error and send nothing.
        for (var i = 0; i < 5; i++)
        {
            var again = Failed(await s.SendAsync());
            Assert.Equal(first.Message, again.Message);
            Assert.Equal(0, again.Attempts);
        }
        Assert.Equal(1, s.Server.RefreshAttempts);
        Assert.Equal(0, s.Server.ApiCalls);

        // Until the store holds a new authorization.
        await s.Store.SaveAsync(s.Server.Authorize(), CancellationToken.None);
        Ok(await s.SendAsync());
        Assert.Equal(1, s.Server.RefreshAttempts);
    }

    [Fact]
    public async Task Sixty_four_concurrent_calls_with_a_revoked_refresh_token_make_one_attempt()
    {
        await using var s = await Setup.StartAsync();
        s.Server.RevokeRefreshToken();
        s.Clock.Advance(TokenServer.Lifetime);

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => s.SendAsync()));

        Assert.All(
            results,
            r => Assert.Contains("revoked or expired; authorize again", Failed(r).Message)
        );
        Assert.Equal(1, s.Server.RefreshAttempts);
        Assert.Equal(0, s.Server.ApiCalls);
    }

    [Fact]
    public async Task A_refresh_goes_through_retrying_like_any_request()
    {
        await using var s = await Setup.StartAsync(
            options: new KlaviyoOptions { Retry = Retry.Linear }
        );
        s.Server.FailNextRefreshes(1);
        s.Clock.Advance(TokenServer.Lifetime);

        Ok(await s.SendAsync());

        Assert.Equal(2, s.Server.RefreshAttempts); // a 503, then the retry
        Assert.Equal(1, s.Server.Refreshes);
    }

    [Fact]
    public async Task A_failed_refresh_says_so_and_the_next_call_tries_again()
    {
        await using var s = await Setup.StartAsync();
        s.Server.FailNextRefreshes(1);
        s.Clock.Advance(TokenServer.Lifetime);

        var error = Assert.IsType<KlaviyoError.Api>(Failed(await s.SendAsync()));
        Assert.Equal(
            "refreshing the OAuth access token failed: the token endpoint answered 503 temporarily_unavailable",
            error.Message
        );
        Assert.False(OAuthSession.IsRevoked(error));

        Ok(await s.SendAsync());
        Assert.Equal(2, s.Server.RefreshAttempts);
        Assert.Equal(1, s.Server.ApiCalls);
    }

    [Fact]
    public async Task Rate_limiting_sees_the_bearer_token_the_session_sets()
    {
        var limiter = new RecordingLimiter();
        await using var s = await Setup.StartAsync(
            options: new KlaviyoOptions
            {
                ApiKey = "pk_not_sent",
                ClientOptions = new ClientOptions { RateLimiter = limiter },
            }
        );
        s.Server.ExpireAccessTokens();

        Ok(await s.SendAsync());

        var fresh = (await s.StoredAsync()).AccessToken.Reveal();
        // The first send, the refresh (client credentials), and the resend: each took a permit.
        Assert.Equal(
            [
                ("/api/lists", "Bearer " + s.Initial.AccessToken.Reveal()),
                ("/oauth/token", "Basic"),
                ("/api/lists", "Bearer " + fresh),
            ],
            limiter.Seen.Select(x =>
                (x.Path, x.Authorization.StartsWith("Basic ") ? "Basic" : x.Authorization)
            )
        );
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_does_not_cancel_the_refresh_others_wait_for()
    {
        await using var s = await Setup.StartAsync();
        s.Clock.Advance(TokenServer.Lifetime);
        var arrived = s.Server.HoldRefreshes();
        using var stop = new CancellationTokenSource();

        var leaving = s.SendAsync(stop.Token);
        var staying = s.SendAsync();
        await arrived.WaitAsync(TimeSpan.FromSeconds(30));
        stop.Cancel();
        Assert.IsType<KlaviyoError.Cancelled>(Failed(await leaving));
        s.Server.Release();

        Ok(await staying);
        Assert.Equal(1, s.Server.RefreshAttempts);
        Assert.Equal(1, s.Server.Refreshes);
    }

    [Fact]
    public async Task Tokens_another_process_saved_are_used_without_a_refresh()
    {
        await using var s = await Setup.StartAsync();
        s.Clock.Advance(TokenServer.Lifetime);
        // Another worker sharing the store refreshed first.
        await s.Store.SaveAsync(s.Server.Authorize(), CancellationToken.None);

        Ok(await s.SendAsync());

        Assert.Equal(0, s.Server.RefreshAttempts);
    }

    [Fact]
    public async Task Two_processes_refreshing_at_once_end_up_on_the_winners_tokens()
    {
        await using var s = await Setup.StartAsync();
        var shared = new SharedStore(s.Initial);
        OAuthSession Process() =>
            new(TokenServer.ClientId, Secret.Of(s.Server.ClientSecret), shared.View(), s.Clock);
        var first = s.Server.Options().WithOAuthSession(Process());
        var second = s.Server.Options().WithOAuthSession(Process());
        s.Clock.Advance(TokenServer.Lifetime);
        var bothArrived = s.Server.HoldRefreshes(arrivals: 2);

        var calls = new[] { GetLists.SendAsync(first), GetLists.SendAsync(second) };
        await bothArrived.WaitAsync(TimeSpan.FromSeconds(30));
        s.Server.Release();
        var results = await Task.WhenAll(calls);

        // One refresh won; the other was refused (its refresh token was spent), found the winner's tokens in the
        // store and used them.
        Assert.All(results, r => Assert.Equal(200, Ok(r).StatusCode));
        Assert.Equal(2, s.Server.RefreshAttempts);
        Assert.Equal(1, s.Server.Refreshes);
        var winner = (await shared.View().LoadAsync(CancellationToken.None))!;
        Assert.All(s.Server.BearersSeen, b => Assert.Equal(winner.AccessToken.Reveal(), b));
        // Neither process thinks the refresh token is revoked.
        Ok(await GetLists.SendAsync(first));
        Ok(await GetLists.SendAsync(second));
        Assert.Equal(2, s.Server.RefreshAttempts);
    }

    [Fact]
    public async Task Refreshed_tokens_the_store_failed_to_save_are_kept_and_saved_before_the_next_call()
    {
        var failing = new FailingStore();
        await using var s = await Setup.StartAsync(store: initial =>
        {
            failing.Inner = new InMemoryTokenStore(initial);
            return failing;
        });
        s.Clock.Advance(TokenServer.Lifetime);
        failing.FailSaves = 1;

        var error = Assert.IsType<KlaviyoError.Transport>(Failed(await s.SendAsync()));
        Assert.Contains("could not be saved", error.Message);
        Assert.Contains("disk full (test)", error.Message);

        Ok(await s.SendAsync());
        Assert.Equal(1, s.Server.RefreshAttempts);
        Assert.Equal(s.Server.CurrentRefreshToken, (await s.StoredAsync()).RefreshToken.Reveal());
    }

    [Fact]
    public async Task An_empty_store_is_a_validation_error_and_nothing_is_sent()
    {
        var clock = new FakeTimeProvider(Start);
        await using var server = await TokenServer.StartAsync(clock);
        var session = new OAuthSession(
            TokenServer.ClientId,
            Secret.Of(server.ClientSecret),
            new InMemoryTokenStore(),
            clock
        );

        var error = Failed(await GetLists.SendAsync(server.Options().WithOAuthSession(session)));

        var invalid = Assert.IsType<KlaviyoError.Validation>(error);
        Assert.Contains("no OAuth tokens", invalid.Message);
        Assert.Equal(0, server.Http.Count);
    }

    [Fact]
    public async Task Refreshes_through_the_transport_it_wraps_a_stub_here()
    {
        var clock = new FakeTimeProvider(Start);
        var initial = new TokenSet(
            Secret.Of("at-old"),
            Secret.Of("rt-old"),
            Start + TimeSpan.FromMinutes(1),
            Seq1("lists:read")
        );
        var store = new InMemoryTokenStore(initial);
        var stub = Interpreter.Stub();
        stub.When(HttpMethod.Post, "/oauth/token")
            .Respond(
                200,
                """{"access_token":"at-new","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-new"}""",
                "application/json"
            );
        stub.When(HttpMethod.Get, "/api/lists").Respond(200, """{"data":[]}""");
        var session = new OAuthSession("stub-client", Secret.Of("stub-secret"), store, clock);
        var options = new KlaviyoOptions { Client = stub }.WithOAuthSession(session);

        Ok(await GetLists.SendAsync(options));

        Assert.Equal(["/oauth/token", "/api/lists"], stub.Calls.Select(c => c.Path));
        Assert.Equal("Bearer at-new", stub.Calls[1].Authorization?.Reveal());
        var stored = await store.LoadAsync(CancellationToken.None);
        Assert.Equal("rt-new", stored?.RefreshToken.Reveal());
        Assert.Equal(new[] { "lists:read" }, stored?.Scopes.ToArray()); // the answer named no scope: kept
    }

    [Fact]
    public async Task A_recorded_session_replays_with_its_tokens_masked_and_nothing_saved()
    {
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-session-{Guid.NewGuid():N}.json");
        try
        {
            var recorder = Interpreter.Record(Interpreter.Live(), path);
            await using var s = await Setup.StartAsync(
                options: new KlaviyoOptions { Client = recorder }
            );
            s.Clock.Advance(TokenServer.Lifetime);
            Ok(await s.SendAsync());
            await recorder.SaveAsync();
            var fixture = await File.ReadAllTextAsync(path);
            Assert.Contains("/oauth/token", fixture);
            Assert.All(s.Server.Issued, token => Assert.DoesNotContain(token, fixture));

            var store = new InMemoryTokenStore(s.Initial);
            var session = new OAuthSession(
                TokenServer.ClientId,
                Secret.Of(s.Server.ClientSecret),
                store,
                s.Clock
            );
            var replaying = s
                .Server.Options(new KlaviyoOptions { Client = Interpreter.Replay(path) })
                .WithOAuthSession(session);

            Assert.Equal(200, Ok(await GetLists.SendAsync(replaying)).StatusCode);
            Assert.Same(s.Initial, await store.LoadAsync(CancellationToken.None));
            Assert.Equal(1, s.Server.RefreshAttempts); // the replay sent nothing
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_dry_run_prints_the_refresh_with_its_secrets_masked_and_saves_nothing()
    {
        var clock = new FakeTimeProvider(Start);
        var initial = new TokenSet(
            Secret.Of("at-DRYRUN-old-7f3a"),
            Secret.Of("rt-DRYRUN-old-9c2e"),
            Start - TimeSpan.FromMinutes(1)
        );
        var store = new InMemoryTokenStore(initial);
        var printed = new StringWriter();
        var session = new OAuthSession("dry-client", Secret.Of("cs-DRYRUN-5b1d"), store, clock);
        var options = new KlaviyoOptions { Client = Interpreter.DryRun(printed) }.WithOAuthSession(
            session
        );

        Ok(await GetLists.SendAsync(options));

        var text = printed.ToString();
        Assert.Contains("https://a.klaviyo.com/oauth/token", text);
        Assert.Contains("https://a.klaviyo.com/api/lists", text);
        Assert.Contains("authorization: Bearer $KLAVIYO_ACCESS_TOKEN", text);
        Assert.DoesNotContain("DRYRUN", text);
        Assert.Same(initial, await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Requests_to_the_client_api_and_the_token_endpoints_keep_their_own_credentials()
    {
        var clock = new FakeTimeProvider(Start);
        var store = new InMemoryTokenStore(
            new TokenSet(Secret.Of("at-x"), Secret.Of("rt-x"), Start + TimeSpan.FromHours(1))
        );
        var stub = Interpreter.Stub(_ => StubResponse.Status(202));
        var session = new OAuthSession("c", Secret.Of("s"), store, clock);
        var options = new KlaviyoOptions { Client = stub, Path = "/proxy" }.WithOAuthSession(
            session
        );

        Ok(
            await new RequestOperation(HttpMethod.Get, "/client/profiles")
            {
                SendCredentials = false,
            }.SendAsync(options)
        );
        Ok(await OAuth2.RevokeToken("c", "s", "rt-x").SendAsync(options));
        Ok(await GetLists.SendAsync(options));

        Assert.Null(stub.Calls[0].Authorization);
        Assert.StartsWith("Basic ", stub.Calls[1].Authorization?.Reveal());
        Assert.Equal("Bearer at-x", stub.Calls[2].Authorization?.Reveal());
    }

    [Fact]
    public async Task Refuses_to_send_the_token_over_plain_http_to_another_host()
    {
        var clock = new FakeTimeProvider(Start);
        var store = new InMemoryTokenStore(
            new TokenSet(Secret.Of("at-x"), Secret.Of("rt-x"), Start + TimeSpan.FromHours(1))
        );
        var stub = Interpreter.Stub(_ => StubResponse.Status(200));
        var session = new OAuthSession("c", Secret.Of("s"), store, clock);
        var options = new KlaviyoOptions
        {
            Client = stub,
            Protocol = "http",
            Host = "example.com",
        }.WithOAuthSession(session);

        var error = Assert.IsType<KlaviyoError.Validation>(
            Failed(await GetLists.SendAsync(options))
        );

        Assert.Contains("plain http", error.Message);
        Assert.Empty(stub.Calls);
    }

    /// <summary>A store of the user's own: records what was saved, then saves it.</summary>
    private sealed class ObservedStore(ITokenStore inner, Action<TokenSet> onSave) : ITokenStore
    {
        public Task<TokenSet?> LoadAsync(CancellationToken cancellationToken) =>
            inner.LoadAsync(cancellationToken);

        public Task SaveAsync(TokenSet tokens, CancellationToken cancellationToken)
        {
            onSave(tokens);
            return inner.SaveAsync(tokens, cancellationToken);
        }
    }

    /// <summary>
    /// One store shared by several "processes": each view's second load (the one after a refused refresh) waits until
    /// some process has saved, as a slower loser would find the winner's tokens.
    /// </summary>
    private sealed class SharedStore(TokenSet initial)
    {
        private readonly InMemoryTokenStore _tokens = new(initial);
        private readonly TaskCompletionSource _saved = new(
            TaskCreationOptions.RunContinuationsAsynchronously
        );

        public ITokenStore View() => new SharedView(this);

        private sealed class SharedView(SharedStore shared) : ITokenStore
        {
            private int _loads;

            public async Task<TokenSet?> LoadAsync(CancellationToken cancellationToken)
            {
                if (Interlocked.Increment(ref _loads) == 2)
                    await shared._saved.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                return await shared._tokens.LoadAsync(cancellationToken);
            }

            public async Task SaveAsync(TokenSet tokens, CancellationToken cancellationToken)
            {
                await shared._tokens.SaveAsync(tokens, cancellationToken);
                shared._saved.TrySetResult();
            }
        }
    }

    private sealed class FailingStore : ITokenStore
    {
        public ITokenStore Inner { get; set; } = new InMemoryTokenStore();
        public int FailSaves { get; set; }

        public Task<TokenSet?> LoadAsync(CancellationToken cancellationToken) =>
            Inner.LoadAsync(cancellationToken);

        public Task SaveAsync(TokenSet tokens, CancellationToken cancellationToken)
        {
            if (FailSaves-- > 0)
                throw new IOException("disk full (test)");
            return Inner.SaveAsync(tokens, cancellationToken);
        }
    }

    private sealed class RecordingLimiter : IRateLimiter
    {
        private readonly List<(string Path, string Authorization)> _seen = [];

        public IReadOnlyList<(string Path, string Authorization)> Seen
        {
            get
            {
                lock (_seen)
                    return _seen.ToArray();
            }
        }

        public ValueTask<Either<KlaviyoError, IRateLimitLease>> AcquireAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        )
        {
            lock (_seen)
                _seen.Add((request.Path, request.Authorization?.Reveal() ?? ""));
            return ValueTask.FromResult(Right<KlaviyoError, IRateLimitLease>(new Lease()));
        }

        private sealed class Lease : IRateLimitLease
        {
            public ValueTask ReleaseAsync(Either<KlaviyoError, RawResponse> outcome) =>
                ValueTask.CompletedTask;
        }
    }
}
