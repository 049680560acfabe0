using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static Klaviyo.Tests.TestOptions;

namespace Klaviyo.Tests.Stub;

/// <summary>
/// How many requests a stub keeps (<see cref="StubInterpreter.KeepCalls"/>) and counts
/// (<see cref="StubInterpreter.CallCount"/>).
/// </summary>
public class StubKeepCallsTests
{
    private static RequestOperation Get(string path) => new(HttpMethod.Get, path);

    private static async Task SendAll(StubInterpreter stub, params string[] paths)
    {
        foreach (var path in paths)
            await Get(path).SendAsync(With(stub));
    }

    [Fact]
    public async Task By_default_every_request_is_kept_and_counted()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200);

        await SendAll(stub, "/api/a", "/api/b", "/api/c");

        Assert.Equal(3, stub.CallCount);
        Assert.Equal(["/api/a", "/api/b", "/api/c"], stub.Calls.Select(c => c.Path));
    }

    [Fact]
    public async Task KeepCalls_0_keeps_no_request_but_still_counts_every_one_matched_or_not()
    {
        var stub = Interpreter.Stub().When(HttpMethod.Get, "/api/a").Respond(200).KeepCalls(0);

        await SendAll(stub, "/api/a", "/api/unstubbed", "/api/a");

        Assert.Empty(stub.Calls);
        Assert.Equal(3, stub.CallCount);
    }

    [Fact]
    public async Task KeepCalls_n_keeps_the_latest_n_requests_in_arrival_order()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200).KeepCalls(2);

        await SendAll(stub, "/api/a", "/api/b", "/api/c", "/api/d");

        Assert.Equal(["/api/c", "/api/d"], stub.Calls.Select(c => c.Path));
        Assert.Equal(4, stub.CallCount);
    }

    [Fact]
    public async Task KeepCalls_drops_the_older_requests_already_kept()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200);
        await SendAll(stub, "/api/a", "/api/b", "/api/c");

        stub.KeepCalls(1);

        Assert.Equal(["/api/c"], stub.Calls.Select(c => c.Path));
        await SendAll(stub, "/api/d");
        Assert.Equal(["/api/d"], stub.Calls.Select(c => c.Path));
    }

    [Fact]
    public async Task A_stub_keeping_no_calls_answers_as_before()
    {
        var stub = Interpreter.Stub(_ => StubResponse.Status(200, """{"data":[]}""")).KeepCalls(0);

        var response = Ok(await Get("/api/a").SendAsync(With(stub)));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(0, response.Json.Map(j => j.GetProperty("data").GetArrayLength()).IfNone(-1));
    }

    [Fact]
    public void KeepCalls_refuses_a_negative_limit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Interpreter.Stub().KeepCalls(-1));
    }

    [Fact]
    public async Task Requests_are_counted_safely_from_many_threads_when_none_are_kept()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200).KeepCalls(0);

        await Task.WhenAll(
            Enumerable.Range(0, 200).Select(i => Task.Run(() => SendAll(stub, $"/api/item{i}")))
        );

        Assert.Equal(200, stub.CallCount);
        Assert.Empty(stub.Calls);
    }
}
