using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LanguageExt;
using Microsoft.AspNetCore.Http;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests;

public class LiveInterpreterTests
{
    [Fact]
    public async Task Send_returns_an_error_on_400_with_the_body_decoded()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(
                400,
                """{"errors":[{"code":"invalid","title":"Invalid input.","detail":"bad filter"}]}"""
            )
        );

        var result = await new RequestOperation(HttpMethod.Get, "/api/events").SendAsync(
            server.Options()
        );

        var api = Assert.IsType<KlaviyoError.Api>(Err(result));
        Assert.Equal(400, api.StatusCode);
        Assert.Equal("bad filter", api.Errors.Head.Detail);
        Assert.Equal(
            "invalid",
            api.Response.Json.Map(j => j.GetProperty("errors")[0].GetProperty("code").GetString())
                .IfNone("")
        );
    }

    [Fact]
    public async Task The_server_receives_method_path_query_headers_and_json_body_as_built()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(201, """{"data":{"id":"p1"}}""")
        );
        var op = PathTemplate.Operation(
            HttpMethod.Post,
            "/api/lists/{id}/relationships/profiles",
            "L 1/x"
        ) with
        {
            Query = Seq(("fields[profile]", "email,first_name"), ("q", "a&b")),
            Body = RequestBody.Json(new { data = new[] { new { type = "profile", id = "p1" } } }),
        };
        var options = server.Options(
            new KlaviyoOptions { AccessToken = "tok_live", Headers = Seq1(("x-trace", "t1")) }
        );

        var result = await op.SendAsync(options);

        Assert.True(result.IsRight, result.ToString());
        var got = Assert.Single(server.Received);
        Assert.Equal("POST", got.Method);
        Assert.Equal(
            "/api/lists/L%201%2Fx/relationships/profiles?fields%5Bprofile%5D=email%2Cfirst_name&q=a%26b",
            got.RawTarget
        );
        Assert.Equal("Bearer tok_live", got.Header("authorization"));
        Assert.Equal(OperationCatalog.Revision, got.Header("revision"));
        Assert.Equal("application/vnd.api+json", got.Header("content-type"));
        Assert.Equal("application/vnd.api+json", got.Header("accept"));
        Assert.Equal("t1", got.Header("x-trace"));
        Assert.StartsWith("klaviyo-dotnet/", got.Header("user-agent"));
        Assert.Equal("""{"data":[{"type":"profile","id":"p1"}]}""", got.BodyText);
    }

    [Fact]
    public async Task A_DELETE_can_carry_a_body()
    {
        await using var server = await LoopbackServer.StartAsync(LoopbackServer.Respond(204));
        var op = new RequestOperation(HttpMethod.Delete, "/api/lists/L1/relationships/profiles")
        {
            Body = RequestBody.Json(new { data = new[] { new { type = "profile", id = "p9" } } }),
        };

        var result = await op.SendAsync(server.Options());

        Assert.Equal(
            204,
            result.Match(r => r.StatusCode, e => throw new Xunit.Sdk.XunitException(e.ToString()))
        );
        var got = Assert.Single(server.Received);
        Assert.Equal("DELETE", got.Method);
        Assert.Equal("""{"data":[{"type":"profile","id":"p9"}]}""", got.BodyText);
    }

    [Fact]
    public async Task A_5xx_is_an_error_marked_retryable()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(503, "<html>down</html>", "text/html")
        );
        var error = Err(
            await new RequestOperation(HttpMethod.Get, "/api/events").SendAsync(server.Options())
        );
        var api = Assert.IsType<KlaviyoError.Api>(error);
        Assert.True(api.IsRetryable);
        Assert.Equal(new ResponseBody.Text("<html>down</html>"), api.Response.Body);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transport_error()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var options = new KlaviyoOptions
        {
            Protocol = "http",
            Host = "127.0.0.1",
            Port = port,
            ApiKey = "pk_refused",
        };

        var error = Err(
            await new RequestOperation(HttpMethod.Get, "/api/events").SendAsync(options)
        );

        var transport = Assert.IsType<KlaviyoError.Transport>(error);
        Assert.True(transport.IsRetryable);
        Assert.DoesNotContain("pk_refused", transport.ToString());
    }

    [Fact]
    public async Task A_stalled_response_is_a_timeout_error_after_the_per_request_timeout()
    {
        // The server never answers: whatever the timing, the client's timeout ends the call.
        await using var server = await LoopbackServer.StartAsync(
            (ctx, _) => LoopbackServer.UntilAbortedAsync(ctx)
        );
        var options = server.Options() with
        {
            ClientOptions = new ClientOptions { Timeout = TimeSpan.FromMilliseconds(200) },
        };

        var error = Err(
            await new RequestOperation(HttpMethod.Get, "/api/events").SendAsync(options)
        );

        var timeout = Assert.IsType<KlaviyoError.Timeout>(error);
        Assert.Equal(TimeSpan.FromMilliseconds(200), timeout.After);
    }

    [Fact]
    public async Task A_body_that_stalls_midway_is_a_timeout_too()
    {
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                ctx.Response.ContentType = "application/vnd.api+json";
                ctx.Response.ContentLength = 100;
                await ctx.Response.WriteAsync("{\"data\":");
                await ctx.Response.Body.FlushAsync();
                await LoopbackServer.UntilAbortedAsync(ctx);
            }
        );
        var options = server.Options() with
        {
            ClientOptions = new ClientOptions { Timeout = TimeSpan.FromMilliseconds(300) },
        };

        var error = Err(
            await new RequestOperation(HttpMethod.Get, "/api/events").SendAsync(options)
        );

        Assert.IsType<KlaviyoError.Timeout>(error);
    }

    [Fact]
    public async Task The_callers_cancellation_is_cancelled_not_timeout()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                arrived.TrySetResult();
                await LoopbackServer.UntilAbortedAsync(ctx);
            }
        );
        using var cts = new CancellationTokenSource();

        var sending = new RequestOperation(HttpMethod.Get, "/api/events").SendAsync(
            server.Options(),
            cts.Token
        );
        // Cancel once the request is in: the server holds it, so only the caller can end it.
        await arrived.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await cts.CancelAsync();
        var error = Err(await sending);

        Assert.IsType<KlaviyoError.Cancelled>(error);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task A_truncated_body_is_a_transport_error()
    {
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                ctx.Response.ContentType = "application/vnd.api+json";
                ctx.Response.ContentLength = 1000;
                await ctx.Response.WriteAsync("{\"data\":[");
                await ctx.Response.Body.FlushAsync();
                ctx.Abort();
            }
        );

        var error = Err(
            await new RequestOperation(HttpMethod.Get, "/api/events").SendAsync(server.Options())
        );

        Assert.IsType<KlaviyoError.Transport>(error);
    }

    [Fact]
    public async Task A_caller_supplied_HttpClient_is_used_and_not_disposed()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );
        var handler = new CountingHandler(new SocketsHttpHandler());
        using var http = new HttpClient(handler);
        var live = Interpreter.Live(http);
        var options = server.Options() with { Client = live };

        Assert.True(
            (await new RequestOperation(HttpMethod.Get, "/api/a").SendAsync(options)).IsRight
        );
        live.Dispose();
        Assert.True(
            (await new RequestOperation(HttpMethod.Get, "/api/b").SendAsync(options)).IsRight
        );

        Assert.Equal(2, handler.Count);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task Validation_errors_send_nothing()
    {
        await using var server = await LoopbackServer.StartAsync(LoopbackServer.Respond(200, "{}"));
        var op = PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", "");

        var error = Err(await op.SendAsync(server.Options()));

        Assert.IsType<KlaviyoError.Validation>(error);
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task KlaviyoClient_returns_the_response_or_throws_KlaviyoException_with_the_error()
    {
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, req) =>
            {
                var ok = req.Path == "/api/ok";
                await LoopbackServer.Respond(
                    ok ? 200 : 404,
                    ok ? """{"data":[]}""" : """{"errors":[{"detail":"nope"}]}"""
                )(ctx, req);
            }
        );
        var client = new KlaviyoClient(
            server.Options(new KlaviyoOptions { ApiKey = "pk_client_secret" })
        );

        var response = await client.SendAsync(new RequestOperation(HttpMethod.Get, "/api/ok"));
        Assert.Equal(
            JsonValueKind.Array,
            response.Json.Map(j => j.GetProperty("data").ValueKind).IfNone(JsonValueKind.Undefined)
        );

        var thrown = await Assert.ThrowsAsync<KlaviyoException>(() =>
            client.SendAsync(new RequestOperation(HttpMethod.Get, "/api/missing"))
        );
        Assert.Equal(404, Assert.IsType<KlaviyoError.Api>(thrown.Error).StatusCode);
        Assert.Contains("nope", thrown.Message);
        Assert.DoesNotContain("pk_client_secret", client.ToString());
    }

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public int Count;

        protected override Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request,
            CancellationToken cancellationToken
        )
        {
            Interlocked.Increment(ref Count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
