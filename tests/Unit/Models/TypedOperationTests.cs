using System.Text.Json;
using Klaviyo.Models;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests.Models;

public class TypedOperationTests
{
    private const string ProfilesPage = """
        {"data":[
          {"type":"profile","id":"01A","attributes":{"email":"sarah.mason@klaviyo-demo.com","first_name":"Sarah"}},
          {"type":"profile","id":"01B","attributes":{"email":"ada@example.com","unknown_member":42}}
        ],
        "links":{"self":"https://a.klaviyo.com/api/profiles","next":null}}
        """;

    private static Operation<IEnumerable<string?>> Emails =>
        from page in Profiles.GetProfiles(pageSize: 20)
        select page.Data.Select(p => p.Attributes.Email);

    private static T Right<T>(Either<KlaviyoError, T> result) =>
        result.Match(v => v, e => throw new Xunit.Sdk.XunitException(e.Message));

    private static KlaviyoError Left<T>(Either<KlaviyoError, T> result) =>
        result.Match(
            v => throw new Xunit.Sdk.XunitException($"expected an error, got {v}"),
            e => e
        );

    [Fact]
    public async Task A_typed_listing_selects_typed_resources_under_the_stub()
    {
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_test_key",
            Client = Interpreter
                .Stub()
                .When(HttpMethod.Get, "/api/profiles")
                .Respond(200, ProfilesPage),
        };

        var emails = Right(await Emails.RunAsync(options));

        Assert.Equal(["sarah.mason@klaviyo-demo.com", "ada@example.com"], emails);
    }

    [Fact]
    public async Task A_typed_listing_runs_live_against_a_loopback_server()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, ProfilesPage)
        );

        var emails = Right(await Emails.RunAsync(server.Options()));

        Assert.Equal(["sarah.mason@klaviyo-demo.com", "ada@example.com"], emails);
        Assert.Equal("?page%5Bsize%5D=20", server.Received.Single().QueryString);
    }

    [Fact]
    public async Task A_typed_listing_runs_dry_and_selects_from_the_dry_answer()
    {
        var output = new StringWriter();
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_test_key",
            Client = Interpreter.DryRun(output),
        };

        var emails = Right(await Emails.RunAsync(options));

        Assert.NotNull(emails);
        Assert.Contains("/api/profiles", output.ToString());
    }

    [Fact]
    public async Task A_typed_listing_replays_what_was_recorded()
    {
        var fixture = Path.Combine(Path.GetTempPath(), $"klaviyo-typed-{Guid.NewGuid():N}.json");
        try
        {
            var stub = Interpreter
                .Stub()
                .When(HttpMethod.Get, "/api/profiles")
                .Respond(200, ProfilesPage);
            await using (var recorder = Interpreter.Record(stub, fixture, RecordMode.All))
                Right(
                    await Emails.RunAsync(
                        new KlaviyoOptions { ApiKey = "pk_test_key", Client = recorder }
                    )
                );

            var replayed = Right(
                await Emails.RunAsync(
                    new KlaviyoOptions
                    {
                        ApiKey = "pk_test_key",
                        Client = Interpreter.Replay(fixture),
                    }
                )
            );

            Assert.Equal(["sarah.mason@klaviyo-demo.com", "ada@example.com"], replayed);
        }
        finally
        {
            File.Delete(fixture);
        }
    }

    [Fact]
    public async Task A_body_of_the_wrong_shape_is_a_decode_error_naming_the_path_and_the_status()
    {
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_test_key",
            Client = Interpreter
                .Stub()
                .WhenAny()
                .Respond(200, """{"data":[{"type":"profile","id":"01A","attributes":[1,2]}]}"""),
        };

        var error = Left(await Emails.RunAsync(options));

        var decode = Assert.IsType<KlaviyoError.Decode>(error);
        Assert.Contains("$.data[0].attributes", decode.Reason);
        Assert.Equal(200, decode.StatusCode);
    }

    [Fact]
    public async Task A_typed_response_keeps_status_headers_and_the_raw_body()
    {
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_test_key",
            Client = Interpreter.Stub().WhenAny().Respond(200, ProfilesPage),
        };
        var program =
            from page in Profiles.GetProfiles()
            select (page.StatusCode, page.Json.IsSome, page.Value.Data.Count, page.Links?.Self);

        var (status, isJson, count, self) = Right(await program.RunAsync(options));

        Assert.Equal(
            (200, true, 2, "https://a.klaviyo.com/api/profiles"),
            (status, isJson, count, self)
        );
    }

    [Fact]
    public async Task Two_typed_requests_compose_and_the_second_sees_the_first()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/profiles")
            .Respond(200, ProfilesPage)
            .When(HttpMethod.Get, "/api/profiles/01A")
            .Respond(
                200,
                """{"data":{"type":"profile","id":"01A","attributes":{"first_name":"Sarah"}}}"""
            );
        var program =
            from page in Profiles.GetProfiles()
            from one in Profiles.GetProfile(page.Data[0].Id!)
            select one.Data.Attributes.FirstName;

        Assert.Equal(
            "Sarah",
            Right(await program.RunAsync(new KlaviyoOptions { ApiKey = "pk_k", Client = stub }))
        );
    }

    [Fact]
    public async Task A_typed_request_after_an_operation_is_decoded_too()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200, ProfilesPage);
        var program =
            from size in Operation.Pure(5)
            from page in Profiles.GetProfiles(pageSize: size)
            select page.Data.Count;

        Assert.Equal(
            2,
            Right(await program.RunAsync(new KlaviyoOptions { ApiKey = "pk_k", Client = stub }))
        );
    }

    [Fact]
    public void A_typed_operation_equals_the_untyped_one_and_converts_to_it()
    {
        RequestOperation untyped = Lists.GetList("Y6nRLr");
        var built = new RequestOperation(HttpMethod.Get, "/api/lists/Y6nRLr")
        {
            OperationId = "get_list",
        };

        Assert.Equal(built, untyped);
        Assert.Equal(untyped, Lists.GetList("Y6nRLr"));
        Assert.Equal(built.GetHashCode(), Lists.GetList("Y6nRLr").GetHashCode());
        Assert.IsType<RequestOperation<GetListRetrieveResponseCompoundDocument>>(
            untyped with
            {
                Path = "/x",
            }
        );
    }

    [Fact]
    public void A_typed_body_is_written_by_its_generated_writer()
    {
        var body = new ListCreateQuery(
            new ListCreateQueryResourceObject(
                new ListCreateQueryResourceObjectAttributes("VIP")
                {
                    OptInProcess = OptInProcess.DoubleOptIn,
                }
            )
        );

        var request = Right(Lists.CreateList(body).Build(new KlaviyoOptions { ApiKey = "pk_k" }));

        Assert.IsType<RequestBody.TypedJsonValue>(Lists.CreateList(body).Body);
        Assert.Equal(
            """{"data":{"type":"list","attributes":{"name":"VIP","opt_in_process":"double_opt_in"}}}""",
            request.Content.ToString()
        );
    }

    [Fact]
    public void The_object_overload_still_takes_raw_json()
    {
        var raw = JsonDocument
            .Parse("""{"data":{"type":"list","attributes":{"name":"VIP"}}}""")
            .RootElement;

        var request = Right(
            Lists.CreateList((object)raw).Build(new KlaviyoOptions { ApiKey = "pk_k" })
        );

        Assert.Equal(
            """{"data":{"type":"list","attributes":{"name":"VIP"}}}""",
            request.Content.ToString()
        );
    }

    private const string SecondPage = """
        {"data":[{"type":"list","id":"L3","attributes":{"name":"Third"}}],"links":{"self":"x","next":null}}
        """;

    private static StubInterpreter TwoListPages(string host) =>
        Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/lists", r => !r.Query.Exists(q => q.Name == "page[cursor]"))
            .Respond(
                200,
                $$$"""
                {"data":[{"type":"list","id":"L1","attributes":{"name":"First"}},
                         {"type":"list","id":"L2","attributes":{"name":"Second","opt_in_process":"triple_opt_in"}}],
                 "links":{"self":"x","next":"https://{{{host}}}/api/lists?page%5Bcursor%5D=c2"}}
                """
            )
            .When(HttpMethod.Get, "/api/lists", r => r.Query.Exists(q => q.Name == "page[cursor]"))
            .Respond(200, SecondPage);

    [Fact]
    public async Task Paginating_a_typed_listing_streams_typed_resources_of_every_page()
    {
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_k",
            Client = TwoListPages("a.klaviyo.com"),
        };

        var lists = new List<ListListResponseObjectResource>();
        await foreach (var list in Lists.GetLists().PaginateAsync(options))
            lists.Add(list);

        Assert.Equal(["First", "Second", "Third"], lists.Select(l => l.Attributes.Name));
        Assert.False(lists[1].Attributes.OptInProcess!.Value.IsKnown);
    }

    [Fact]
    public async Task AllResources_of_a_typed_listing_is_a_typed_sequence_in_a_program()
    {
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_k",
            Client = TwoListPages("a.klaviyo.com"),
        };
        var program = from lists in Lists.GetLists().AllResources() select lists.Map(l => l.Id);

        Assert.Equal(new[] { "L1", "L2", "L3" }, Right(await program.RunAsync(options)).ToArray());
    }

    [Fact]
    public async Task A_resource_of_the_wrong_shape_on_a_later_page_names_its_path()
    {
        var stub = Interpreter
            .Stub()
            .WhenAny()
            .Respond(
                200,
                """{"data":[{"type":"list","id":"L1"},{"type":"list","id":"L2","attributes":"oops"}]}"""
            );
        var program = Lists.GetLists().AllResources();

        var error = Assert.IsType<KlaviyoError.Decode>(
            Left(await program.RunAsync(new KlaviyoOptions { ApiKey = "pk_k", Client = stub }))
        );

        Assert.StartsWith("at $.data[1].attributes", error.Reason);
        Assert.Equal(200, error.StatusCode);
    }

    [Fact]
    public void Every_typed_operation_returns_the_model_the_operation_table_names()
    {
        var mismatches = new List<string>();
        foreach (var entry in OperationCatalog.All)
        {
            var method = GeneratedMethods.Primary(
                typeof(RequestOperation).Assembly.GetType("Klaviyo." + entry.Tag),
                entry.MethodName
            )!;
            var expected = OperationModels.Response(entry.OperationId);
            var returned = method.ReturnType;
            var actual = returned.IsGenericType ? returned.GetGenericArguments()[0] : null;
            if (expected is not null && actual != expected)
                mismatches.Add($"{entry.OperationId}: {returned.Name} for {expected.Name}");
            if (expected is null && actual is not null)
                mismatches.Add($"{entry.OperationId}: typed {actual.Name} but the table has none");
        }
        Assert.Empty(mismatches);
    }
}
