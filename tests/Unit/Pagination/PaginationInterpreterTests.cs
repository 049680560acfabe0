using Xunit;

namespace Klaviyo.Tests;

public class PaginationInterpreterTests
{
    private static readonly RequestOperation ListProfiles = Profiles.GetProfiles(pageSize: 4);

    [Fact]
    public async Task A_recorded_multi_page_listing_replays_with_the_server_gone()
    {
        var fixture = Path.Combine(Path.GetTempPath(), $"klaviyo-pages-{Guid.NewGuid():N}.json");
        try
        {
            KlaviyoOptions options;
            List<string?> live;
            await using (var server = await PagingServer.StartAsync(items: 10, pageSize: 4))
            {
                options = server.Options(new KlaviyoOptions { ApiKey = "pk_record_pages" });
                await using var recorder = Interpreter.Record(Interpreter.Live(), fixture);
                live = await ListProfiles
                    .PaginateAsync(options with { Client = recorder })
                    .Select(r => r.Id)
                    .ToListAsync();
                Assert.Equal(3, server.Count);
            }

            await using var replay = Interpreter.Replay(fixture);
            var replayed = await ListProfiles
                .PaginateAsync(options with { Client = replay })
                .Select(r => r.Id)
                .ToListAsync();

            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"p{i}"), live);
            Assert.Equal(live, replayed);
            Assert.DoesNotContain("pk_record_pages", await File.ReadAllTextAsync(fixture));
        }
        finally
        {
            File.Delete(fixture);
        }
    }

    [Fact]
    public async Task AllPages_is_an_operation_that_collects_every_page_and_composes_in_LINQ()
    {
        await using var server = await PagingServer.StartAsync(items: 9, pageSize: 4);
        var program =
            from pages in ListProfiles.AllPages()
            from resources in ListProfiles.AllResources()
            select (Pages: pages.Count, Ids: resources.Map(r => r.Id));

        var nothingYet = server.Count;
        var result = await program.RunAsync(server.Options());

        Assert.Equal(0, nothingYet);
        var (pageCount, ids) = result.Match(
            r => r,
            e => throw new Xunit.Sdk.XunitException(e.ToString())
        );
        Assert.Equal(3, pageCount);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"p{i}"), ids);
        Assert.Equal(6, server.Count);
    }

    private sealed record Indexed(int Index);

    [Fact]
    public async Task AllResources_decodes_into_records_and_respects_a_page_limit()
    {
        await using var server = await PagingServer.StartAsync(items: 50, pageSize: 10);
        var result = await ListProfiles
            .AllResources<Indexed>(maxPages: 2)
            .RunAsync(server.Options());
        Assert.Equal(
            Enumerable.Range(0, 20),
            result.Match(
                r => r.Map(x => x.Attributes.Index),
                e => throw new Xunit.Sdk.XunitException(e.ToString())
            )
        );
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task AllPages_refuses_a_next_link_to_another_host()
    {
        await using var elsewhere = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );
        await using var server = await PagingServer.StartAsync(
            items: 9,
            pageSize: 4,
            nextHost: elsewhere.BaseUrl
        );
        var result = await ListProfiles.AllPages().RunAsync(server.Options());
        Assert.IsType<KlaviyoError.Validation>(result.Match(_ => null!, e => e));
        Assert.Equal(0, elsewhere.Count);
    }

    [Fact]
    public async Task Pagination_runs_under_the_stub_and_the_dry_run()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/profiles")
            .RespondWith(req =>
                req.Url.Contains("cursor")
                    ? StubResponse.Status(
                        200,
                        """{"data":[{"type":"profile","id":"b"}],"links":{"next":null}}"""
                    )
                    : StubResponse.Status(
                        200,
                        """{"data":[{"type":"profile","id":"a"}],"links":{"next":"https://a.klaviyo.com/api/profiles?page%5Bcursor%5D=2"}}"""
                    )
            );
        var viaStub = await ListProfiles
            .PaginateAsync(new KlaviyoOptions { Client = stub })
            .Select(r => r.Id)
            .ToListAsync();
        Assert.Equal(["a", "b"], viaStub);

        var printed = new StringWriter();
        var dry = await ListProfiles
            .PaginateAsync(new KlaviyoOptions { Client = Interpreter.DryRun(printed) })
            .ToListAsync();
        // The dry answer is one page shaped like the spec's: two profiles, no next link.
        Assert.Equal(2, dry.Count);
        Assert.Single(printed.ToString().Split("--request 'GET'")[1..]);
        Assert.Contains("/api/profiles", printed.ToString());
    }
}
