using System.Text;
using LanguageExt;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.OAuthSessions;

/// <summary>
/// Runs the session through every path — a plain call, a refresh before expiry, a refresh after a 401, a second 401,
/// a store that fails to save, a revoked refresh token, the C# facade's exception — with a logger inside the session
/// (so it sees the bearer token and the refresh request), then searches everything the library printed for every
/// token the server issued and for the client secret. Only the token file itself may hold them.
/// </summary>
public sealed class SessionLeakTests : IDisposable
{
    private static readonly RequestOperation GetLists = new(HttpMethod.Get, "/api/lists");

    private readonly string _folder = Path.Combine(
        Path.GetTempPath(),
        "klaviyo-session-leaks-" + Guid.NewGuid().ToString("N")
    );

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task No_token_or_client_secret_appears_in_logs_errors_or_descriptions()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await TokenServer.StartAsync(clock);
        var file = new FileTokenStore(Path.Combine(_folder, "tokens.json"));
        var store = new SometimesFailingStore(file);
        await file.SaveAsync(server.Authorize(), CancellationToken.None);
        var session = new OAuthSession(
            TokenServer.ClientId,
            Secret.Of(server.ClientSecret),
            store,
            clock
        );
        var logs = new ListLoggerProvider();
        var logger = logs.CreateLogger("leaks");
        var start = server.Options(new KlaviyoOptions { Retry = Retry.Linear });
        // The logger sits inside the session: it sees the bearer token and the refresh request.
        var options = start with
        {
            ClientOptions = start.ClientOptions with
            {
                Wrappers = Seq<Func<IInterpreter, IInterpreter>>(
                    inner => session.Wrap(inner, start),
                    inner => new Logging(inner, logger)
                ),
            },
        };
        var printed = new List<string>();
        async Task Call()
        {
            var result = await GetLists.SendAsync(options);
            result.Match(r => printed.Add(r.ToString()), e => printed.Add(e.ToString()));
        }

        await Call(); // plain
        clock.Advance(TokenServer.Lifetime);
        await Call(); // refresh before expiry
        server.ExpireAccessTokens();
        await Call(); // refresh after a 401
        server.RejectAllBearers = true;
        await Call(); // a second 401
        server.RejectAllBearers = false;
        clock.Advance(TokenServer.Lifetime);
        store.FailNextSave = true;
        await Call(); // the refreshed tokens cannot be saved
        await Call(); // saved now
        server.RevokeRefreshToken();
        clock.Advance(TokenServer.Lifetime);
        await Call(); // revoked
        await Call(); // fails fast
        var thrown = await Assert.ThrowsAsync<KlaviyoException>(() =>
            new KlaviyoClient(options).SendAsync(GetLists)
        );
        printed.Add(thrown.Message);
        printed.Add(thrown.ToString());
        printed.Add(session.ToString());
        printed.Add(store.ToString());
        printed.Add(options.ToString());
        printed.Add(session.Wrap(Interpreter.Stub(), start).ToString() ?? "");
        printed.Add((await file.LoadAsync(CancellationToken.None))!.ToString());
        printed.AddRange(logs.Lines);

        Assert.True(server.Refreshes >= 3, "the flows above refresh at least three times");
        Assert.Contains(printed, p => p.Contains("revoked or expired; authorize again"));
        Assert.Contains(printed, p => p.Contains("could not be saved"));
        Assert.Contains(logs.Lines, l => l.Contains("/oauth/token"));
        var secrets = server
            .Issued.Append(server.ClientSecret)
            .Append(
                Convert.ToBase64String(
                    Encoding.UTF8.GetBytes($"{TokenServer.ClientId}:{server.ClientSecret}")
                )
            )
            .ToList();
        foreach (var text in printed)
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text);
            // The random tail survives any encoding or truncation around it.
            Assert.DoesNotContain(secret[^16..], text);
        }
        // The token file is where the tokens live, in clear.
        Assert.Contains(server.Issued[^1], await File.ReadAllTextAsync(file.Path));
    }

    /// <summary>A store whose next save can be made to fail with a message that names the tokens it was given.</summary>
    private sealed class SometimesFailingStore(ITokenStore inner) : ITokenStore
    {
        public bool FailNextSave { get; set; }

        public Task<TokenSet?> LoadAsync(CancellationToken cancellationToken) =>
            inner.LoadAsync(cancellationToken);

        public Task SaveAsync(TokenSet tokens, CancellationToken cancellationToken)
        {
            if (!FailNextSave)
                return inner.SaveAsync(tokens, cancellationToken);
            FailNextSave = false;
            // A careless store: the session must scrub this.
            throw new IOException(
                $"cannot write {tokens.AccessToken.Reveal()} / {tokens.RefreshToken.Reveal()}"
            );
        }

        public override string ToString() => $"SometimesFailingStore({inner})";
    }
}
