using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests;

public class PaginationTests
{
    private static readonly RequestOperation ListProfiles = new(HttpMethod.Get, "/api/profiles")
    {
        OperationId = "get_profiles",
    };

    private sealed record Profile(string? Email, int Index);

    [Fact]
    public async Task Paginate_yields_every_resource_once_in_order_and_stops_at_the_last_page()
    {
        await using var server = await PagingServer.StartAsync(items: 23, pageSize: 5);
        var ids = new List<string?>();
        await foreach (
            var resource in ListProfiles.PaginateAsync(
                server.Options(new KlaviyoOptions { ApiKey = "pk_pages" })
            )
        )
            ids.Add(resource.Id);

        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"p{i}"), ids);
        Assert.Equal(5, server.Count);
        Assert.All(
            server.Received,
            r => Assert.Equal("Klaviyo-API-Key pk_pages", r.Header("authorization"))
        );
        Assert.Equal(
            [
                "",
                "?page%5Bcursor%5D=1",
                "?page%5Bcursor%5D=2",
                "?page%5Bcursor%5D=3",
                "?page%5Bcursor%5D=4",
            ],
            server.Received.Select(r => r.QueryString)
        );
    }

    [Fact]
    public async Task Paginate_decodes_attributes_into_records()
    {
        await using var server = await PagingServer.StartAsync(items: 7, pageSize: 3);
        var profiles = new List<Profile>();
        await foreach (var resource in ListProfiles.PaginateAsync<Profile>(server.Options()))
            profiles.Add(resource.Attributes);
        Assert.Equal(Enumerable.Range(0, 7), profiles.Select(p => p.Index));
        Assert.Equal("p6@example.com", profiles[^1].Email);
    }

    [Fact]
    public async Task Pages_yields_whole_documents_with_links_and_meta()
    {
        await using var server = await PagingServer.StartAsync(items: 4, pageSize: 2);
        var pages = new List<JsonApiDocument>();
        await foreach (var page in ListProfiles.PagesAsync(server.Options()))
            pages.Add(page);
        Assert.Equal(2, pages.Count);
        Assert.NotNull(pages[0].Links.Next);
        Assert.Null(pages[1].Links.Next);
        Assert.Equal(1, pages[1].Meta!.Value.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task A_page_limit_stops_fetching()
    {
        await using var server = await PagingServer.StartAsync(items: 100, pageSize: 10);
        var count = 0;
        await foreach (var _ in ListProfiles.PaginateAsync(server.Options(), maxPages: 3))
            count++;
        Assert.Equal(30, count);
        Assert.Equal(3, server.Count);
    }

    [Fact]
    public async Task An_empty_listing_yields_nothing_after_one_request()
    {
        await using var server = await PagingServer.StartAsync(items: 0, pageSize: 10);
        Assert.Empty(await ListProfiles.PaginateAsync(server.Options()).ToListAsync());
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_further_requests()
    {
        await using var server = await PagingServer.StartAsync(items: 1000, pageSize: 10);
        var sends = new SendCounter(Interpreter.Default);
        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (
                var _ in ListProfiles.PaginateAsync(
                    server.Options(new KlaviyoOptions { Client = sends }),
                    cts.Token
                )
            )
            {
                if (++seen == 15)
                    cts.Cancel();
            }
        });
        // Every send happens inside the stream's own steps, so once it has ended the count is final: no waiting.
        Assert.Equal(2, sends.Count);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task Cancelling_while_a_page_is_in_flight_ends_at_once()
    {
        // The server holds page 1 until the test lets it go, which it does only after the stream has ended: the
        // stream can end only by giving up on the request in flight. The cancel comes once page 1 is at the server.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await PagingServer.StartAsync(
            items: 100,
            pageSize: 10,
            beforePage: page =>
            {
                if (page != 1)
                    return Task.CompletedTask;
                arrived.TrySetResult();
                return release.Task;
            }
        );
        using var cts = new CancellationTokenSource();
        var cancelled = arrived.Task.ContinueWith(_ => cts.Cancel(), TaskScheduler.Default);
        var seen = 0;

        var stream = Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in ListProfiles.PaginateAsync(server.Options(), cts.Token))
                seen++;
        });
        // A bound only so that a stream that ignores the cancel fails instead of hanging the run.
        await stream.WaitAsync(TimeSpan.FromSeconds(60));
        await cancelled;
        var answeredFirst = release.Task.IsCompleted;
        release.SetResult();

        Assert.False(answeredFirst);
        Assert.Equal(10, seen);
        Assert.Equal(2, server.Count);
    }

    /// <summary>Counts the sends that reach the interpreter, then passes them on.</summary>
    private sealed class SendCounter(IInterpreter inner) : IInterpreter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task<LanguageExt.Either<KlaviyoError, RawResponse>> ExecuteAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        )
        {
            Interlocked.Increment(ref _count);
            return inner.ExecuteAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task A_links_next_to_another_host_is_refused_and_nothing_is_sent_there()
    {
        await using var elsewhere = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );
        await using var server = await PagingServer.StartAsync(
            items: 20,
            pageSize: 10,
            nextHost: elsewhere.BaseUrl
        );
        var seen = 0;
        var thrown = await Assert.ThrowsAsync<KlaviyoException>(async () =>
        {
            await foreach (
                var _ in ListProfiles.PaginateAsync(
                    server.Options(new KlaviyoOptions { ApiKey = "pk_not_elsewhere" })
                )
            )
                seen++;
        });
        Assert.IsType<KlaviyoError.Validation>(thrown.Error);
        Assert.Contains("refusing to follow links.next", thrown.Message);
        Assert.Equal(0, elsewhere.Count);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task A_failed_page_raises_KlaviyoException_with_the_error()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(403, """{"errors":[{"detail":"missing scope"}]}""")
        );
        var thrown = await Assert.ThrowsAsync<KlaviyoException>(async () =>
        {
            await foreach (var _ in ListProfiles.PaginateAsync(server.Options())) { }
        });
        Assert.Equal(403, Assert.IsType<KlaviyoError.Api>(thrown.Error).StatusCode);
    }

    [Fact]
    public async Task Reporting_pages_resend_the_body_with_the_page_cursor()
    {
        await using var server = await PagingServer.StartAsync(
            items: 5,
            pageSize: 2,
            cursorName: "page_cursor"
        );
        var op = new RequestOperation(HttpMethod.Post, "/api/campaign-values-reports")
        {
            OperationId = "query_campaign_values",
            Body = RequestBody.Json(new { data = new { type = "campaign-values-report" } }),
            SkipBodyCheck = true, // a placeholder body: only the paging matters here
        };
        var ids = await op.PaginateAsync(server.Options()).Select(r => r.Id).ToListAsync();
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], ids);
        Assert.All(server.Received, r => Assert.Equal("POST", r.Method));
        Assert.All(server.Received, r => Assert.Contains("campaign-values-report", r.BodyText));
        Assert.Equal(
            ["", "?page_cursor=1", "?page_cursor=2"],
            server.Received.Select(r => r.QueryString)
        );
    }

    [Fact]
    public async Task KlaviyoClient_paginates_with_its_options()
    {
        await using var server = await PagingServer.StartAsync(items: 3, pageSize: 2);
        var client = new KlaviyoClient(server.Options());
        Assert.Equal(3, await client.PaginateAsync(ListProfiles).CountAsync());
        Assert.Equal(2, await client.PagesAsync(ListProfiles).CountAsync());
    }

    [Fact]
    public void Next_keeps_method_body_headers_and_operation_and_strips_the_base_path()
    {
        var current = new RequestOperation(HttpMethod.Post, "/api/x")
        {
            OperationId = "op",
            Headers = Seq1(("x-h", "v")),
            Body = RequestBody.Json(new { a = 1 }),
        };
        var body = new ResponseBody.Json(
            JsonDocument
                .Parse(
                    """{"links":{"next":"https://proxy.test/base/api/x?page%5Bcursor%5D=a%2Bb&z=1"}}"""
                )
                .RootElement
        );
        var options = new KlaviyoOptions { Host = "proxy.test", Path = "/base" };

        var next = PageLinks
            .Next(current, body, options)
            .Match(o => o, e => throw new Xunit.Sdk.XunitException(e.ToString()));

        var op = next.Match(o => o, () => throw new Xunit.Sdk.XunitException("no next"));
        Assert.Equal("/api/x", op.Path);
        Assert.Equal(Seq(("page[cursor]", "a+b"), ("z", "1")), op.Query);
        Assert.Equal(current with { Path = op.Path, Query = op.Query }, op);
    }

    [Theory]
    [InlineData("""{"links":{"next":null}}""")]
    [InlineData("""{"links":{}}""")]
    [InlineData("""{"data":[]}""")]
    [InlineData("""{"links":{"next":""}}""")]
    public void No_next_link_means_no_next_page(string json)
    {
        var body = new ResponseBody.Json(JsonDocument.Parse(json).RootElement);
        var next = PageLinks
            .Next(ListProfiles, body, KlaviyoOptions.Default)
            .Match(o => o, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.True(next.IsNone);
    }

    [Theory]
    [InlineData("http://a.klaviyo.com/api/profiles?page%5Bcursor%5D=1")]
    [InlineData("https://a.klaviyo.com:8443/api/profiles?page%5Bcursor%5D=1")]
    [InlineData("https://evil.example/api/profiles?page%5Bcursor%5D=1")]
    public void A_next_link_on_another_scheme_host_or_port_is_a_validation_error(string link)
    {
        var body = new ResponseBody.Json(
            JsonDocument.Parse("{\"links\":{\"next\":\"" + link + "\"}}").RootElement
        );
        Assert.True(PageLinks.Next(ListProfiles, body, KlaviyoOptions.Default).IsLeft);
    }
}
