using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Klaviyo.Tests.Leaks;

/// <summary>
/// Servers that repeat what they were sent, shared by one test class: a Kestrel server whose answer depends on the
/// base path (<c>/ok</c> 200, <c>/bad</c> 400, <c>/retry</c> 503, <c>/malformed</c> JSON that does not parse), echoing
/// the headers, the query and the body back — as text, in an error's <c>detail</c>, <c>title</c> and
/// <c>source.parameter</c>, in a response header, and a JSON body as JSON — and a raw TCP server that answers with an
/// invalid status line quoting the whole request, so the network error text itself carries it. Also collects the
/// activities of the <c>Klaviyo</c> source.
/// </summary>
public sealed class EchoServers : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _garbling;
    private Task? _garblingLoop;
    private ActivityListener? _listener;

    public LoopbackServer Echo { get; private set; } = null!;

    /// <summary>The port of the server answering with an invalid status line.</summary>
    public int GarblingPort { get; private set; }

    /// <summary>Every <c>Klaviyo</c> activity stopped while the class runs.</summary>
    public ConcurrentQueue<Activity> Activities { get; } = new();

    /// <summary>The source tests start a parent activity on, to find their own library activities.</summary>
    public static readonly ActivitySource Tests = new("Klaviyo.Tests.Leaks");

    /// <summary>Options pointing at the echo server, under <paramref name="route"/> (<c>ok</c>, <c>bad</c>, <c>retry</c>, <c>malformed</c>).</summary>
    public KlaviyoOptions At(string route, KlaviyoOptions options) =>
        Echo.Options(options) with
        {
            Path = "/" + route,
        };

    public async Task InitializeAsync()
    {
        Echo = await LoopbackServer.StartAsync(Answer);
        _garbling = new TcpListener(IPAddress.Loopback, 0);
        _garbling.Start();
        GarblingPort = ((IPEndPoint)_garbling.LocalEndpoint).Port;
        _garblingLoop = Task.Run(() => GarbleAsync(_garbling, _stop.Token));
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is KlaviyoDiagnostics.SourceName or "Klaviyo.Tests.Leaks",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) =>
                ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Source.Name == KlaviyoDiagnostics.SourceName)
                    Activities.Enqueue(a);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task DisposeAsync()
    {
        _listener?.Dispose();
        await _stop.CancelAsync();
        _garbling?.Stop();
        if (_garblingLoop is not null)
            await _garblingLoop;
        await Echo.DisposeAsync();
    }

    private static async Task Answer(HttpContext ctx, ReceivedRequest received)
    {
        var route = received
            .Path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault();
        var headers = string.Join("; ", received.Headers.Select(h => $"{h.Key}: {h.Value}"));
        var query = Uri.UnescapeDataString(received.QueryString.TrimStart('?'));
        var contentType = received.Header("content-type") ?? "";
        var isJson =
            contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
            && received.Body.Length > 0;
        // A JSON body is repeated as JSON (what an API does with the attributes it was sent); others as text.
        var json = isJson ? JsonNode.Parse(received.Body) : null;
        var text = isJson ? "" : received.BodyText;
        ctx.Response.ContentType = "application/vnd.api+json";
        ctx.Response.Headers["x-echo-authorization"] = received.Header("authorization") ?? "";
        switch (route)
        {
            case "ok":
                ctx.Response.StatusCode = 200;
                await ctx.Response.WriteAsync(
                    new JsonObject
                    {
                        ["data"] = new JsonObject
                        {
                            ["type"] = "echo",
                            ["id"] = "1",
                            ["attributes"] = new JsonObject
                            {
                                ["headers"] = headers,
                                ["query"] = query,
                                ["body"] = text,
                                ["json"] = json,
                            },
                        },
                    }.ToJsonString()
                );
                break;
            case "malformed":
                ctx.Response.StatusCode = 200;
                await ctx.Response.WriteAsync("{\"echo\": \"" + headers + " " + query + " " + text);
                break;
            default:
                ctx.Response.StatusCode = route == "retry" ? 503 : 400;
                await ctx.Response.WriteAsync(
                    new JsonObject
                    {
                        ["errors"] = new JsonArray(
                            new JsonObject
                            {
                                ["id"] = "echo",
                                ["status"] = ctx.Response.StatusCode.ToString(
                                    System.Globalization.CultureInfo.InvariantCulture
                                ),
                                ["code"] = "invalid",
                                ["title"] = text.Length > 0 ? text : "Invalid input.",
                                ["detail"] = headers,
                                ["source"] = new JsonObject { ["parameter"] = query },
                                ["meta"] = new JsonObject { ["request"] = json },
                            }
                        ),
                    }.ToJsonString()
                );
                break;
        }
    }

    /// <summary>Reads each request, then answers with a status line that quotes it (line breaks as spaces).</summary>
    private static async Task GarbleAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }
            _ = Task.Run(
                async () =>
                {
                    using (client)
                    {
                        try
                        {
                            var stream = client.GetStream();
                            var request = await ReadRequestAsync(stream, stop);
                            // A status line the client cannot read: its error quotes the whole line.
                            var quoted = request.Replace("\r", " ").Replace("\n", " ");
                            var answer = Encoding.UTF8.GetBytes($"HTTP/1.1_200 {quoted}\r\n\r\n");
                            await stream.WriteAsync(answer, stop);
                        }
                        catch (Exception) { }
                    }
                },
                stop
            );
        }
    }

    private static async Task<string> ReadRequestAsync(NetworkStream stream, CancellationToken stop)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
        {
            var n = await stream.ReadAsync(chunk, stop);
            if (n == 0)
                break;
            buffer.Write(chunk, 0, n);
        }
        var head = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, Math.Max(headEnd, 0));
        var length = head.Split("\r\n")
            .Where(l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
            .Select(l =>
                int.Parse(l[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
            )
            .FirstOrDefault();
        while (headEnd >= 0 && buffer.Length < headEnd + 4 + length)
        {
            var n = await stream.ReadAsync(chunk, stop);
            if (n == 0)
                break;
            buffer.Write(chunk, 0, n);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static int IndexOf(MemoryStream buffer, ReadOnlySpan<byte> needle) =>
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf(needle);
}
