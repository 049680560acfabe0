using System.Text.Json;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static Klaviyo.Tests.TestOptions;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Composition;

public class OperationTests
{
    private static RequestOperation Get(string path) => new(HttpMethod.Get, path);

    private static string[] Paths(StubInterpreter stub) => stub.Calls.Select(c => c.Path).ToArray();

    [Fact]
    public async Task Describing_a_program_sends_nothing_until_it_runs()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200);
        var mapped = 0;
        var program = from a in Get("/api/accounts") from b in Get("/api/lists") select ++mapped;

        Assert.Empty(stub.Calls);
        Assert.Equal(0, mapped);

        Assert.Equal(1, Ok(await program.RunAsync(With(stub))));
        Assert.Equal(["/api/accounts", "/api/lists"], Paths(stub));
        Assert.Equal(2, Ok(await program.RunAsync(With(stub))));
        Assert.Equal(4, stub.Calls.Count);
    }

    [Fact]
    public async Task A_request_is_usable_in_LINQ_with_its_response_as_the_element()
    {
        var stub = Interpreter.Stub().When(HttpMethod.Get, "/api/accounts").Respond(202);

        Operation<int> program = from r in Get("/api/accounts") select r.StatusCode;

        Assert.Equal(202, Ok(await program.RunAsync(With(stub))));
    }

    [Fact]
    public async Task The_second_request_is_chosen_from_the_first_response()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/profiles")
            .Respond(200, """{"data":[{"type":"profile","id":"p 7"}]}""")
            .When(HttpMethod.Get, "/api/profiles/{id}")
            .RespondWith(req => StubResponse.Status(200, $$"""{"url":"{{req.Url}}"}"""));

        var program =
            from list in Get("/api/profiles")
            let id = list
                .Json.Map(j => j.GetProperty("data")[0].GetProperty("id").GetString()!)
                .IfNone("")
            from one in PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", id)
            select (id, one.StatusCode);

        Assert.Equal(("p 7", 200), Ok(await program.RunAsync(With(stub))));
        Assert.Equal(["/api/profiles", "/api/profiles/p%207"], Paths(stub));
    }

    [Fact]
    public async Task Requests_and_operations_mix_in_one_query()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/a")
            .Respond(200)
            .When(HttpMethod.Get, "/api/b")
            .Respond(201)
            .When(HttpMethod.Get, "/api/c")
            .Respond(202);

        var program =
            from a in Get("/api/a")
            from n in Operation.Pure(40)
            from b in Get("/api/b")
            from c in Operation.Send(Get("/api/c")).Map(r => r.StatusCode)
            select a.StatusCode + b.StatusCode + c + n;

        Assert.Equal(200 + 201 + 202 + 40, Ok(await program.RunAsync(With(stub))));
        Assert.Equal(["/api/a", "/api/b", "/api/c"], Paths(stub));
    }

    [Fact]
    public async Task A_failing_request_stops_the_program_before_later_sends()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/first")
            .Respond(404, """{"errors":[{"code":"not_found","title":"Not found"}]}""")
            .WhenAny()
            .Respond(200);
        var reachedSelect = false;

        var program =
            from a in Get("/api/first")
            from b in Get("/api/second")
            from c in Get("/api/third")
            select reachedSelect = true;

        var error = Err(await program.RunAsync(With(stub)));

        Assert.Equal(404, Assert.IsType<KlaviyoError.Api>(error).StatusCode);
        Assert.Equal(["/api/first"], Paths(stub));
        Assert.False(reachedSelect);
    }

    [Fact]
    public async Task Fail_stops_the_program_and_nothing_after_it_is_sent()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200);
        var boom = new KlaviyoError.Validation(Seq1("no"));

        var program = Operation
            .Send(Get("/api/one"))
            .Then(Operation.Fail<int>(boom))
            .Bind(_ => Get("/api/two"));

        Assert.Same(boom, Err(await program.RunAsync(With(stub))));
        Assert.Equal(["/api/one"], Paths(stub));
    }

    [Fact]
    public async Task A_decode_step_that_fails_stops_the_program()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200, """{"data":null}""");
        Either<KlaviyoError, string> DecodeId(KlaviyoResponse r) =>
            r
                .Json.Bind(j =>
                    j.GetProperty("data").ValueKind == JsonValueKind.Object
                        ? Some(j.GetProperty("data").GetProperty("id").GetString()!)
                        : None
                )
                .ToEither<KlaviyoError>(
                    new KlaviyoError.Decode("no data object", r.StatusCode, r.Headers, "")
                );

        var program =
            from r in Get("/api/one")
            from id in DecodeId(r)
            from again in Get("/api/two")
            select id;

        var error = Assert.IsType<KlaviyoError.Decode>(Err(await program.RunAsync(With(stub))));
        Assert.Equal("no data object", error.Reason);
        Assert.Equal(["/api/one"], Paths(stub));
    }

    [Fact]
    public async Task Bind_with_an_Either_yields_the_Right_value()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200, """{"data":{"id":"x1"}}""");

        var program = Operation
            .Send(Get("/api/one"))
            .Bind(r =>
                Right<KlaviyoError, string>(
                    r.Json.Map(j => j.GetProperty("data").GetProperty("id").GetString()!).IfNone("")
                )
            );

        Assert.Equal("x1", Ok(await program.RunAsync(With(stub))));
    }

    [Fact]
    public async Task From_lifts_a_Right_to_its_value_and_a_Left_to_a_failure()
    {
        var stub = Interpreter.Stub();
        var error = new KlaviyoError.Transport("x");

        Assert.Equal(5, Ok(await Operation.From(Right<KlaviyoError, int>(5)).RunAsync(With(stub))));
        Assert.Same(
            error,
            Err(await Operation.From(Left<KlaviyoError, int>(error)).RunAsync(With(stub)))
        );
    }

    [Fact]
    public async Task Sequence_sends_one_after_another_and_yields_values_in_input_order()
    {
        var stub = Interpreter
            .Stub()
            .WhenAny()
            .RespondWith(r => StubResponse.Status(200 + int.Parse(r.Url[^1..])));

        var program = Operation.Sequence(
            Enumerable.Range(1, 5).Select(i => Get($"/api/item{i}").Select(r => r.StatusCode))
        );

        Assert.Equal(Seq(201, 202, 203, 204, 205), Ok(await program.RunAsync(With(stub))));
        Assert.Equal(
            ["/api/item1", "/api/item2", "/api/item3", "/api/item4", "/api/item5"],
            Paths(stub)
        );
    }

    [Fact]
    public async Task Sequence_stops_at_the_first_error()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/item3")
            .Respond(400)
            .WhenAny()
            .Respond(200);

        var program = Operation.Sequence(Enumerable.Range(1, 5).Select(i => Get($"/api/item{i}")));

        Assert.Equal(
            400,
            Assert.IsType<KlaviyoError.Api>(Err(await program.RunAsync(With(stub)))).StatusCode
        );
        Assert.Equal(["/api/item1", "/api/item2", "/api/item3"], Paths(stub));
    }

    [Fact]
    public async Task Sequence_and_Parallel_of_nothing_yield_an_empty_Seq()
    {
        var stub = Interpreter.Stub();
        Assert.True(
            Ok(
                await Operation.Sequence(System.Array.Empty<Operation<int>>()).RunAsync(With(stub))
            ).IsEmpty
        );
        Assert.True(
            Ok(
                await Operation
                    .Parallel(System.Array.Empty<RequestOperation>(), 4)
                    .RunAsync(With(stub))
            ).IsEmpty
        );
    }

    [Fact]
    public async Task Parallel_yields_results_in_input_order_even_when_they_finish_in_reverse()
    {
        const int n = 6;
        // Request i answers only after request i + 1 has answered, so they finish last-first.
        var answered = Enumerable
            .Range(0, n + 1)
            .Select(_ => new TaskCompletionSource(
                TaskCreationOptions.RunContinuationsAsynchronously
            ))
            .ToArray();
        answered[n].SetResult();
        var finished = new List<int>();
        var stub = Interpreter
            .Stub()
            .WhenAny()
            .RespondWith(
                async (r, ct) =>
                {
                    var i = int.Parse(r.Url[^1..]);
                    await answered[i + 1].Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
                    lock (finished)
                        finished.Add(i);
                    answered[i].SetResult();
                    return StubResponse.Status(200 + i);
                }
            );

        var program = Operation.Parallel(
            Enumerable.Range(0, n).Select(i => Get($"/api/item{i}").Select(r => r.StatusCode)),
            maxDegree: n
        );

        Assert.Equal(Seq(200, 201, 202, 203, 204, 205), Ok(await program.RunAsync(With(stub))));
        Assert.Equal([5, 4, 3, 2, 1, 0], finished);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Parallel_never_has_more_than_maxDegree_requests_in_flight(int maxDegree)
    {
        var inFlight = 0;
        var most = 0;
        // The first requests hold until maxDegree of them are in flight at once, whatever the scheduling; then every
        // request answers as soon as it may, so any extra one started meanwhile would show in the count.
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stub = Interpreter
            .Stub()
            .WhenAny()
            .RespondWith(
                async (_, ct) =>
                {
                    var now = Interlocked.Increment(ref inFlight);
                    int seen;
                    while (now > (seen = Volatile.Read(ref most)))
                        Interlocked.CompareExchange(ref most, now, seen);
                    if (now >= maxDegree)
                        full.TrySetResult();
                    await full.Task.WaitAsync(ct);
                    await Task.Yield();
                    Interlocked.Decrement(ref inFlight);
                    return StubResponse.Status(200);
                }
            );

        var program = Operation.Parallel(
            Enumerable.Range(0, 16).Select(i => Get($"/api/item{i}")),
            maxDegree
        );

        // A bound only so that a runner that never reaches maxDegree fails instead of hanging the run.
        Assert.Equal(
            16,
            Ok(await program.RunAsync(With(stub)).WaitAsync(TimeSpan.FromSeconds(60))).Count
        );
        Assert.Equal(16, stub.Calls.Count);
        Assert.Equal(maxDegree, most);
    }

    [Fact]
    public async Task Parallel_starts_nothing_new_after_an_error()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/item2")
            .Respond(403)
            .WhenAny()
            .Respond(200);

        var program = Operation.Parallel(
            Enumerable.Range(0, 10).Select(i => Get($"/api/item{i}")),
            maxDegree: 1
        );

        Assert.Equal(
            403,
            Assert.IsType<KlaviyoError.Api>(Err(await program.RunAsync(With(stub)))).StatusCode
        );
        Assert.Equal(["/api/item0", "/api/item1", "/api/item2"], Paths(stub));
    }

    [Fact]
    public async Task Parallel_cancels_requests_in_flight_after_an_error_and_reports_that_error()
    {
        var slowCancelled = false;
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/slow")
            .RespondWith(
                async (_, ct) =>
                {
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(30), ct);
                    }
                    catch (OperationCanceledException)
                    {
                        slowCancelled = true;
                        throw;
                    }
                    return StubResponse.Status(200);
                }
            )
            .When(HttpMethod.Get, "/api/broken")
            .RespondWith(
                async (_, _) =>
                {
                    await Task.Yield();
                    return StubResponse.Status(500);
                }
            );

        var program = Operation.Parallel([Get("/api/slow"), Get("/api/broken")], maxDegree: 2);

        var error = Err(await program.RunAsync(With(stub)).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(500, Assert.IsType<KlaviyoError.Api>(error).StatusCode);
        Assert.True(slowCancelled);
    }

    [Fact]
    public void Parallel_rejects_a_maxDegree_below_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Operation.Parallel([Get("/api/a")], maxDegree: 0)
        );

    [Fact]
    public async Task A_cancelled_run_returns_Cancelled_and_sends_nothing()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var error = Err(await Operation.Send(Get("/api/a")).RunAsync(With(stub), cts.Token));

        Assert.IsType<KlaviyoError.Cancelled>(error);
        Assert.Empty(stub.Calls);
    }

    [Fact]
    public async Task The_client_runs_a_program_and_throws_KlaviyoException_on_error()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/ok")
            .Respond(200)
            .When(HttpMethod.Get, "/api/missing")
            .Respond(404);
        var client = new KlaviyoClient(With(stub));

        Assert.Equal(200, await client.RunAsync(from r in Get("/api/ok") select r.StatusCode));
        var thrown = await Assert.ThrowsAsync<KlaviyoException>(() =>
            client.RunAsync(from r in Get("/api/missing") select r.StatusCode)
        );
        Assert.Equal(404, Assert.IsType<KlaviyoError.Api>(thrown.Error).StatusCode);
    }

    [Fact]
    public void ToString_names_the_first_step_and_counts_the_rest_without_running()
    {
        var program = Operation.Send(Get("/api/accounts")).Map(r => r.StatusCode).Map(s => s + 1);

        Assert.Equal("Operation { send GET /api/accounts, then 2 step(s) }", program.ToString());
    }
}
