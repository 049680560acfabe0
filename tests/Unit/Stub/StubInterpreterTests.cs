using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static Klaviyo.Tests.TestOptions;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Stub;

public class StubInterpreterTests
{
    private static RequestOperation Get(string path) => new(HttpMethod.Get, path);

    private static Task<Either<KlaviyoError, KlaviyoResponse>> Send(
        StubInterpreter stub,
        RequestOperation op
    ) => op.SendAsync(With(stub));

    [Fact]
    public async Task A_rule_matches_on_method_and_path_and_answers_with_status_body_and_headers()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/accounts")
            .Respond(200, """{"data":[]}""", headers: ("x-rule", "accounts"));

        var response = (await Send(stub, Get("/api/accounts"))).Match(
            r => r,
            e => throw new Xunit.Sdk.XunitException(e.ToString())
        );

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("accounts", response.Headers["x-rule"].IfNone(""));
        Assert.Equal(0, response.Json.Map(j => j.GetProperty("data").GetArrayLength()).IfNone(-1));
    }

    [Fact]
    public async Task The_path_is_matched_without_the_query()
    {
        var stub = Interpreter.Stub().When(HttpMethod.Get, "/api/profiles").Respond(200);

        Assert.Equal(
            200,
            Status(await Send(stub, Get("/api/profiles").WithQuery("page[size]", "5")))
        );
    }

    [Fact]
    public async Task A_different_method_or_path_does_not_match()
    {
        var stub = Interpreter.Stub().When(HttpMethod.Get, "/api/profiles").Respond(200);

        Assert.IsType<KlaviyoError.Validation>(
            Err(await Send(stub, new RequestOperation(HttpMethod.Post, "/api/profiles")))
        );
        Assert.IsType<KlaviyoError.Validation>(Err(await Send(stub, Get("/api/profiles/x"))));
    }

    [Fact]
    public async Task A_braced_segment_matches_any_one_segment()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/profiles/{id}/lists")
            .Respond(200)
            .WhenAny()
            .Respond(418);

        Assert.Equal(200, Status(await Send(stub, Get("/api/profiles/p1/lists"))));
        Assert.Equal(418, Status(await Send(stub, Get("/api/profiles/p1/p2/lists"))));
        Assert.Equal(418, Status(await Send(stub, Get("/api/profiles/p1"))));
    }

    [Fact]
    public async Task A_predicate_narrows_a_rule_and_the_first_matching_rule_answers()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/events", r => r.Url.Contains("page%5Bcursor%5D"))
            .Respond(206)
            .When(HttpMethod.Get, "/api/events")
            .Respond(200)
            .When(HttpMethod.Get, "/api/events")
            .Respond(500);

        Assert.Equal(200, Status(await Send(stub, Get("/api/events"))));
        Assert.Equal(
            206,
            Status(await Send(stub, Get("/api/events").WithQuery("page[cursor]", "abc")))
        );
    }

    [Fact]
    public async Task A_rule_may_match_on_any_property_of_the_request()
    {
        var stub = Interpreter
            .Stub()
            .When(r => r.Header("revision").IfNone("") == "2020-01-01", "old revision")
            .Respond(400)
            .WhenAny()
            .Respond(200);

        Assert.Equal(
            400,
            Status(await Get("/api/a").SendAsync(With(stub) with { Revision = "2020-01-01" }))
        );
        Assert.Equal(200, Status(await Send(stub, Get("/api/a"))));
    }

    [Fact]
    public async Task Responses_are_given_in_order_and_the_last_one_repeats()
    {
        var stub = Interpreter
            .Stub()
            .WhenAny()
            .Respond(StubResponse.Status(201), StubResponse.Status(202), StubResponse.Status(203));

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
            statuses.Add(Status(await Send(stub, Get("/api/a"))));

        Assert.Equal([201, 202, 203, 203, 203], statuses);
    }

    [Fact]
    public async Task Cyclic_responses_start_over_after_the_last()
    {
        var stub = Interpreter
            .Stub()
            .WhenAny()
            .RespondCyclic(StubResponse.Status(201), StubResponse.Status(202));

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
            statuses.Add(Status(await Send(stub, Get("/api/a"))));

        Assert.Equal([201, 202, 201, 202, 201], statuses);
    }

    [Fact]
    public async Task A_function_computes_the_response_from_the_request()
    {
        var stub = Interpreter.Stub(r =>
            StubResponse.Status(r.Method == HttpMethod.Delete ? 204 : 200)
        );

        Assert.Equal(
            204,
            Status(await Send(stub, new RequestOperation(HttpMethod.Delete, "/api/x")))
        );
        Assert.Equal(200, Status(await Send(stub, Get("/api/x"))));
    }

    [Fact]
    public async Task Fail_simulates_a_transport_failure()
    {
        var stub = Interpreter.Stub().WhenAny().Fail("connection refused");

        var error = Assert.IsType<KlaviyoError.Transport>(Err(await Send(stub, Get("/api/a"))));

        Assert.Equal("connection refused", error.Reason);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task TimeOut_simulates_a_timeout_after_the_request_timeout()
    {
        var stub = Interpreter.Stub().WhenAny().TimeOut();
        var options = With(stub) with
        {
            ClientOptions = new ClientOptions { Timeout = TimeSpan.FromSeconds(7) },
        };

        var error = Assert.IsType<KlaviyoError.Timeout>(
            Err(await Get("/api/a").SendAsync(options))
        );

        Assert.Equal(TimeSpan.FromSeconds(7), error.After);
    }

    [Fact]
    public async Task An_unstubbed_request_is_an_error_naming_it_and_listing_the_rules_without_secrets()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/accounts")
            .Respond(200)
            .When(HttpMethod.Post, "/api/events", _ => true)
            .Respond(202);
        var op = Get("/api/lists").WithQuery("token", "s3cr3t-refresh-token") with
        {
            Secrets = Seq1(Secret.Of("s3cr3t-refresh-token")),
        };

        var error = Assert.IsType<KlaviyoError.Validation>(Err(await Send(stub, op)));

        Assert.Equal(
            "invalid request: no stub rule matches GET https://a.klaviyo.com/api/lists?token=%5BREDACTED%5D; "
                + "rules: 1. GET /api/accounts, 2. POST /api/events (with a predicate)",
            error.Message
        );
        Assert.DoesNotContain(ApiKey, error.ToString());
        Assert.Equal(0, error.Attempts);
    }

    [Fact]
    public async Task An_unstubbed_request_is_not_retried()
    {
        var stub = Interpreter.Stub();

        var error = Err(await Get("/api/a").SendAsync(With(stub) with { Retry = Retry.Linear }));

        Assert.Contains(
            "no stub rule matches GET https://a.klaviyo.com/api/a; no rules",
            error.Message
        );
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task Calls_records_every_request_in_order_including_unmatched_ones()
    {
        var stub = Interpreter.Stub().When(HttpMethod.Get, "/api/a").Respond(200);

        await Send(stub, Get("/api/a"));
        await Send(stub, Get("/api/nothing"));
        await Send(stub, Get("/api/a").WithQuery("x", "1"));

        Assert.Equal(
            [
                "https://a.klaviyo.com/api/a",
                "https://a.klaviyo.com/api/nothing",
                "https://a.klaviyo.com/api/a?x=1",
            ],
            stub.Calls.Select(c => c.Url).ToArray()
        );
        Assert.Equal("Klaviyo-API-Key " + ApiKey, (stub.Calls[0].Authorization?.Reveal() ?? ""));
    }

    [Fact]
    public async Task Calls_are_recorded_safely_from_many_threads()
    {
        var stub = Interpreter
            .Stub()
            .WhenAny()
            .RespondWith(
                async (_, _) =>
                {
                    await Task.Yield();
                    return StubResponse.Status(200);
                }
            );

        await Task.WhenAll(
            Enumerable.Range(0, 200).Select(i => Task.Run(() => Send(stub, Get($"/api/item{i}"))))
        );

        Assert.Equal(200, stub.Calls.Count);
        Assert.Equal(200, stub.Calls.Select(c => c.Url).Distinct().Count());
    }

    [Fact]
    public async Task In_order_responses_are_handed_out_once_each_under_concurrency()
    {
        var responses = Enumerable.Range(200, 50).Select(s => StubResponse.Status(s)).ToArray();
        var stub = Interpreter.Stub().WhenAny().Respond(responses);

        var results = await Task.WhenAll(
            Enumerable.Range(0, 50).Select(_ => Task.Run(() => Send(stub, Get("/api/a"))))
        );

        Assert.Equal(Enumerable.Range(200, 50), results.Select(Status).Order());
    }

    [Fact]
    public void A_path_with_a_query_is_rejected_when_the_rule_is_made()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Interpreter.Stub().When(HttpMethod.Get, "/api/profiles?page[size]=1")
        );
        Assert.Contains("predicate", ex.Message);
    }

    [Fact]
    public void A_rule_without_responses_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Interpreter.Stub().WhenAny().Respond());
    }

    [Fact]
    public void ToString_lists_the_rules()
    {
        var stub = Interpreter.Stub().When(HttpMethod.Get, "/api/a").Respond(200).WhenAny().Fail();

        Assert.Equal("StubInterpreter { rules: 1. GET /api/a, 2. any request }", stub.ToString());
    }

    [Fact]
    public async Task A_429_with_Retry_After_reaches_the_caller_with_its_header()
    {
        var stub = Interpreter
            .Stub()
            .WhenAny()
            .Respond(StubResponse.Status(429, headers: ("Retry-After", "3")));

        var error = Assert.IsType<KlaviyoError.Api>(Err(await Send(stub, Get("/api/a"))));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal("3", error.Response.Headers["retry-after"].IfNone(""));
    }
}
