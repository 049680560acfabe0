using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Klaviyo.Tests.OAuthSessions;

/// <summary>
/// A Klaviyo-like server on 127.0.0.1 for session tests: <c>POST /oauth/token</c> implements the refresh grant with
/// HTTP Basic client authentication and rotating refresh tokens (each refresh token works once; a spent, revoked or
/// unknown one gets <c>400 invalid_grant</c>), and <c>/api/…</c> answers 200 to a known, unexpired bearer token and 401
/// to anything else. Expiry is read from the test's clock, so no test waits. Every token it issues has a random part,
/// so a test can search output for them.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string ClientId = "session-test-client";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _accessTokens = new();
    private readonly List<string> _issued = [];
    private readonly List<string> _bearersSeen = [];
    private string? _refreshToken;
    private int _refreshAttempts;
    private int _refreshes;
    private int _apiCalls;
    private int _unauthorized;
    private int _failNextRefreshes;
    private TaskCompletionSource? _hold;
    private int _unauthorizedBarrier;
    private TaskCompletionSource _unauthorizedTogether = NewSignal();
    private TaskCompletionSource _refreshArrived = NewSignal();
    private int _awaitedArrivals = 1;

    private TokenServer(TimeProvider clock) => _clock = clock;

    public LoopbackServer Http { get; private set; } = null!;

    /// <summary>The app's client secret: random, so a leak of it can be searched for.</summary>
    public string ClientSecret { get; } = "cs_SESSION_" + Random16();

    /// <summary>Every access and refresh token issued so far.</summary>
    public IReadOnlyList<string> Issued
    {
        get
        {
            lock (_gate)
                return _issued.ToArray();
        }
    }

    /// <summary>The bearer tokens <c>/api/…</c> received, in order.</summary>
    public IReadOnlyList<string> BearersSeen
    {
        get
        {
            lock (_gate)
                return _bearersSeen.ToArray();
        }
    }

    /// <summary>The refresh token that works now (<c>null</c> once revoked).</summary>
    public string? CurrentRefreshToken
    {
        get
        {
            lock (_gate)
                return _refreshToken;
        }
    }

    /// <summary>Requests to the token endpoint with the refresh grant, whatever the answer.</summary>
    public int RefreshAttempts
    {
        get
        {
            lock (_gate)
                return _refreshAttempts;
        }
    }

    /// <summary>Refreshes that issued new tokens.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    public int ApiCalls => Volatile.Read(ref _apiCalls);

    public int Unauthorized
    {
        get
        {
            lock (_gate)
                return _unauthorized;
        }
    }

    /// <summary>When set, every bearer token is refused with 401.</summary>
    public bool RejectAllBearers { get; set; }

    public static async Task<TokenServer> StartAsync(TimeProvider clock)
    {
        var server = new TokenServer(clock);
        server.Http = await LoopbackServer.StartAsync(server.HandleAsync);
        return server;
    }

    /// <summary>Options pointing at this server.</summary>
    public KlaviyoOptions Options(KlaviyoOptions? start = null) => Http.Options(start);

    /// <summary>Tokens as the code exchange would give them, valid for <see cref="Lifetime"/> from now.</summary>
    public TokenSet Authorize(params string[] scopes)
    {
        lock (_gate)
        {
            var (access, refresh, expiresAt) = IssueLocked();
            return new TokenSet(
                Secret.Of(access),
                Secret.Of(refresh),
                expiresAt,
                LanguageExt.Prelude.toSeq(scopes.Length == 0 ? ["lists:read"] : scopes)
            );
        }
    }

    /// <summary>Forgets every access token (as Klaviyo may before their expiry): the next API call gets 401.</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
            _accessTokens.Clear();
    }

    /// <summary>Revokes the refresh token (the user uninstalled the app).</summary>
    public void RevokeRefreshToken()
    {
        lock (_gate)
            _refreshToken = null;
    }

    /// <summary>The next <paramref name="count"/> refresh requests get 503.</summary>
    public void FailNextRefreshes(int count) => Volatile.Write(ref _failNextRefreshes, count);

    /// <summary>
    /// Holds refresh requests until <see cref="Release"/>; the task completes when <paramref name="arrivals"/> of them
    /// have arrived.
    /// </summary>
    public Task HoldRefreshes(int arrivals = 1)
    {
        lock (_gate)
        {
            _hold = NewSignal();
            _refreshArrived = NewSignal();
            _awaitedArrivals = _refreshAttempts + arrivals;
            return _refreshArrived.Task;
        }
    }

    /// <summary>Answers no 401 until <paramref name="count"/> requests are to get one; then answers them all.</summary>
    public void AnswerUnauthorizedTogether(int count)
    {
        lock (_gate)
        {
            _unauthorizedBarrier = count;
            _unauthorizedTogether = NewSignal();
        }
    }

    public void Release()
    {
        lock (_gate)
            _hold?.TrySetResult();
    }

    private async Task HandleAsync(HttpContext ctx, ReceivedRequest request)
    {
        if (request.Path == "/oauth/token" && request.Method == "POST")
            await TokenAsync(ctx, request);
        else if (request.Path.StartsWith("/api/", StringComparison.Ordinal))
            await ApiAsync(ctx, request);
        else
            ctx.Response.StatusCode = 404;
    }

    private async Task TokenAsync(HttpContext ctx, ReceivedRequest request)
    {
        var expected =
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (request.Header("authorization") != expected)
        {
            await Json(ctx, 401, new { error = "invalid_client" });
            return;
        }
        var form = QueryHelpers.ParseQuery(request.BodyText);
        if (form["grant_type"] != "refresh_token")
        {
            await Json(ctx, 400, new { error = "unsupported_grant_type" });
            return;
        }
        Task held;
        lock (_gate)
        {
            if (++_refreshAttempts >= _awaitedArrivals)
                _refreshArrived.TrySetResult();
            held = _hold?.Task ?? Task.CompletedTask;
        }
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        if (Interlocked.Decrement(ref _failNextRefreshes) >= 0)
        {
            await Json(ctx, 503, new { error = "temporarily_unavailable" });
            return;
        }
        object answer;
        int status;
        lock (_gate)
        {
            if (_refreshToken is null || form["refresh_token"] != _refreshToken)
            {
                status = 400;
                answer = new
                {
                    error = "invalid_grant",
                    error_description = "Refresh token is invalid, expired or revoked.",
                };
            }
            else
            {
                var (access, refresh, _) = IssueLocked();
                Interlocked.Increment(ref _refreshes);
                status = 200;
                answer = new
                {
                    access_token = access,
                    token_type = "Bearer",
                    expires_in = (int)Lifetime.TotalSeconds,
                    refresh_token = refresh,
                    scope = "lists:read profiles:read",
                };
            }
        }
        await Json(ctx, status, answer);
    }

    private async Task ApiAsync(HttpContext ctx, ReceivedRequest request)
    {
        Interlocked.Increment(ref _apiCalls);
        var header = request.Header("authorization") ?? "";
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;
        bool valid;
        lock (_gate)
        {
            if (token is not null)
                _bearersSeen.Add(token);
            valid =
                token is not null
                && !RejectAllBearers
                && _accessTokens.TryGetValue(token, out var expiresAt)
                && _clock.GetUtcNow() < expiresAt;
        }
        if (!valid)
        {
            Task together;
            lock (_gate)
            {
                if (++_unauthorized >= _unauthorizedBarrier)
                    _unauthorizedTogether.TrySetResult();
                together =
                    _unauthorizedBarrier > 0 ? _unauthorizedTogether.Task : Task.CompletedTask;
            }
            await together.WaitAsync(TimeSpan.FromSeconds(30));
            ctx.Response.StatusCode = 401;
            ctx.Response.ContentType = "application/vnd.api+json";
            await ctx.Response.WriteAsync(
                """{"errors":[{"status":"401","code":"not_authenticated","title":"Authentication credentials were not provided.","detail":"Missing or invalid access token."}]}"""
            );
            return;
        }
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/vnd.api+json";
        await ctx.Response.WriteAsync("""{"data":[],"links":{"next":null}}""");
    }

    private (string Access, string Refresh, DateTimeOffset ExpiresAt) IssueLocked()
    {
        var access = $"at_SESSION_{_issued.Count}_{Random16()}";
        var refresh = $"rt_SESSION_{_issued.Count + 1}_{Random16()}";
        var expiresAt = _clock.GetUtcNow() + Lifetime;
        _accessTokens[access] = expiresAt;
        _refreshToken = refresh;
        _issued.Add(access);
        _issued.Add(refresh);
        return (access, refresh, expiresAt);
    }

    private static Task Json(HttpContext ctx, int status, object body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private static string Random16() =>
        RandomNumberGenerator.GetString(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            16
        );

    private static TaskCompletionSource NewSignal() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask DisposeAsync()
    {
        Release();
        return Http.DisposeAsync();
    }
}
