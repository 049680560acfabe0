using System.IO.Compression;
using System.Text.Json;
using LanguageExt;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Klaviyo.Tests.Hardening;

/// <summary>
/// Whatever a server sends gets a classified answer: no unbounded memory for a body that claims or turns out to be
/// huge, and no endless pagination (issue 11, items 9, 10, 12).
/// </summary>
public class HostileServerTests
{
    private static readonly RequestOperation Profiles = new(HttpMethod.Get, "/api/profiles");

    private static KlaviyoError.Decode Decode(Either<KlaviyoError, KlaviyoResponse> result) =>
        Assert.IsType<KlaviyoError.Decode>(
            result.Match(r => throw new Xunit.Sdk.XunitException($"accepted: {r}"), e => e)
        );

    [Fact]
    public async Task A_Content_Length_above_the_limit_is_refused_without_allocating_it()
    {
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/vnd.api+json";
                ctx.Response.ContentLength = 1_500_000_000;
                await ctx.Response.Body.WriteAsync("{\"data\":[]"u8.ToArray());
                await ctx.Response.Body.FlushAsync();
            }
        );
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var error = Decode(
            await Profiles.SendAsync(server.Options(new KlaviyoOptions { ApiKey = "pk_test" }))
        );

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Contains("Content-Length is 1500000000", error.Message);
        Assert.Contains("64 MiB", error.Message);
        // Other tests run at the same time, so only the claimed size is ruled out, not a small figure.
        Assert.True(allocated < 1_000_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task A_compressed_body_that_inflates_past_the_limit_is_stopped_on_the_inflated_count()
    {
        // 64 MiB of zeros gzip to about 64 KiB; with a 1 MiB limit the client must stop while inflating.
        var bomb = GzipOfZeros(64 * 1024 * 1024);
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/vnd.api+json";
                ctx.Response.Headers.ContentEncoding = "gzip";
                ctx.Response.ContentLength = bomb.Length;
                await ctx.Response.Body.WriteAsync(bomb);
            }
        );
        var options = server.Options(
            new KlaviyoOptions
            {
                ApiKey = "pk_test",
                ClientOptions = new ClientOptions { MaxResponseBytes = 1024 * 1024 },
            }
        );

        var error = Decode(await Profiles.SendAsync(options));

        Assert.Contains("larger than the 1 MiB", error.Message);
        Assert.True(bomb.Length < 1024 * 1024, "the compressed body itself is under the limit");
    }

    [Fact]
    public async Task An_endless_chunked_body_ends_at_the_limit_not_in_out_of_memory()
    {
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/vnd.api+json";
                var chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)' ');
                try
                {
                    while (!ctx.RequestAborted.IsCancellationRequested)
                        await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    // The client hung up, as it should.
                }
            }
        );
        var options = server.Options(
            new KlaviyoOptions
            {
                ApiKey = "pk_test",
                ClientOptions = new ClientOptions { MaxResponseBytes = 2 * 1024 * 1024 },
            }
        );

        var error = Decode(await Profiles.SendAsync(options));

        Assert.Contains("larger than the 2 MiB", error.Message);
        Assert.Contains("more arrived", error.Message);
    }

    [Fact]
    public async Task A_body_within_the_limit_is_read_whole()
    {
        var body = """{"data":[""" + string.Join(",", Enumerable.Repeat("1", 5000)) + "]}";
        await using var server = await LoopbackServer.StartAsync(LoopbackServer.Respond(200, body));
        var options = server.Options(
            new KlaviyoOptions
            {
                ApiKey = "pk_test",
                ClientOptions = new ClientOptions { MaxResponseBytes = body.Length },
            }
        );

        var response = (await Profiles.SendAsync(options)).Match(
            r => r,
            e => throw new Xunit.Sdk.XunitException(e.Message)
        );

        Assert.Equal(
            5000,
            response.Json.Map(j => j.GetProperty("data").GetArrayLength()).IfNone(0)
        );
    }

    // A listing whose links.next go p1 → p2 → p1 (or to p1 written with its query in another order).
    private static Task<LoopbackServer> LoopingServer(bool reorder)
    {
        LoopbackServer? self = null;
        var started = LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                var page = ctx.Request.Query["page[cursor]"].ToString();
                var origin = $"http://127.0.0.1:{self!.Port}/api/profiles";
                var next = page switch
                {
                    "" => $"{origin}?page%5Bsize%5D=1&page%5Bcursor%5D=p2",
                    "p2" => reorder
                        ? $"{origin}?page%5Bcursor%5D=&page%5Bsize%5D=1"
                        : $"{origin}?page%5Bsize%5D=1&page%5Bcursor%5D=",
                    _ => $"{origin}?page%5Bsize%5D=1&page%5Bcursor%5D=p2",
                };
                ctx.Response.ContentType = "application/vnd.api+json";
                await ctx.Response.WriteAsync(
                    JsonSerializer.Serialize(
                        new
                        {
                            data = new[]
                            {
                                new { type = "profile", id = "id-" + (page == "" ? "p1" : page) },
                            },
                            links = new { next },
                        }
                    )
                );
            }
        );
        return started.ContinueWith(t => self = t.Result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pagination_cycle_ends_the_stream_with_a_clear_error_after_delivering_every_page(
        bool reorderedQuery
    )
    {
        await using var server = await LoopingServer(reorderedQuery);
        var options = server.Options(new KlaviyoOptions { ApiKey = "pk_test" });
        var first = Profiles.WithQuery("page[size]", "1").WithQuery("page[cursor]", "");

        var ids = new List<string>();
        var thrown = await Assert.ThrowsAsync<KlaviyoException>(async () =>
        {
            await foreach (var profile in first.PaginateAsync(options))
                ids.Add(profile.Id!);
        });

        Assert.Equal(["id-p1", "id-p2"], ids);
        var error = Assert.IsType<KlaviyoError.Decode>(thrown.Error);
        Assert.Contains("leads back to a page already fetched", error.Message);
        Assert.True(server.Count <= 3, $"fetched {server.Count} pages");
    }

    [Fact]
    public async Task AllPages_stops_at_a_cycle_with_a_Left()
    {
        await using var server = await LoopingServer(reorder: false);
        var options = server.Options(new KlaviyoOptions { ApiKey = "pk_test" });
        var first = Profiles.WithQuery("page[size]", "1").WithQuery("page[cursor]", "");

        var result = await first.AllPages().RunAsync(options);

        Assert.IsType<KlaviyoError.Decode>(result.Match(_ => null!, e => e));
        Assert.True(server.Count <= 3, $"fetched {server.Count} pages");
    }

    [Fact]
    public async Task A_page_whose_next_link_is_refused_still_delivers_its_items_then_fails()
    {
        await using var server = await PagingServer.StartAsync(
            items: 3,
            pageSize: 2,
            nextHost: "http://elsewhere.example"
        );
        var options = server.Options(new KlaviyoOptions { ApiKey = "pk_test" });

        var ids = new List<string>();
        var thrown = await Assert.ThrowsAsync<KlaviyoException>(async () =>
        {
            await foreach (var profile in Profiles.PaginateAsync(options))
                ids.Add(profile.Id!);
        });

        Assert.Equal(["p0", "p1"], ids);
        Assert.IsType<KlaviyoError.Validation>(thrown.Error);
    }

    [Fact]
    public async Task Paginating_stops_at_once_when_the_token_is_cancelled_between_items()
    {
        await using var server = await PagingServer.StartAsync(items: 10, pageSize: 10);
        var options = server.Options(new KlaviyoOptions { ApiKey = "pk_test" });
        using var cts = new CancellationTokenSource();

        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Profiles.PaginateAsync(options, cts.Token))
            {
                seen++;
                cts.Cancel();
            }
        });

        Assert.Equal(1, seen);
    }

    private static byte[] GzipOfZeros(int length)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var written = 0; written < length; written += zeros.Length)
                gzip.Write(zeros, 0, Math.Min(zeros.Length, length - written));
        }
        return output.ToArray();
    }
}
