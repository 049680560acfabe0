using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Xunit;
using static Klaviyo.Tests.EitherAssert;

namespace Klaviyo.Tests.Retrying;

/// <summary>
/// The ambiguous-write rule, against a real Kestrel server: a failure after which the server may have acted (no answer
/// within the timeout, the connection lost after sending) is retried only for requests that are safe to repeat; a
/// failure to connect (nothing was sent) is retried for any method. Every assertion holds under any timing: the
/// server never answers in time, or drops the connection, or is not there.
/// </summary>
public sealed class AmbiguousWriteTests : IAsyncLifetime
{
    private LoopbackServer _silent = null!;
    private LoopbackServer _dropping = null!;

    public async Task InitializeAsync()
    {
        // Never answers: it waits until the client gives up and closes the connection.
        _silent = await LoopbackServer.StartAsync(
            (ctx, _) => LoopbackServer.UntilAbortedAsync(ctx)
        );
        // Reads the request, then drops the connection without a response.
        _dropping = await LoopbackServer.StartAsync(
            (ctx, _) =>
            {
                ctx.Abort();
                return Task.CompletedTask;
            }
        );
    }

    public async Task DisposeAsync()
    {
        await _silent.DisposeAsync();
        await _dropping.DisposeAsync();
    }

    private static readonly object Event = new
    {
        data = new
        {
            type = "event",
            attributes = new
            {
                properties = new { value = 9.99 },
                metric = new
                {
                    data = new { type = "metric", attributes = new { name = "Placed Order" } },
                },
                profile = new
                {
                    data = new { type = "profile", attributes = new { email = "ada@example.com" } },
                },
            },
        },
    };

    // The silent server is given up on after a short timeout; the dropping one answers (by dropping) at once, so its
    // calls get a timeout no loaded machine reaches: every attempt then ends in the drop, never in a timeout.
    private KlaviyoOptions Options(LoopbackServer server, int maxRetries = 3) =>
        server.Options(
            new KlaviyoOptions
            {
                ApiKey = "pk_test_0123456789abcdef",
                Retry = Retry.Linear,
                RetryOptions = new RetryOptions { MaxRetries = maxRetries },
                ClientOptions = new ClientOptions
                {
                    Timeout =
                        server == _dropping
                            ? TimeSpan.FromMinutes(2)
                            : TimeSpan.FromMilliseconds(500),
                },
            }
        );

    [Fact]
    public async Task A_POST_that_times_out_is_sent_once_with_the_default_retry_options()
    {
        var error = Err(await Events.CreateEvent(Event).SendAsync(Options(_silent)));

        Assert.IsType<KlaviyoError.Timeout>(error);
        Assert.Equal(1, error.Attempts);
        Assert.InRange(_silent.Count, 0, 1);
        // Retryable in kind; the write rule is what keeps it from being resent.
        Assert.True(error.IsRetryable);
        Assert.True(RetryPolicy.IsAmbiguous(error));
    }

    [Fact]
    public async Task A_GET_that_times_out_is_retried()
    {
        var error = Err(await Events.GetEvents().SendAsync(Options(_silent, maxRetries: 1)));

        Assert.IsType<KlaviyoError.Timeout>(error);
        Assert.Equal(2, error.Attempts);
        Assert.InRange(_silent.Count, 0, 2);
    }

    [Fact]
    public async Task A_POST_marked_idempotent_that_times_out_is_retried()
    {
        var op = Events.CreateEvent(Event) with { Idempotent = true };

        var error = Err(await op.SendAsync(Options(_silent, maxRetries: 1)));

        Assert.IsType<KlaviyoError.Timeout>(error);
        Assert.Equal(2, error.Attempts);
    }

    [Fact]
    public async Task A_POST_whose_connection_drops_after_sending_is_sent_once()
    {
        var error = Err(await Events.CreateEvent(Event).SendAsync(Options(_dropping)));

        var transport = Assert.IsType<KlaviyoError.Transport>(error);
        Assert.True(transport.RequestSent);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(1, _dropping.Count);
    }

    [Fact]
    public async Task A_GET_whose_connection_drops_after_sending_is_retried()
    {
        var error = Err(await Events.GetEvents().SendAsync(Options(_dropping, maxRetries: 2)));

        Assert.IsType<KlaviyoError.Transport>(error);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, _dropping.Count);
    }

    [Fact]
    public async Task A_POST_to_a_refused_connection_is_retried_because_nothing_was_sent()
    {
        var options = Options(_silent) with { Port = ClosedPort() };

        var error = Err(await Events.CreateEvent(Event).SendAsync(options));

        var transport = Assert.IsType<KlaviyoError.Transport>(error);
        Assert.False(transport.RequestSent);
        Assert.Equal(4, error.Attempts);
    }

    [Fact]
    public void The_decision_for_each_kind_of_failure_and_method()
    {
        var post = Ok(
            Events.CreateEvent(Event).Build(new KlaviyoOptions { ApiKey = "pk_x_0123456789" })
        );
        var get = Ok(Events.GetEvents().Build(new KlaviyoOptions { ApiKey = "pk_x_0123456789" }));
        RetryDecision Decide(KlaviyoRequest request, KlaviyoError error) =>
            RetryPolicy.Decide(
                Retry.Linear,
                RetryOptions.Default,
                request,
                error,
                sends: 1,
                DateTimeOffset.UnixEpoch,
                jitter: 0.5
            );
        var timeout = new KlaviyoError.Timeout(TimeSpan.FromSeconds(1));
        var lost = new KlaviyoError.Transport("connection reset") { RequestSent = true };
        var refused = new KlaviyoError.Transport("connection refused") { RequestSent = false };

        Assert.False(post.IsIdempotent);
        Assert.True(get.IsIdempotent);
        Assert.Equal(new RetryDecision.GiveUp(GiveUpReason.AmbiguousWrite), Decide(post, timeout));
        Assert.Equal(new RetryDecision.GiveUp(GiveUpReason.AmbiguousWrite), Decide(post, lost));
        Assert.IsType<RetryDecision.Wait>(Decide(post, refused));
        Assert.IsType<RetryDecision.Wait>(Decide(get, timeout));
        Assert.IsType<RetryDecision.Wait>(Decide(get, lost));
        Assert.IsType<RetryDecision.Wait>(Decide(post with { IsIdempotent = true }, timeout));
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
