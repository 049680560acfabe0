using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static Klaviyo.Tests.Fixtures.FixtureTestKit;

namespace Klaviyo.Tests.Fixtures;

/// <summary>
/// What the faster replay and stub paths must still do: a fixture is checked whole when it is loaded (responses are
/// read on their first play, yet a broken one is refused at load), a response played again is the same response,
/// and a stub's failures arrive as a failed task, never as a throw from <c>ExecuteAsync</c> itself.
/// </summary>
public sealed class ReplayFastPathTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_response_body_with_broken_base64_is_refused_when_the_fixture_is_loaded()
    {
        var path = _folder.File();
        File.WriteAllText(
            path,
            """
            {"version": 1, "interactions": [
              {"request": {"method": "GET", "url": "https://a.klaviyo.com/api/a"},
               "response": {"status": 200, "body": {"$base64": "not base64!"}}}
            ]}
            """
        );

        var thrown = Assert.Throws<InvalidDataException>(() => Interpreter.Replay(path));

        Assert.Contains(path, thrown.Message);
    }

    [Fact]
    public async Task A_response_played_again_is_the_same_response_with_its_headers_and_body()
    {
        var path = _folder.File();
        File.WriteAllText(
            path,
            """
            {"version": 1, "interactions": [
              {"request": {"method": "GET", "url": "https://a.klaviyo.com/api/a?b=2&a=1"},
               "response": {"status": 200,
                            "headers": [["content-type", "application/vnd.api+json"], ["content-length", "999"], ["x-call", "7"]],
                            "body": {"data": {"type": "t", "id": "1"}}}}
            ]}
            """
        );
        using var replay = Interpreter.Replay(
            path,
            new FixtureOptions { AllowPlaybackRepeats = true }
        );
        var options = new KlaviyoOptions { ApiKey = "pk_fast_path_key", Client = replay };
        var op = Get("/api/a", ("a", "1"), ("b", "2"));

        var first = Ok(await op.SendAsync(options));
        var second = Ok(await op.SendAsync(options));

        foreach (var response in new[] { first, second })
        {
            Assert.Equal("7", Call(response));
            Assert.Equal(
                """{"data":{"type":"t","id":"1"}}""".Length.ToString(),
                response.Headers["content-length"].IfNone("")
            );
            Assert.Equal("1", Id(response));
        }
        Assert.True(SameJson(first, second));
    }

    [Fact]
    public void A_stub_answer_that_throws_comes_back_as_a_failed_task()
    {
        var stub = Interpreter.Stub(_ => throw new InvalidOperationException("boom"));
        var request = new KlaviyoRequest(HttpMethod.Get, "https://a.klaviyo.com", "/api/a");

        var answer = stub.ExecuteAsync(request, CancellationToken.None);

        Assert.True(answer.IsFaulted);
        Assert.IsType<InvalidOperationException>(answer.Exception!.InnerException);
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task A_stub_answering_in_order_still_gives_each_answer_once_then_the_last()
    {
        var stub = Interpreter
            .Stub()
            .WhenAny()
            .Respond(StubResponse.Status(503), StubResponse.Status(202), StubResponse.Status(200));
        var request = new KlaviyoRequest(HttpMethod.Get, "https://a.klaviyo.com", "/api/a");

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
            statuses.Add(Ok(await stub.ExecuteAsync(request, CancellationToken.None)).StatusCode);

        Assert.Equal(new[] { 503, 202, 200, 200, 200 }, statuses);
    }
}
