using LanguageExt;
using Microsoft.AspNetCore.Http;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Core;

/// <summary>
/// With nothing between the exchange and the live transport, the transport classifies the answer itself (one async
/// frame instead of two). That shortcut must answer exactly as the chain does: the same response or the same error,
/// for every kind of answer a server gives.
/// </summary>
public class LiveExchangeTests
{
    public static TheoryData<string> Answers() =>
        new()
        {
            "json",
            "json-error",
            "malformed-json",
            "text",
            "empty",
            "too-large",
            "text-error",
        };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task The_bare_live_path_answers_exactly_as_the_chain_does(string answer)
    {
        await using var server = await LoopbackServer.StartAsync(Handler(answer));
        var bare = server.Options() with
        {
            ClientOptions = new ClientOptions { MaxResponseBytes = 1024 },
        };
        // A wrapper that adds nothing puts the request through the whole chain (Traced, Guarded, the exchange's
        // classification) instead of the shortcut.
        var chained = bare with
        {
            ClientOptions = bare.ClientOptions with
            {
                Wrappers = Seq1<Func<IInterpreter, IInterpreter>>(inner => new PassThrough(inner)),
            },
        };
        var operation = Profiles.GetProfiles(pageSize: 20);

        var viaShortcut = await operation.SendAsync(bare);
        var viaChain = await operation.SendAsync(chained);

        Assert.Equal(2, server.Count);
        Assert.Equal(Describe(viaChain), Describe(viaShortcut));
        Assert.Equal(answer is "json" or "text" or "empty", viaShortcut.IsRight);
    }

    [Fact]
    public async Task A_cancelled_token_ends_the_bare_call_before_anything_is_sent()
    {
        await using var server = await LoopbackServer.StartAsync(Handler("json"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var result = await Profiles.GetProfiles().SendAsync(server.Options(), cancelled.Token);

        var error = Assert.IsType<KlaviyoError.Cancelled>(result.Case);
        Assert.Equal(0, error.Attempts);
        Assert.Equal(0, server.Count);
    }

    private static string Describe(Either<KlaviyoError, KlaviyoResponse> result) =>
        result.Case switch
        {
            KlaviyoResponse r =>
                $"response {r.StatusCode} {Headers(r.Headers)} {r.Body.GetType().Name} {r.Body}",
            KlaviyoError.Api e =>
                $"api {e.StatusCode} {Headers(e.Response.Headers)} {e.Summary} {e.Response.Body}",
            KlaviyoError.Decode e =>
                $"decode {e.StatusCode} {Headers(e.Headers)} {e.Reason} [{e.RawText}]",
            KlaviyoError e => $"{e.GetType().Name} {e.Message}",
            var other => $"unexpected {other}",
        };

    // Every header but the server's clock.
    private static string Headers(ResponseHeaders headers) =>
        string.Join(
            "; ",
            headers
                .All.Filter(h => !h.Name.Equals("date", StringComparison.OrdinalIgnoreCase))
                .Map(h => $"{h.Name}={h.Value}")
        );

    private static Func<HttpContext, ReceivedRequest, Task> Handler(string answer) =>
        answer switch
        {
            "json" => LoopbackServer.Respond(
                200,
                """{"data":[{"type":"profile","id":"01H"}],"links":{"next":null}}""",
                headers: ("x-extra", "1")
            ),
            "json-error" => LoopbackServer.Respond(
                404,
                """{"errors":[{"id":"e1","status":404,"code":"not_found","title":"Not found","detail":"No such profile"}]}"""
            ),
            "malformed-json" => LoopbackServer.Respond(200, """{"data":[1,2"""),
            "text" => LoopbackServer.Respond(200, "plain words", "text/plain"),
            "text-error" => LoopbackServer.Respond(503, "upstream down", "text/plain"),
            "empty" => LoopbackServer.Respond(204, null, null),
            "too-large" => LoopbackServer.Respond(
                200,
                "{\"data\":\"" + new string('x', 4000) + "\"}"
            ),
            _ => throw new ArgumentOutOfRangeException(nameof(answer)),
        };

    private sealed class PassThrough(IInterpreter inner) : IInterpreter
    {
        public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        ) => inner.ExecuteAsync(request, cancellationToken);
    }
}
