using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Klaviyo.Tests;

/// <summary>What the server actually received.</summary>
public sealed record ReceivedRequest(
    string Method,
    string Path,
    string RawTarget,
    string QueryString,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body
)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real Kestrel server on 127.0.0.1, port 0, for tests: records every request and answers with the handler.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private LoopbackServer(WebApplication app, ConcurrentQueue<ReceivedRequest> received)
    {
        _app = app;
        _received = received;
    }

    public int Port { get; private set; }

    public string Host => "127.0.0.1";

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<ReceivedRequest> Received => _received.ToArray();

    public int Count => _received.Count;

    /// <summary>
    /// Options pointing at this server (http, 127.0.0.1, its port), with a test API key when <paramref name="start"/>
    /// has no credential (the live transport sends nothing unauthenticated).
    /// </summary>
    public KlaviyoOptions Options(KlaviyoOptions? start = null)
    {
        var options = start ?? new KlaviyoOptions();
        var hasCredential =
            options.ApiKey is not null
            || options.AccessToken is not null
            || options.Headers.Exists(h =>
                h.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
            );
        return options with
        {
            Protocol = "http",
            Host = "127.0.0.1",
            Port = Port,
            ApiKey = hasCredential ? options.ApiKey : "pk_loopback_test_key",
        };
    }

    public static async Task<LoopbackServer> StartAsync(
        Func<HttpContext, ReceivedRequest, Task> handler
    )
    {
        var received = new ConcurrentQueue<ReceivedRequest>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(System.Net.IPAddress.Loopback, 0);
            o.AllowSynchronousIO = false;
            o.Limits.MaxRequestBodySize = null;
        });
        builder.Services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        var app = builder.Build();
        app.Run(async ctx =>
        {
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted);
            var headers = ctx
                .Request.Headers.SelectMany(h =>
                    h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))
                )
                .ToList();
            var feature =
                ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>();
            var rec = new ReceivedRequest(
                ctx.Request.Method,
                ctx.Request.Path.Value ?? "",
                feature?.RawTarget ?? "",
                ctx.Request.QueryString.Value ?? "",
                headers,
                ms.ToArray()
            );
            received.Enqueue(rec);
            await handler(ctx, rec);
        });
        await app.StartAsync();
        var server = new LoopbackServer(app, received);
        var addresses = app.Urls;
        server.Port = new Uri(addresses.First()).Port;
        return server;
    }

    /// <summary>A handler answering with <paramref name="status"/>, a content type and a body.</summary>
    public static Func<HttpContext, ReceivedRequest, Task> Respond(
        int status,
        string? body = null,
        string? contentType = "application/vnd.api+json",
        params (string Name, string Value)[] headers
    ) =>
        async (ctx, _) =>
        {
            ctx.Response.StatusCode = status;
            foreach (var (n, v) in headers)
                ctx.Response.Headers.Append(n, v);
            if (contentType is not null)
                ctx.Response.Headers["Content-Type"] = contentType;
            if (body is not null)
                await ctx.Response.WriteAsync(body);
        };

    /// <summary>
    /// A handler step that never answers on its own: it waits until the client gives up and closes the connection, so
    /// a test of timeouts does not depend on how long anything takes.
    /// </summary>
    public static async Task UntilAbortedAsync(HttpContext ctx)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ctx.RequestAborted);
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
