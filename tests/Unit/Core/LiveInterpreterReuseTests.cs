using Microsoft.AspNetCore.Http;
using Xunit;
using static Klaviyo.Tests.EitherAssert;

namespace Klaviyo.Tests;

/// <summary>
/// The live interpreter reuses its timeout sources between calls: a reused source must be as good as new, whatever
/// happened to the call that used it before, and whatever the caller does with its own token afterwards.
/// </summary>
public class LiveInterpreterReuseTests
{
    private static readonly RequestOperation Events = new(HttpMethod.Get, "/api/events");

    [Fact]
    public async Task A_callers_token_cancelled_after_its_call_does_not_cancel_later_calls()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );
        using var live = Interpreter.Live();
        var options = server.Options() with { Client = live };
        using var cts = new CancellationTokenSource();

        Assert.True((await Events.SendAsync(options, cts.Token)).IsRight);
        await cts.CancelAsync();

        for (var i = 0; i < 5; i++)
        {
            var later = await Events.SendAsync(options);
            Assert.True(later.IsRight, later.ToString());
        }
        Assert.Equal(6, server.Count);
    }

    [Fact]
    public async Task After_a_timeout_the_next_call_on_the_same_interpreter_gets_its_own_time()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    await LoopbackServer.UntilAbortedAsync(ctx);
                    return;
                }
                ctx.Response.ContentType = "application/vnd.api+json";
                await ctx.Response.WriteAsync("""{"data":[]}""");
            }
        );
        using var live = Interpreter.Live();
        var options = server.Options() with { Client = live };
        var short_ = options with
        {
            ClientOptions = new ClientOptions { Timeout = TimeSpan.FromMilliseconds(200) },
        };

        Assert.IsType<KlaviyoError.Timeout>(Err(await Events.SendAsync(short_)));
        var next = await Events.SendAsync(options);

        Assert.True(next.IsRight, next.ToString());
    }

    [Fact]
    public async Task A_handler_that_throws_anything_gives_a_transport_error_not_an_exception()
    {
        using var http = new HttpClient(
            new ThrowingHandler(new NotSupportedException("the handler refuses"))
        );
        using var live = Interpreter.Live(http);
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_handler_secret_key",
            Client = live,
            Protocol = "http",
            Host = "127.0.0.1",
            Port = 9,
        };

        var error = Err(await Events.SendAsync(options));

        var transport = Assert.IsType<KlaviyoError.Transport>(error);
        Assert.Contains("the handler refuses", transport.Message);
        Assert.DoesNotContain("pk_handler_secret_key", transport.ToString());
    }

    [Fact]
    public void A_source_given_back_uncancelled_is_reused_and_a_cancelled_one_never()
    {
        var pool = new TimeoutSources();
        var first = pool.Rent();
        first.CancelAfter(TimeSpan.FromHours(1));
        pool.Return(first);

        var again = pool.Rent();
        Assert.Same(first, again);
        Assert.False(again.IsCancellationRequested);

        again.Cancel();
        pool.Return(again);
        var fresh = pool.Rent();
        Assert.NotSame(again, fresh);
        Assert.False(fresh.IsCancellationRequested);
    }

    private sealed class ThrowingHandler(Exception exception) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request,
            CancellationToken cancellationToken
        ) => throw exception;
    }
}
